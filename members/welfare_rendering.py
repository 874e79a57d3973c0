"""Welfare documents as PDF (WeasyPrint, the plans' layout and static-only fetcher): the payment voucher
(PHIẾU CHI) of one record and the recipients' list to sign (DANH SÁCH KÝ NHẬN) of a gift campaign.

The documents' own words are Vietnamese literals, as in the report renderer: they are the text of a form, not
of the interface.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from finance.words import in_words
from members.models import FamilyMember, GiftCampaign, Member, Occasion, Officer, Organization, WelfareRecord
from plans import markup
from plans.models import header_lines, place_and_date
from plans.rendering import LAYOUT, _static_only_fetcher

# What the money is for, as a voucher words it: "<reason> đoàn viên <name>".
REASONS = {
    Occasion.SICKNESS: "Thăm hỏi ốm đau",
    Occasion.MATERNITY: "Thăm hỏi sinh con",
    Occasion.WEDDING: "Mừng đám cưới",
    Occasion.BEREAVEMENT: "Phúng viếng",
    Occasion.HARDSHIP: "Trợ cấp khó khăn",
    Occasion.TET: "Quà Tết",
    Occasion.WOMEN_8_3: "Quà ngày Quốc tế Phụ nữ 8/3",
    Occasion.WOMEN_20_10: "Quà ngày Phụ nữ Việt Nam 20/10",
    Occasion.CHILDREN_1_6: "Quà Quốc tế Thiếu nhi 1/6",
    Occasion.MID_AUTUMN: "Quà Tết Trung thu",
    Occasion.TEACHERS_20_11: "Quà ngày Nhà giáo Việt Nam 20/11",
    Occasion.BIRTHDAY: "Mừng sinh nhật",
    Occasion.RETIREMENT: "Quà nghỉ hưu",
    Occasion.STUDY_REWARD: "Khen thưởng học tập",
}
R = FamilyMember.Relation
RELATIONS = {R.CHILD: "con", R.FATHER: "bố", R.MOTHER: "mẹ"}
VOUCHER_SIGNERS = ["CHỦ TỊCH", "KẾ TOÁN", "THỦ QUỸ", "NGƯỜI LẬP PHIẾU", "NGƯỜI NHẬN TIỀN"]


def dong(amount: int) -> str:
    """`1.500.000 đồng`."""
    return f"{amount:,}".replace(",", ".") + " đồng"


def words(amount: int) -> str:
    """`Một triệu năm trăm nghìn đồng.`"""
    return f"{in_words(amount)}."


def relation_word(relative: FamilyMember, member: Member) -> str:
    """The relative as seen from the member: vợ or chồng, bố vợ or bố chồng…"""
    wife_side = member.sex == Member.Sex.MALE
    return {
        R.SPOUSE: "vợ" if wife_side else "chồng",
        R.FATHER_IN_LAW: "bố vợ" if wife_side else "bố chồng",
        R.MOTHER_IN_LAW: "mẹ vợ" if wife_side else "mẹ chồng",
    }.get(relative.relation) or RELATIONS.get(relative.relation, "người thân")


def reason(record: WelfareRecord) -> str:
    """`Thăm hỏi ốm đau đoàn viên Nguyễn Văn A`; for a child `Quà Quốc tế Thiếu nhi 1/6 cho cháu Trần Minh An,
    con đoàn viên Nguyễn Văn A`; for a relative `Phúng viếng mẹ đoàn viên Nguyễn Văn A (Trần Thị B)`."""
    what, member, relative = REASONS[record.occasion], record.member, record.family_member
    if relative is None:
        return f"{what} đoàn viên {member.full_name}"
    if relative.relation == R.CHILD and record.occasion in Occasion.for_children():
        return f"{what} cho cháu {relative.full_name}, con đoàn viên {member.full_name}"
    return f"{what} {relation_word(relative, member)} đoàn viên {member.full_name} ({relative.full_name})"


def chair_name(organization: Organization, on) -> str:
    chair = (
        Officer.objects.active(on)
        .filter(organization=organization, role=Officer.Role.CHAIR)
        .select_related("user")
        .order_by("start_on", "pk")
        .first()
    )
    return chair.user.get_full_name() if chair else ""


def _header(organization: Organization, reference: str, day) -> dict:
    governing, issuer = header_lines(organization)
    return {
        "header": {"governing": governing, "issuer": issuer},
        "doc": {"reference": reference, "place_and_date": place_and_date(organization.locality, day)},
    }


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    with translation.override("vi"):
        html = markup.normalize(render_to_string(template, {"layout": LAYOUT, **context}))
    document = HTML(string=html, base_url="static://", url_fetcher=_static_only_fetcher())
    return document.write_pdf(pdf_variant=None)


# ----------------------------------------------------------------------------------------------- voucher


def payment_voucher(record: WelfareRecord) -> str:
    """The books' number of the record's payment (PC-2026-0001): the voucher's number, one for both books."""
    from finance.models import Transaction

    entry = Transaction.objects.filter(welfare_record=record, reverses__isnull=True).order_by("-pk").first()
    return entry.voucher if entry else ""


