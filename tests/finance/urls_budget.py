"""URLs of this area for tests/test_url_guard.py: who may use each (see tests/urlspec.py).

The books' budget is for the union's own officers (the reviewer above gets 403); the estimates are kept by the
treasurer, chair and vice chair. The upper union's totals are for its reviewers and leaders: no wrong role
here (the guard's reviewer would be allowed); the ward's own treasurer (budget_ward_treasurer) gets 403 in
test_budget_views_totals.py.
"""

from tests.urlspec import Spec


def unchanged_budget(user):
    from finance.budget_forms import budget_stamp

    return {"stamp": budget_stamp([], 0)}  # no estimate yet, none typed: saved as is, to the budget page


URLS: dict = {
    "finance:budget": Spec("scoped", args=("union_a",), allowed="treasurer", wrong_role="reviewer"),
    "finance:budget_edit": Spec(
        "scoped",
        method="post",
        args=("union_a",),
        data=unchanged_budget,
        allowed="treasurer",
        ok=302,
        wrong_role="reviewer",
    ),  # fmt: skip
    "finance:budget_xlsx": Spec("scoped", args=("union_a",), wrong_role="reviewer"),
    "finance:disclosure_pdf": Spec("scoped", args=("union_a",), wrong_role="reviewer"),
    "finance:disclosure_xlsx": Spec("scoped", args=("union_a",), wrong_role="reviewer"),
    "finance:totals": Spec("scoped", args=("ward",), allowed="reviewer"),
    "finance:totals_xlsx": Spec("scoped", args=("ward",), allowed="reviewer"),
}
