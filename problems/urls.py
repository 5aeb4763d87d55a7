from django.urls import path

from problems import meeting_views, task_views, views

urlpatterns = [
    path("problems/", views.problem_list, name="problem_list"),
    path("problems/new/", views.problem_new, name="problem_new"),
    path("problems/groups/", views.problem_groups, name="problem_groups"),
    path("problems/stats/", views.problem_stats, name="problem_stats"),
    path("problems/reminders/", views.reminder_log, name="reminder_log"),
    path("problems/<int:problem_id>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:problem_id>/act/", views.problem_act, name="problem_act"),
    path("problems/<int:problem_id>/attachments/", views.problem_attach, name="problem_attach"),
    path("problems/attachments/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
    path("problems/meetings/", meeting_views.meeting_list, name="meeting_list"),
    path("problems/meetings/<int:meeting_id>/", meeting_views.meeting_detail, name="meeting_detail"),
    path("problems/meetings/<int:meeting_id>/items/", meeting_views.meeting_add_item, name="meeting_add_item"),
    path(
        "problems/meetings/<int:meeting_id>/minutes.<str:fmt>",
        meeting_views.meeting_minutes,
        name="meeting_minutes",
    ),
    path("problems/meetings/items/<int:item_id>/decide/", meeting_views.meeting_decide, name="meeting_decide"),
    path("campaigns/<int:campaign_id>/tasks/", task_views.task_list, name="task_list"),
    path("campaigns/<int:campaign_id>/tasks/<int:task_id>/", task_views.task_detail, name="task_detail"),
]
