"""The voucher (PHIẾU CHI) and the list to sign (DANH SÁCH KÝ NHẬN), read back from the PDFs, and the log of
each download."""

import datetime
import io
import unicodedata

import pdfplumber
import pytest
from django.urls import reverse

from members import welfare_services
from members.models import GiftCampaign, Occasion, PersonalDataExport
from tests.factories import FamilyMemberFactory, MemberFactory

D = datetime.date
pytestmark = pytest.mark.usefixtures("welfare_today")


def _text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    return unicodedata.normalize("NFC", text)


def _table(data: bytes) -> list[list[str]]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [
            [" ".join(unicodedata.normalize("NFC", cell or "").split()) for cell in row]
            for page in pdf.pages
            for table in page.extract_tables()
            for row in table
        ]


def _flat(data: bytes) -> str:
    return " ".join(_text(data).split())


def _voucher(client, record):
    return client.get(reverse("members:welfare_record_voucher", args=[record.organization_id, record.pk]))


def test_the_voucher_prints_number_date_payee_reason_and_amount_in_words(
    client, union_a, chair, welfare_member
):
    record = welfare_services.record_create(
        organization=union_a, by=chair, member=welfare_member, occasion=Occasion.SICKNESS, on=D(2026, 3, 15),
        amount=1_500_000,
    )  # fmt: skip
    client.force_login(chair)
    response = _voucher(client, record)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="phieu-chi-0001-2026.pdf"' in response["Content-Disposition"]
    text = _flat(response.content)
    for expected in (
        "CÔNG ĐOÀN PHƯỜNG MỘT",
        "CÔNG ĐOÀN CƠ SỞ TRƯỜNG",  # the union's name wraps in its column: "MẦM NON A" on the next line
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "PHIẾU CHI",
        "Số: PC-2026-0001",  # the payment's number in the books: one voucher for both
        "Số trong sổ thăm hỏi: 0001/2026",
        "An Lão, ngày 15 tháng 3 năm 2026",
        "Họ và tên người nhận tiền: Nguyễn Văn An",
        "Tổ công đoàn: Tổ Nhà trẻ",
        "Lý do chi: Thăm hỏi ốm đau đoàn viên Nguyễn Văn An",
        "Số tiền: 1.500.000 đồng",
        "Bằng chữ: Một triệu năm trăm nghìn đồng.",
        "CHỦ TỊCH",
        "KẾ TOÁN",
        "THỦ QUỸ",
        "NGƯỜI LẬP PHIẾU",
        "NGƯỜI NHẬN TIỀN",
        "(Ký, họ tên)",
        "Nguyễn Thị Hoa",  # the chair's name under her title
    ):
        assert expected in text, expected
    assert "ĐÃ HỦY" not in text
    log = PersonalDataExport.objects.get()
    assert (log.organization, log.user, log.kind, log.rows) == (union_a, chair, "voucher", 1)


def test_a_cancelled_voucher_is_marked_and_a_childs_gift_names_the_child(
    client, union_a, chair, welfare_member
):
    child = FamilyMemberFactory(member=welfare_member, full_name="Nguyễn Minh Khôi", birth_date=D(2016, 3, 1))
    record = welfare_services.record_create(
        organization=union_a, by=chair, member=welfare_member, occasion=Occasion.CHILDREN_1_6,
        on=D(2026, 6, 1), amount=200_000, family_member=child,
    )  # fmt: skip
    welfare_services.record_cancel(record=record, by=chair, reason="Trùng danh sách")
    client.force_login(chair)
    text = _flat(_voucher(client, record).content)
    assert "ĐÃ HỦY" in text
    assert "Lý do hủy: Trùng danh sách" in text
    assert "Quà Quốc tế Thiếu nhi 1/6 cho cháu Nguyễn Minh Khôi, con đoàn viên Nguyễn Văn An" in text
    assert "Bằng chữ: Hai trăm nghìn đồng." in text
    assert "ngày 01 tháng 6 năm 2026" in text


def test_the_list_to_sign_has_the_children_the_total_in_words_and_is_logged(
    client, union_a, chair, treasurer
):
    group = union_a.union_groups.get()
    for index, (parent, child, born) in enumerate(
        [("Trần Thị Lan", "Phạm Gia Bảo", D(2012, 9, 1)), ("Lê Văn Hùng", "Lê Khánh Linh", D(2019, 2, 3))]
    ):
        member = MemberFactory(
            organization=union_a, full_name=parent, union_group=group if index == 0 else None
        )
        FamilyMemberFactory(member=member, full_name=child, birth_date=born)
    campaign, created = welfare_services.campaign_create(
        organization=union_a, by=chair, title="Quà 1/6 năm 2026", occasion=Occasion.CHILDREN_1_6,
        on=D(2026, 6, 1), recipients=GiftCampaign.Recipients.CHILDREN, max_child_age=15, amount=250_000,
    )  # fmt: skip
    assert created == 2
    client.force_login(treasurer)
    response = client.get(reverse("members:gift_campaign_signatures", args=[union_a.pk, campaign.pk]))
    assert response.status_code == 200
    text = _flat(response.content)
    for expected in (
        "CÔNG ĐOÀN CƠ SỞ TRƯỜNG",  # the union's name wraps in its column: "MẦM NON A" on the next line
        "DANH SÁCH KÝ NHẬN",
        "Quà 1/6 năm 2026",
        "An Lão, ngày 01 tháng 6 năm 2026",
        "Tổng số tiền bằng chữ: Năm trăm nghìn đồng.",
        "NGƯỜI LẬP BIỂU",
        "CHỦ TỊCH",
    ):
        assert expected in text, expected
    assert "Số:" not in text  # a list has no number
    assert _table(response.content) == [
        ["STT", "Họ và tên", "Họ và tên con", "Năm sinh", "Tổ công đoàn", "Số tiền (đồng)", "Ký nhận"],
        ["1", "Trần Thị Lan", "Phạm Gia Bảo", "2012", "Tổ Nhà trẻ", "250.000", ""],
        ["2", "Lê Văn Hùng", "Lê Khánh Linh", "2019", "", "250.000", ""],  # no group: last, on every database
        ["", "Tổng cộng (2 người)", "", "", "", "500.000", ""],
    ]
    log = PersonalDataExport.objects.get()
    assert (log.user, log.kind, log.rows, log.filters) == (treasurer, "signatures", 2, "Quà 1/6 năm 2026")


def test_cancelled_records_are_left_off_the_list(client, union_a, chair, gift_campaign, welfare_member):
    MemberFactory(organization=union_a, full_name="Đỗ Thu Trang")
    welfare_services.campaign_run(campaign=gift_campaign, by=chair)
    welfare_services.record_cancel(
        record=gift_campaign.records.get(member=welfare_member), by=chair, reason="Không nhận"
    )
    client.force_login(chair)
    response = client.get(reverse("members:gift_campaign_signatures", args=[union_a.pk, gift_campaign.pk]))
    text = _flat(response.content)
    assert "Đỗ Thu Trang" in text and "Nguyễn Văn An" not in text
    assert _table(response.content)[-1] == ["", "Tổng cộng (1 người)", "", "300.000", ""]
    assert "Ba trăm nghìn đồng." in text
    assert PersonalDataExport.objects.get().rows == 1
