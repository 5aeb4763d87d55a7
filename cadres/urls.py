from django.urls import path

from cadres import views

urlpatterns = [
    path("cadres/", views.index, name="cadres"),
    path("cadres/zone/<int:zone_id>/", views.roster_view, name="cadres_roster"),
    path("cadres/zone/<int:zone_id>/counts/", views.counts_view, name="cadres_counts"),
    path("cadres/zone/<int:zone_id>/new/", views.cadre_new, name="cadres_new"),
    path("cadres/zone/<int:zone_id>/lend/", views.assignment_new, name="cadres_lend"),
    path("cadres/zone/<int:zone_id>/import/", views.import_view, name="cadres_import"),
    path("cadres/zone/<int:zone_id>/pairings/", views.pairings_view, name="cadres_pairings"),
    path("cadres/zone/<int:zone_id>/eligibility/", views.eligibility_view, name="cadres_eligibility"),
    path("cadres/zone/<int:zone_id>/commendations/", views.commendations_view, name="cadres_commendations"),
    path("cadres/zone/<int:zone_id>/reserve/", views.reserve_view, name="cadres_reserve"),
    path("cadres/<int:cadre_id>/", views.person_view, name="cadres_person"),
]
