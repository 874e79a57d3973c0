from django import template
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

register = template.Library()

SYMBOLS = {
    "at_least": "≥", "at_most": "≤", "exactly": "=", "more_than": ">", "less_than": "<",
}  # fmt: skip


@register.filter
def get_item(mapping, key):
    """`{{ comments_by_section|get_item:section.pk }}`: a dict lookup with a variable key."""
    return mapping.get(key) if mapping else None


@register.filter
def number_vi(value) -> str:
    """1500 → `1.500`, 55.5 → `55,5`."""
    from targets.forms import format_number

    return format_number(value)


@register.filter
def target_goal(target) -> str:
    """What a target (or a proposal) aims at, in short: `≥ 106 đoàn viên`, `1 – 2 đồng chí/năm`,
    `> 55%`, `≥ 15.000.000 đ`, `tăng thêm ≥ 106 đoàn viên`; a yes/no target: `Có`."""
    from targets.forms import format_number
    from targets.models import GRADES

    kind = target.kind
    if kind == "yes_no":
        return pgettext("target goal", "Done")
    if target.value is None:
        return ""
    if kind == "grade":
        grade = GRADES.get(int(target.value), format_number(target.value))
        return f"{SYMBOLS.get(target.comparison, '')} {grade}".strip()
    unit = (target.unit or "").strip()
    if kind == "amount" and unit.lower() in ("đồng", "đ", ""):
        unit = "đ"
    number = format_number(target.value)
    if target.comparison == "between" and target.value_max is not None:
        number = f"{number} – {format_number(target.value_max)}"
    else:
        number = f"{SYMBOLS.get(target.comparison, '')} {number}".strip()
    joined = f"{number}{unit}" if unit == "%" else f"{number} {unit}".rstrip()
    if target.per:
        joined = f"{joined}/{target.per}"
    if target.increase:
        return _("%(goal)s more") % {"goal": joined}
    return joined
