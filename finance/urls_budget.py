"""Budget against actual, the public disclosure, and the upper union's totals."""

urlpatterns: list = []
