from django.urls import include, path

app_name = "targets"
urlpatterns = [
    path("reports/", include("targets.report_urls")),
    path("calendar/", include("targets.calendar_urls")),
    path("dashboard/", include("targets.dashboard_urls")),
]
