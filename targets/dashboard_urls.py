from django.urls import path

from targets import dashboard_views

urlpatterns = [
    path("<int:org_pk>/", dashboard_views.dashboard, name="dashboard"),
    path("<int:org_pk>/export.xlsx", dashboard_views.dashboard_xlsx, name="dashboard_xlsx"),
]
