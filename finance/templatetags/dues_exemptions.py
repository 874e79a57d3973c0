"""`{% member_exemptions member organization %}`: the member page's "dues exemptions" section, shown only to
those who may see the union's books (the member view does not need to know about the books)."""

from django import template

from finance.models import DuesExemption
from members import access

register = template.Library()


@register.inclusion_tag("finance/books/exemptions_member.html", takes_context=True)
def member_exemptions(context, member, organization):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not access.can(user, "view_books", organization):
        return {"shown": False}
    return {
        "shown": True,
        "organization": organization,
        "member": member,
        "exemptions": DuesExemption.objects.filter(member=member).order_by("-start"),
        "can_keep": access.can(user, "keep_books", organization),
    }
