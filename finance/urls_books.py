"""The books: ledgers, cash books, entries and vouchers, closed months, the dues sheet and exemptions,
remittances."""

from django.urls import path

from finance import book_views as views

ORG = "organizations/<int:pk>/"
BOOKS = ORG + "books/"
ENTRY = BOOKS + "entries/<int:entry_pk>/"

urlpatterns: list = [
    path(BOOKS, views.ledgers, name="ledgers"),
    path(BOOKS + "funds/new/", views.fund_create, name="fund_create"),
    path(BOOKS + "<int:ledger_pk>/", views.cash_book, name="cash_book"),
    path(BOOKS + "<int:ledger_pk>/cash-book.xlsx", views.cash_book_xlsx, name="cash_book_xlsx"),
    path(BOOKS + "<int:ledger_pk>/new/", views.entry_create, name="entry_create"),
    path(ENTRY, views.entry_detail, name="entry_detail"),
    path(ENTRY + "reverse/", views.entry_reverse_view, name="entry_reverse"),
    path(ENTRY + "voucher.pdf", views.entry_voucher, name="entry_voucher"),
    path(ENTRY + "attachment/", views.entry_attachment, name="entry_attachment"),
    path(BOOKS + "months/", views.closed_months, name="closed_months"),
    path(BOOKS + "months/close/", views.month_close_view, name="month_close"),
    path(ORG + "dues/", views.dues_sheet, name="dues_sheet"),
    path(ORG + "dues/mark/", views.dues_mark, name="dues_mark"),
    path(ORG + "dues/sheet.xlsx", views.dues_xlsx, name="dues_xlsx"),
    path(ORG + "dues/exemptions/", views.exemptions, name="exemptions"),
    path(ORG + "dues/exemptions/add/", views.exemption_add_view, name="exemption_add"),
    path(
        ORG + "dues/exemptions/<int:exemption_pk>/remove/",
        views.exemption_remove_view,
        name="exemption_remove",
    ),
    path(ORG + "remittances/", views.remittances, name="remittances"),
    path(ORG + "remittances/pay/", views.remittance_post, name="remittance_post"),
    path(ORG + "remittances/below/", views.remittances_below, name="remittances_below"),
]
