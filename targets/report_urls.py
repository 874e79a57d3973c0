from django.urls import path

from targets import report_views as views

# included under /targets/reports/ in the `targets` namespace (targets/urls.py)
urlpatterns = [
    path("union/<int:org_pk>/", views.report_list, name="report_list"),
    path("<int:org_pk>/<str:period>/start/", views.report_start, name="report_start"),
    path("<int:pk>/", views.report_detail, name="report"),
    path("<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("<int:pk>/decide/", views.report_decide, name="report_decide"),
    path("<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("<int:pk>/evidence/<int:entry_pk>/", views.report_evidence, name="report_evidence"),
]
