"""The books: ledgers, cash books, entries and vouchers, closed months, the dues sheet, remittances."""

urlpatterns: list = []
