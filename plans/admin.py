from django.contrib import admin

from plans.models import Notification, Plan, PlanTransition, Section
from targets.models import Target

# The lifecycle (plans/lifecycle.py) is the one way to change a plan's status, number, issued file or
# signature: here they are read-only, sections of a plan that is not being drafted cannot be changed, and a
# plan that has left the draft stage cannot be deleted (its audit trail goes with it).
LIFECYCLE_FIELDS = [
    "status", "version", "issued_at", "issued_pdf", "issued_sha256", "signed_pdf", "signed_sha256",
    "signed_at", "source_text", "replaces",
]  # fmt: skip
EDITABLE = (Plan.Status.DRAFT, Plan.Status.RETURNED)


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ["parent", "position", "heading", "body", "timeline", "responsible"]

    def _editable(self, obj) -> bool:
        return obj is None or obj.status in EDITABLE

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class TargetInline(SectionInline):
    """The plan's targets; like its sections, read-only once the plan has left the draft stage."""

    model = Target
    fields = [
        "section", "position", "text", "kind", "comparison", "value", "value_max", "unit", "per",
        "increase", "baseline", "responsible", "printed", "due_kind", "due_on", "due_quarter", "due_year",
        "contributes_to",
    ]  # fmt: skip
    raw_id_fields = ["section", "contributes_to"]


class TransitionInline(admin.TabularInline):
    model = PlanTransition
    extra = 0
    can_delete = False
    fields = readonly_fields = ["at", "from_status", "to_status", "by", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "kind", "status", "number", "dated_on"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "organization__name"]
    autocomplete_fields = ["organization"]
    inlines = [SectionInline, TargetInline, TransitionInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status not in EDITABLE:
            return [field.name for field in Plan._meta.fields]  # frozen: a new version is made in the app
        return LIFECYCLE_FIELDS

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.status == Plan.Status.DRAFT) and super().has_delete_permission(
            request, obj
        )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Failed emails show here (status FAILED) for the administrator to look into."""

    list_display = ["created_at", "user", "kind", "plan", "email_status", "email_sent_at"]
    list_filter = ["email_status", "kind"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request):
        return False
