"""URLs of this area for tests/test_url_guard.py: who may use each (see tests/urlspec.py).

The books of a grassroots union are its own officers' business: the reviewer of the union above gets 403 on
every page and write (he sees totals on `remittances_below`), other_chair 404. Writes are for the treasurer,
chair and vice chair (tests/finance/test_book_views.py tries the refusals by role and the bad input).
"""

import datetime

from django.utils import timezone

from tests.urlspec import Spec


def fund(user):
    return {"name": "Quỹ khuyến học", "opened_on": timezone.localdate().strftime("%d/%m/%Y")}


def receipt(user):
    return {
        "on": timezone.localdate().strftime("%d/%m/%Y"),
        "category": "donations",
        "amount": "200.000",
        "counterparty": "Công ty B",
        "description": "Ủng hộ Tết",
    }


def reversal(user):
    return {"reason": "Ghi nhầm số tiền"}


def last_month(user):
    month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return {"month": month.strftime("%Y-%m")}


def mark_all(user):
    return {"month": timezone.localdate().strftime("%Y-%m"), "method": "cash", "all": "1"}


def exemption(user):
    """A new member of the user's own union, exempt this month (no overlap with `books_exemption`)."""
    from members.models import Organization
    from tests.factories import MemberFactory

    union = Organization.objects.filter(officers__user=user).first()
    member = MemberFactory(organization=union, full_name="Lê Văn Ốm")
    month = timezone.localdate().strftime("%m/%Y")
    return {"member": member.pk, "start": month, "end": month, "reason": "benefits"}


def remittance(user):
    return {
        "on": timezone.localdate().strftime("%d/%m/%Y"),
        "amount": "100.000",
        "description": "Nộp cấp trên",
    }


URLS: dict = {
    "finance:ledgers": Spec("scoped", args=("union_a",), wrong_role="reviewer"),
    "finance:fund_create": Spec(
        "scoped", method="post", args=("union_a",), data=fund, ok=302, wrong_role="reviewer"
    ),
    "finance:cash_book": Spec("scoped", args=("union_a", "books_ledger"), wrong_role="reviewer"),
    "finance:cash_book_xlsx": Spec("scoped", args=("union_a", "books_ledger"), wrong_role="reviewer"),
    "finance:entry_create": Spec(
        "scoped",
        method="post",
        args=("union_a", "books_ledger"),
        data=receipt,
        ok=302,
        wrong_role="reviewer",
        query="?direction=income",
    ),  # fmt: skip
    "finance:entry_detail": Spec("scoped", args=("union_a", "books_entry"), wrong_role="reviewer"),
    "finance:entry_reverse": Spec(
        "scoped", method="post", args=("union_a", "books_entry"), data=reversal, ok=302, wrong_role="reviewer"
    ),
    "finance:entry_voucher": Spec("scoped", args=("union_a", "books_entry"), wrong_role="reviewer"),
    "finance:entry_attachment": Spec("scoped", args=("union_a", "books_entry"), wrong_role="reviewer"),
    "finance:closed_months": Spec("scoped", args=("union_a",), wrong_role="reviewer"),
    "finance:month_close": Spec(
        "scoped", method="post", args=("union_a",), data=last_month, ok=302, wrong_role="reviewer"
    ),
    "finance:dues_sheet": Spec("scoped", args=("union_a",), wrong_role="reviewer"),
    # nobody on union A's roll here: marking is refused with the service's message (422); marking real lines
    # is tried in tests/finance/test_book_views_dues.py
    "finance:dues_mark": Spec(
        "scoped", method="post", args=("union_a",), data=mark_all, ok=422, wrong_role="reviewer"
    ),
    "finance:dues_xlsx": Spec("scoped", args=("union_a",), wrong_role="reviewer"),
    "finance:exemptions": Spec("scoped", args=("union_a",), wrong_role="reviewer"),
    "finance:exemption_add": Spec(
        "scoped", method="post", args=("union_a",), data=exemption, ok=302, wrong_role="reviewer"
    ),
    "finance:exemption_remove": Spec(
        "scoped", method="post", args=("union_a", "books_exemption"), ok=302, wrong_role="reviewer"
    ),
    "finance:remittances": Spec("scoped", args=("union_a",), wrong_role="reviewer"),
    "finance:remittance_post": Spec(
        "scoped", method="post", args=("union_a",), data=remittance, ok=302, wrong_role="reviewer"
    ),
    # the union above: totals of the unions below it; union A's officers do not see the ward at all (404)
    "finance:remittances_below": Spec("scoped", args=("ward",), allowed="reviewer"),
}
