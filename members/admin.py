from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members import services
from members.models import (
    FamilyMember,
    Member,
    MemberEvent,
    Officer,
    Organization,
    OrganizationMove,
    UnionGroup,
    User,
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


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    """Status and union change only through members.services (admission, changes, transfers)."""

    list_display = ["full_name", "organization", "status", "status_since"]
    list_filter = ["status", "sex"]
    search_fields = ["full_name", "citizen_id", "organization__name"]
    raw_id_fields = ["organization", "union_group"]
    readonly_fields = ["status", "status_since", "organization"]
    inlines = [FamilyInline, EventInline]

    def has_add_permission(self, request):
        return False  # admission is a service: it writes the first line of the history
