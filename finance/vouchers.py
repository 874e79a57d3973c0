"""A ledger entry printed as its voucher, PHIẾU THU or PHIẾU CHI (forms C40-BB and C41-BB), with the plans'
layout (FORMAT.md), header and static-only WeasyPrint fetcher.

The voucher's own words are Vietnamese literals, as in the other documents: they are the text of a form, not
of the interface. A reversing entry says which voucher it cancels; a reversed one is stamped ĐÃ HỦY.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from finance.models import Transaction
from finance.words import in_words
from members.models import Officer
from plans import markup
from plans.models import header_lines, place_and_date
from plans.rendering import LAYOUT, _static_only_fetcher

TITLES = {Transaction.Direction.INCOME: "PHIẾU THU", Transaction.Direction.EXPENSE: "PHIẾU CHI"}
FORMS = {Transaction.Direction.INCOME: "C40-BB", Transaction.Direction.EXPENSE: "C41-BB"}
SIGNERS = {
    Transaction.Direction.INCOME: ["CHỦ TỊCH", "KẾ TOÁN", "THỦ QUỸ", "NGƯỜI LẬP PHIẾU", "NGƯỜI NỘP TIỀN"],
    Transaction.Direction.EXPENSE: ["CHỦ TỊCH", "KẾ TOÁN", "THỦ QUỸ", "NGƯỜI LẬP PHIẾU", "NGƯỜI NHẬN TIỀN"],
}


def dong(amount: int) -> str:
    """`1.500.000 đồng`."""
    return f"{amount:,}".replace(",", ".") + " đồng"


def entry_for_voucher(queryset, pk: int) -> Transaction:
    """The entry with everything its voucher prints, in one query."""
    return queryset.select_related(
        "ledger__organization__parent", "member__union_group", "reverses", "reversed_by", "created_by"
    ).get(pk=pk)


def _chair(organization, on) -> str:
    chair = (
        Officer.objects.active(on)
        .filter(organization=organization, role=Officer.Role.CHAIR)
        .select_related("user")
        .order_by("start_on", "pk")
        .first()
    )
    return chair.user.get_full_name() if chair else ""


def _reversed_by(entry: Transaction) -> Transaction | None:
    try:
        return entry.reversed_by
    except Transaction.DoesNotExist:
        return None


def document_context(entry: Transaction) -> dict:
    organization = entry.ledger.organization
    governing, issuer = header_lines(organization)
    income = entry.direction == Transaction.Direction.INCOME
    name = entry.member.full_name if entry.member else entry.counterparty
    group = entry.member.union_group.name if entry.member and entry.member.union_group else ""
    names = [_chair(organization, entry.on), "", "", entry.created_by.get_full_name(), name]
    return {
        "entry": entry,
        "layout": LAYOUT,
        "header": {"governing": governing, "issuer": issuer},
        "title": TITLES[entry.direction],
        "form": FORMS[entry.direction],
        "place_and_date": place_and_date(organization.locality or "…", entry.on),
        "ledger_name": entry.ledger.name,
        "person_label": "Họ và tên người nộp tiền" if income else "Họ và tên người nhận tiền",
        "reason_label": "Lý do thu" if income else "Lý do chi",
        "name": name,
        "member": entry.member,
        "group": group,
        "amount": dong(entry.amount),
        "amount_words": f"{in_words(entry.amount)}.",
        "attached": "01" if entry.attachment else "……",
        "reverses": entry.reverses,
        "reversed_by": _reversed_by(entry),
        "signers": [
            {"title": title, "name": n} for title, n in zip(SIGNERS[entry.direction], names, strict=True)
        ],
    }


def render_html(entry: Transaction) -> str:
    with translation.override("vi"):
        return markup.normalize(
            render_to_string("finance/books/voucher_document.html", document_context(entry))
        )


def render_pdf(entry: Transaction) -> bytes:
    from weasyprint import HTML

    html = HTML(string=render_html(entry), base_url="static://", url_fetcher=_static_only_fetcher())
    return html.write_pdf(pdf_variant=None)


def filename(entry: Transaction) -> str:
    return f"{entry.voucher.lower()}-{entry.ledger_id}.pdf"
