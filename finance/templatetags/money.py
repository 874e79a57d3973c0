"""Amounts as Vietnamese documents write them: whole đồng, dots between thousands (1.234.567 đ)."""

from django import template

register = template.Library()


def format_vnd(amount: int | None) -> str:
    if amount is None or amount == "":
        return ""
    amount = int(amount)
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,}".replace(",", ".") + " đ"


@register.filter(name="vnd")
def vnd(amount):
    return format_vnd(amount)
