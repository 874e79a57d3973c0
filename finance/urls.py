from finance import urls_books, urls_budget

app_name = "finance"
# The treasurer's books (ledgers, entries, vouchers, dues, remittances), then the budget and the disclosure.
urlpatterns = urls_books.urlpatterns + urls_budget.urlpatterns
