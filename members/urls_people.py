"""A member's own record: details, family, history, status changes and transfers."""

urlpatterns: list = []
