"""Budget against actual, the public disclosure, and the upper union's totals."""

from django.urls import path

from finance import budget_views as views

urlpatterns: list = [
    path("organizations/<int:org_pk>/budget/", views.budget_page, name="budget"),
    path("organizations/<int:org_pk>/budget/edit/", views.budget_edit, name="budget_edit"),
    path("organizations/<int:org_pk>/budget/xlsx/", views.budget_xlsx, name="budget_xlsx"),
    path("organizations/<int:org_pk>/disclosure/pdf/", views.disclosure_pdf, name="disclosure_pdf"),
    path("organizations/<int:org_pk>/disclosure/xlsx/", views.disclosure_xlsx, name="disclosure_xlsx"),
    path("organizations/<int:org_pk>/finance-totals/", views.finance_totals, name="totals"),
    path("organizations/<int:org_pk>/finance-totals/xlsx/", views.finance_totals_xlsx, name="totals_xlsx"),
]
