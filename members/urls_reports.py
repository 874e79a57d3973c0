"""Reports on the roll and on welfare, and exports of the roll."""

from django.urls import path

from members import stats_views

urlpatterns: list = [
    path("organizations/<int:pk>/reports/roll.xlsx", stats_views.roll_export, name="roll_export"),
    path(
        "organizations/<int:pk>/reports/welfare-records.xlsx",
        stats_views.welfare_export,
        name="welfare_export",
    ),
    path("organizations/<int:pk>/reports/exports/", stats_views.export_log, name="export_log"),
    path("organizations/<int:pk>/reports/members/", stats_views.member_stats, name="stats_members"),
    path(
        "organizations/<int:pk>/reports/members.pdf", stats_views.member_stats_pdf, name="stats_members_pdf"
    ),
    path(
        "organizations/<int:pk>/reports/members.xlsx",
        stats_views.member_stats_xlsx,
        name="stats_members_xlsx",
    ),
    path("organizations/<int:pk>/reports/welfare/", stats_views.welfare_stats, name="stats_welfare"),
    path(
        "organizations/<int:pk>/reports/welfare.pdf", stats_views.welfare_stats_pdf, name="stats_welfare_pdf"
    ),
    path(
        "organizations/<int:pk>/reports/welfare.xlsx",
        stats_views.welfare_stats_xlsx,
        name="stats_welfare_xlsx",
    ),
]
