from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members import access, services
from members.models import (
    FamilyMember,
    Member,
    MemberEvent,
    Officer,
    Organization,
    OrganizationMove,
    PersonalDataExport,
    UnionGroup,
    User,
    WelfareRecord,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Union"), {"fields": ["full_name"]}),)
    list_display = ["username", "full_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]


class OfficerInline(admin.TabularInline):
    model = Officer
    extra = 0
    autocomplete_fields = ["user"]


class UnionGroupInline(admin.TabularInline):
    model = UnionGroup
    extra = 0


class OrganizationMoveInline(admin.TabularInline):
    model = OrganizationMove
    fk_name = "organization"
    extra = 0
    can_delete = False
    readonly_fields = [
        "from_parent",
        "to_parent",
        "moved_on",
        "decision",
        "note",
        "recorded_by",
        "recorded_at",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "symbol", "level", "unit_type", "parent", "closed_on"]
    list_filter = ["level", "unit_type"]
    search_fields = ["name", "short_name", "symbol"]
    autocomplete_fields = ["parent"]
    inlines = [OfficerInline, UnionGroupInline, OrganizationMoveInline]

    def save_model(self, request, obj, form, change):
        """A change of upper union goes through the move service, so the history is kept."""
        if change and "parent" in form.changed_data and obj.parent_id:
            new_parent = obj.parent
            obj.parent_id = form.initial.get("parent")
            super().save_model(request, obj, form, change)
            services.organization_move(
                organization=obj, new_parent=new_parent, on=timezone.localdate(), by=request.user
            )
            obj.refresh_from_db()
        else:
            super().save_model(request, obj, form, change)


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "title", "start_on", "end_on"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "organization__name"]
    autocomplete_fields = ["user", "organization"]


class FamilyInline(admin.TabularInline):
    model = FamilyMember
    extra = 0


class EventInline(admin.TabularInline):
    """The membership history: read-only here, as everywhere (members.services adds to it)."""

    model = MemberEvent
    fk_name = "member"
    extra = 0
    can_delete = False
    fields = readonly_fields = ["on", "kind", "organization", "other_organization", "decision", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


class OwnUnionOnly:
    """Personal data in the admin too: a superuser sees every row; other staff only the rows of the grassroots
    unions where they hold an active role (their model permissions still apply on top)."""

    union_path = "organization"  # from the row to the member's union

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        own = Organization.objects.filter(
            pk__in=access.officer_org_ids(request.user), level=Organization.Level.GRASSROOTS
        ).values("pk")
        return rows.filter(**{f"{self.union_path}__in": own})

    def _in_scope(self, request, obj) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)


class ReadOnly:
    """Rows written by services alone (history, records, the export log): looked at here, never changed."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FamilyMember)
class FamilyMemberAdmin(OwnUnionOnly, admin.ModelAdmin):
    union_path = "member__organization"
    list_display = ["full_name", "relation", "member", "birth_date"]
    list_filter = ["relation"]
    search_fields = ["full_name", "member__full_name"]
    raw_id_fields = ["member"]
    list_select_related = ["member"]


@admin.register(MemberEvent)
class MemberEventAdmin(ReadOnly, OwnUnionOnly, admin.ModelAdmin):
    union_path = "member__organization"
    list_display = ["member", "kind", "on", "organization", "decision"]
    list_filter = ["kind"]
    search_fields = ["member__full_name", "decision"]
    list_select_related = ["member", "organization"]


@admin.register(WelfareRecord)
class WelfareRecordAdmin(ReadOnly, OwnUnionOnly, admin.ModelAdmin):
    list_display = ["reference", "on", "occasion", "member", "amount", "organization", "cancelled_at"]
    list_filter = ["occasion", "year"]
    search_fields = ["member__full_name", "organization__name"]
    list_select_related = ["member", "organization"]


@admin.register(PersonalDataExport)
class PersonalDataExportAdmin(ReadOnly, OwnUnionOnly, admin.ModelAdmin):
    list_display = ["at", "user", "kind", "rows", "organization", "filters"]
    list_filter = ["kind"]
    search_fields = ["user__username", "user__full_name", "organization__name"]
    list_select_related = ["user", "organization"]


@admin.register(Member)
class MemberAdmin(OwnUnionOnly, admin.ModelAdmin):
    """Status and union change only through members.services (admission, changes, transfers)."""

    list_display = ["full_name", "organization", "status", "status_since"]
    list_filter = ["status", "sex"]
    search_fields = ["full_name", "citizen_id", "organization__name"]
    raw_id_fields = ["organization", "union_group"]
    readonly_fields = ["status", "status_since", "organization"]
    inlines = [FamilyInline, EventInline]

    def has_add_permission(self, request):
        return False  # admission is a service: it writes the first line of the history
