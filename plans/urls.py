from django.urls import path

from plans import import_views, views

app_name = "plans"
urlpatterns = [
    path("new/<int:org_pk>/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/preview/", views.plan_preview, name="preview"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/edit/header/", views.plan_header, name="header"),
    path("<int:pk>/sections/add/", views.section_add, name="section_add"),
    path("<int:pk>/sections/<int:section_pk>/", views.section_edit, name="section_edit"),
    path("<int:pk>/sections/<int:section_pk>/move/", views.section_move, name="section_move"),
    path("<int:pk>/sections/<int:section_pk>/delete/", views.section_delete, name="section_delete"),
    path("<int:pk>/render/", views.render_start, name="render"),
    path("<int:pk>/render/status/", views.render_status, name="render_status"),
    path("<int:pk>/pdf/", views.plan_pdf, name="pdf"),
    path("<int:pk>/docx/", views.plan_docx, name="docx"),
    path("<int:pk>/checks/", import_views.plan_checks, name="checks"),
    path("<int:pk>/checks/dismiss/", import_views.finding_dismiss, name="dismiss"),
    path("import/<int:org_pk>/", import_views.plan_import, name="import"),
    path("import/review/<int:pk>/", import_views.import_review, name="import_review"),
]
