"""Reports on the roll and on welfare, and exports of the roll."""

urlpatterns: list = []
