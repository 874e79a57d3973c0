from django.contrib import admin

from plans.models import Plan, Section


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ["parent", "position", "heading", "body", "timeline", "responsible"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "kind", "status", "number", "dated_on"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "organization__name"]
    autocomplete_fields = ["organization"]
    inlines = [SectionInline]
