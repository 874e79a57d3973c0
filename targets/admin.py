from django.contrib import admin

from targets.models import Reminder, Report, ReportEntry, ReportingRule, ReportTransition, Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["text", "plan", "kind", "comparison", "value", "unit", "due_kind"]
    list_filter = ["kind", "due_kind"]
    search_fields = ["text", "plan__title", "plan__organization__name"]
    raw_id_fields = ["plan", "section", "contributes_to"]


@admin.register(ReportingRule)
class ReportingRuleAdmin(admin.ModelAdmin):
    list_display = [
        "organization",
        "frequency",
        "enabled",
        "month_offset",
        "day",
        "days_before",
        "overdue_every",
    ]
    list_filter = ["frequency", "enabled"]
    raw_id_fields = ["organization"]


class EntryInline(admin.TabularInline):
    model = ReportEntry
    extra = 0
    raw_id_fields = ["target"]


class TransitionInline(admin.TabularInline):
    model = ReportTransition
    extra = 0
    can_delete = False
    fields = readonly_fields = ["at", "from_status", "to_status", "by", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """The report's status and number move only through targets.report_services (submit, return, accept)."""

    list_display = ["organization", "period", "status", "number", "submitted_at"]
    list_filter = ["status", "period"]
    search_fields = ["organization__name"]
    raw_id_fields = ["organization", "created_by"]
    readonly_fields = ["status", "number", "version", "submitted_at", "decided_at"]
    inlines = [EntryInline, TransitionInline]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The record of what was sent: read-only, so that nothing is ever sent twice."""

    list_display = ["organization", "period", "kind", "send_on", "status", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["organization__name", "period"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