def voucher_context(record: WelfareRecord) -> dict:
    organization, member = record.organization, record.member
    paid_as = payment_voucher(record)
    names = {
        "CHỦ TỊCH": chair_name(organization, record.on),
        "NGƯỜI LẬP PHIẾU": record.recorded_by.get_full_name(),
        "NGƯỜI NHẬN TIỀN": member.full_name,
    }
    return {
        **_header(organization, paid_as or record.reference, record.on),
        "record": record,
        "paid_as": paid_as,
        "payee": member.full_name,
        "group": member.union_group.name if member.union_group else "",
        "reason": reason(record),
        "amount": dong(record.amount),
        "amount_words": words(record.amount),
        "signers": [{"title": title, "name": names.get(title, "")} for title in VOUCHER_SIGNERS],
    }


def voucher_pdf(record: WelfareRecord) -> bytes:
    return _pdf("members/welfare/voucher_document.html", voucher_context(record))


def voucher_filename(record: WelfareRecord) -> str:
    return f"phieu-chi-{record.number:04d}-{record.year}.pdf"


# -------------------------------------------------------------------------------------- list to sign


def campaign_rows(campaign: GiftCampaign) -> list[WelfareRecord]:
    """The campaign's records still standing (not cancelled), in the order they were numbered."""
    return list(
        campaign.records.filter(cancelled_at__isnull=True)
        .select_related("member", "member__union_group", "family_member")
        .order_by("number", "pk")
    )


def signatures_context(campaign: GiftCampaign, rows: list[WelfareRecord]) -> dict:
    organization = campaign.organization
    total = sum(row.amount for row in rows)
    return {
        **_header(organization, "", campaign.on),
        "campaign": campaign,
        "children": campaign.recipients == GiftCampaign.Recipients.CHILDREN,
        "rows": [
            {
                "index": index,
                "member": row.member.full_name,
                "child": row.family_member.full_name if row.family_member else "",
                "born": row.family_member.birth_date.year
                if row.family_member and row.family_member.birth_date
                else "",
                "group": row.member.union_group.name if row.member.union_group else "",
                "amount": f"{row.amount:,}".replace(",", "."),
            }
            for index, row in enumerate(rows, start=1)
        ],
        "total": f"{total:,}".replace(",", "."),
        "total_words": words(total) if total else "Không đồng.",
        "chair": chair_name(organization, campaign.on),
        "preparer": campaign.created_by.get_full_name(),
        "printed_on": timezone.localdate(),
    }


def signatures_pdf(campaign: GiftCampaign, rows: list[WelfareRecord]) -> bytes:
    return _pdf("members/welfare/signatures_document.html", signatures_context(campaign, rows))


def signatures_filename(campaign: GiftCampaign) -> str:
    return f"danh-sach-ky-nhan-{campaign.on:%Y%m%d}-{campaign.pk}.pdf"
