"""URLs of this area for tests/test_url_guard.py: who may use each (see tests/urlspec.py).

Every officer of the grassroots union sees its welfare pages (they name members); its committee and treasurer
write. The ward's reviewer above gets 403 on all of them (personal data), other unions' officers 404.
"""

from members.models import Member, Officer, WelfareRecord
from tests.urlspec import Spec


def rule_line(user):
    return {"occasion": "wedding", "amount": "1000000", "effective_from": "01/01/2025", "decision": "01/QC"}


def new_record(user):
    """A member of the user's own union (made here: the URL's arguments are the union only)."""
    from tests.factories import MemberFactory

    organization = Officer.objects.filter(user=user).first().organization
    member = MemberFactory(organization=organization, status=Member.Status.ACTIVE)
    return {"member": member.pk, "occasion": "sickness", "on": "10/02/2025", "amount": "400000"}


def record_edit(user):
    from members.welfare_services import record_version

    record = WelfareRecord.objects.order_by("-pk").first()
    return {"occasion": "sickness", "on": "16/03/2025", "amount": "600000", "version": record_version(record)}


def cancel_reason(user):
    return {"reason": "Ghi nhầm người nhận"}


def campaign_preview(user):
    return {"title": "Quà 8/3 năm 2025", "occasion": "women_8_3", "on": "08/03/2025", "recipients": "members",
            "amount": "200000"}  # fmt: skip


URLS: dict = {
    "members:welfare_rules": Spec("scoped", args=("union_a",), wrong_role="reviewer"),
    "members:welfare_rule_create": Spec(  # the rules are the committee's: the treasurer applies them
        "scoped", method="post", args=("union_a",), data=rule_line, ok=302, wrong_role="treasurer"
    ),
    "members:welfare_records": Spec("scoped", args=("union_a",), wrong_role="reviewer"),
    "members:welfare_record_create": Spec(
        "scoped", method="post", args=("union_a",), data=new_record, ok=302, wrong_role="reviewer"
    ),
    "members:welfare_record_fields": Spec("scoped", args=("union_a",), wrong_role="reviewer"),
    "members:welfare_record_detail": Spec(
        "scoped", args=("union_a", "welfare_record"), wrong_role="reviewer"
    ),
    "members:welfare_record_edit": Spec(
        "scoped",
        method="post",
        args=("union_a", "welfare_record"),
        data=record_edit,
        ok=302,
        wrong_role="reviewer",
    ),  # fmt: skip
    "members:welfare_record_cancel": Spec(
        "scoped",
        method="post",
        args=("union_a", "welfare_record"),
        data=cancel_reason,
        ok=302,
        wrong_role="reviewer",
    ),  # fmt: skip
    "members:welfare_record_voucher": Spec(
        "scoped", args=("union_a", "welfare_record"), wrong_role="reviewer"
    ),
    "members:gift_campaigns": Spec("scoped", args=("union_a",), wrong_role="reviewer"),
    # a POST without `confirm` is the preview (200); the confirmation is tried in test_welfare_views.py
    "members:gift_campaign_create": Spec(
        "scoped", method="post", args=("union_a",), data=campaign_preview, wrong_role="reviewer"
    ),
    "members:gift_campaign_detail": Spec("scoped", args=("union_a", "gift_campaign"), wrong_role="reviewer"),
    "members:gift_campaign_run": Spec(
        "scoped", method="post", args=("union_a", "gift_campaign"), ok=302, wrong_role="reviewer"
    ),
    "members:gift_campaign_signatures": Spec(
        "scoped", args=("union_a", "gift_campaign"), wrong_role="reviewer"
    ),
}
