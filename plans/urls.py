from django.urls import path

from plans import import_views, review_views, signing_views, views

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
    path("<int:pk>/submit/", review_views.plan_submit, name="submit"),
    path("<int:pk>/review/", review_views.plan_review, name="review"),
    path("<int:pk>/comments/", review_views.comment_add, name="comment"),
    path("<int:pk>/comments/<int:comment_pk>/resolve/", review_views.comment_resolve, name="resolve"),
    path("<int:pk>/decide/", review_views.plan_decide, name="decide"),
    path("<int:pk>/issue/", review_views.plan_issue, name="issue"),
    path("<int:pk>/new-version/", review_views.plan_new_version, name="new_version"),
    path("<int:pk>/versions/", review_views.plan_versions, name="versions"),
    path("<int:pk>/issued.pdf", review_views.issued_pdf, name="issued_pdf"),
    path("<int:pk>/sign/", signing_views.plan_sign, name="sign"),
    path("<int:pk>/signed.pdf", review_views.signed_pdf, name="signed_pdf"),
    path("inbox/", review_views.inbox, name="inbox"),
    path("inbox/not-submitted.xlsx", review_views.not_submitted_xlsx, name="not_submitted_xlsx"),
    path("notifications/", review_views.notification_list, name="notifications"),
    path("import/<int:org_pk>/", import_views.plan_import, name="import"),
    path("import/review/<int:pk>/", import_views.import_review, name="import_review"),
]
