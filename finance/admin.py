from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from finance.models import DuesExemption, Rule


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    """National rules: for system administrators (superusers) alone, whatever staff permissions say."""

    list_display = ["kind", "unit_type", "value", "effective_from", "effective_to", "decision"]
    list_filter = ["kind", "unit_type"]
    search_fields = ["decision", "note"]
    ordering = ["kind", "unit_type", "effective_from"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    has_module_permission = has_view_permission

    def has_add_permission(self, request):
        return self.has_view_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request)


@admin.register(DuesExemption)
class DuesExemptionAdmin(admin.ModelAdmin):
    list_display = ["member", "start", "end", "reason"]
    list_select_related = ["member"]
    raw_id_fields = ["member"]
    verbose_name = _("dues exemption")

    def get_queryset(self, request):  # personal data: superusers only in the admin
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.none()
