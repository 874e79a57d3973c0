from django.urls import path

from members import roll_views, urls_people, urls_reports, urls_welfare, views

app_name = "members"
urlpatterns = [
    path("switch/", views.switch_officer, name="switch"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("organizations/<int:pk>/groups/new/", views.uniongroup_create, name="uniongroup_create"),
    path("organizations/<int:pk>/members/", roll_views.member_list, name="member_list"),
    path("organizations/<int:pk>/members/template.xlsx", roll_views.member_template, name="member_template"),
    path("organizations/<int:pk>/members/import/", roll_views.member_import, name="member_import"),
]
# Each area lists its own pages: a member's record, welfare and campaigns, reports and exports.
urlpatterns += urls_people.urlpatterns + urls_welfare.urlpatterns + urls_reports.urlpatterns
