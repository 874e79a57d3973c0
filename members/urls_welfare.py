"""Welfare: spending rules, records and their vouchers, gift campaigns and their lists to sign."""

urlpatterns: list = []
