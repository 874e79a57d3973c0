"""URLs of this area for tests/test_url_guard.py: who may use each (see tests/urlspec.py).

A member's personal data is for the officers of their own union (the treasurer too); the union above gets
403. Writing is for the union's committee: the treasurer and the reviewer above get 403.
"""

from tests.urlspec import Spec


def new_member(user):
    return {"full_name": "Võ Thị Thu", "sex": "female", "admitted_on": "01/09/2025", "ethnicity": "Kinh"}


def suspension(user):
    return {"kind": "suspended", "on": "01/06/2025", "reason": "Nghỉ không lương"}


def readmission(user):
    return {"on": "01/06/2025", "decision": "20/QĐ-CĐMNA"}


def child(user):
    return {"relation": "child", "full_name": "Trần Minh Khôi", "birth_date": "01/06/2020"}


def accept(user):
    return {"decision": "accept"}


MEMBER = ("union_a", "people_member")
URLS: dict = {
    "members:member_create": Spec(
        "scoped", method="post", args=("union_a",), data=new_member, ok=302, wrong_role="treasurer"
    ),
    "members:member_detail": Spec("scoped", args=MEMBER, wrong_role="reviewer"),
    "members:member_edit": Spec("scoped", args=MEMBER, wrong_role="treasurer"),
    "members:member_change": Spec(
        "scoped", method="post", args=MEMBER, data=suspension, ok=302, wrong_role="treasurer"
    ),
    "members:member_readmit": Spec(
        "scoped",
        method="post",
        args=("union_a", "people_gone_member"),
        data=readmission,
        ok=302,
        wrong_role="treasurer",
    ),  # fmt: skip
    "members:member_transfer": Spec("scoped", args=MEMBER, query="?q=CĐ", wrong_role="treasurer"),
    "members:family_add": Spec(
        "scoped", method="post", args=MEMBER, data=child, ok=302, wrong_role="treasurer"
    ),
    "members:family_edit": Spec("scoped", args=(*MEMBER, "people_relative"), wrong_role="treasurer"),
    "members:family_remove": Spec(
        "scoped", method="post", args=(*MEMBER, "people_relative"), ok=302, wrong_role="treasurer"
    ),
    "members:transfer_incoming": Spec("scoped", args=("union_a",), wrong_role="treasurer"),
    "members:transfer_decide": Spec(
        "scoped",
        method="post",
        args=("union_a", "people_incoming_transfer"),
        data=accept,
        ok=302,
        wrong_role="treasurer",
    ),  # fmt: skip
}
