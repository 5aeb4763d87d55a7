from django.contrib import admin

from problems.models import AgendaItem, Attachment, Meeting, Problem, Reminder, Step


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    fields = ["at", "action", "from_status", "to_status", "by", "reply", "reason"]
    readonly_fields = fields
    can_delete = False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fk_name = "problem"
    extra = 0
    fields = ["original_name", "kind", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    """Corrections only: the flow (assign, reply, solve, return) runs on the problem's page."""

    list_display = ["title", "category", "status", "raised_by_unit", "responsible", "deadline", "created_at"]
    list_filter = ["status", "category", "source"]
    search_fields = ["title", "description"]
    raw_id_fields = ["report", "project", "household", "village", "raised_by_unit", "responsible"]
    inlines = [StepInline, AttachmentInline]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    raw_id_fields = ["problem"]
    fields = ["order", "problem", "outcome", "decision"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "held_on", "chaired_by", "campaign"]
    inlines = [AgendaItemInline]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "channel", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["key", "recipient"]
    readonly_fields = [f.name for f in Reminder._meta.fields]
