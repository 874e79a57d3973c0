"""The report printed as the official BÁO CÁO: read back from the PDF."""

import io
import unicodedata

import pdfplumber
from django.urls import reverse

from targets import report_rendering, report_services
from targets.models import ReportArea


def _fill(report, chair):
    entries = list(report.entries.order_by("position"))
    areas = list(report.areas.order_by("position"))
    report_services.report_update(
        report=report,
        by=chair,
        expected_version=report.version,
        fields={
            "summary": "Công đoàn có 45 đoàn viên; hoạt động ổn định.",
            "difficulties": "- Kinh phí còn hạn hẹp.",
            "next_steps": "Tiếp tục vận động kết nạp đoàn viên.",
        },
        entries={
            entries[0].pk: {"reached": 12, "note": "Vượt kế hoạch"},
            entries[1].pk: {"reached": 96},
            entries[2].pk: {"reached": 1},
        },
        areas={areas[-1].pk: {"body": "Tổ chức hội nghị người lao động đầu năm."}},
    )


def _text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return unicodedata.normalize("NFC", "\n".join(page.extract_text() or "" for page in pdf.pages))


def _tables(data: bytes) -> list[list[str]]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [
            [" ".join((cell or "").split()) for cell in row]
            for page in pdf.pages
            for table in page.extract_tables()
            for row in table
        ]


def test_the_pdf_is_a_bao_cao_with_its_reference_parts_and_table(report_submitted, chair, reviewer):
    report = report_services.report_return(report=report_submitted, by=reviewer, note="Bổ sung.")
    _fill(report, chair)
    report.refresh_from_db()
    data = report_rendering.render_pdf(report)
    text = _text(data)
    assert data.startswith(b"%PDF")
    assert "BÁO CÁO" in text
    assert "Số: 01/BC-CĐMNA" in text
    assert "Kết quả thực hiện nhiệm vụ quý I năm 2026" in text
    for heading in (
        "I. TÌNH HÌNH CHUNG",
        "II. KẾT QUẢ THỰC HIỆN",
        "III. KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ II NĂM 2026",
    ):
        assert heading in text
    assert "1. Nội dung, chỉ tiêu" in text  # the one area with a narrative, numbered
    assert "Nơi nhận:" in text and "Nguyễn Thị Hoa" in text
    rows = _tables(data)
    assert rows[0] == ["TT", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Đánh giá", "Ghi chú"]
    assert rows[1] == [
        "1",
        "Kết nạp mới 10 đoàn viên",
        "≥ 10 đoàn viên",
        "12 đoàn viên",
        "Đạt",
        "Vượt kế hoạch",
    ]
    assert rows[2][1:5] == ["100% đoàn viên được tham gia bảo hiểm", "≥ 100%", "96%", "Chưa đạt"]
    assert rows[3][4] == "Đạt"


def test_empty_parts_are_left_out_and_the_rest_renumbered(report_draft, chair):
    report_services.report_update(
        report=report_draft, by=chair, expected_version=report_draft.version,
        fields={"difficulties": "Thiếu kinh phí."},
    )  # fmt: skip
    report_draft.entries.all().delete()
    text = _text(report_rendering.render_pdf(report_draft))
    assert "I. KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ" in text
    assert "TÌNH HÌNH CHUNG" not in text and "KẾT QUẢ THỰC HIỆN" not in text and "PHƯƠNG HƯỚNG" not in text
    assert "Số:     /BC-CĐMNA" in text or "Số: /BC-CĐMNA" in " ".join(
        text.split()
    )  # room to write the number


def test_text_in_a_report_is_escaped_and_fetches_nothing(report_draft):
    area = ReportArea.objects.filter(report=report_draft).first()
    area.body = '<img src="http://example.org/x.png"> **đậm**'
    area.save()
    html = report_rendering.render_html(report_draft)
    assert "&lt;img" in html and "<strong>đậm</strong>" in html
    assert b"%PDF" in report_rendering.render_pdf(report_draft)[:8]  # the image was never fetched


def test_the_pdf_view_serves_it(client, report_draft, chair):
    client.force_login(chair)
    response = client.get(reverse("targets:report_pdf", args=[report_draft.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"bao-cao-2026-Q1-{report_draft.pk}.pdf" in response["Content-Disposition"]
    assert "BÁO CÁO" in _text(response.content)
