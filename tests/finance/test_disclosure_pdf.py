"""The public disclosure printed as the official THÔNG BÁO: read back from the PDF and from its Excel file."""

import io
import unicodedata

import pdfplumber
from django.urls import reverse
from openpyxl import load_workbook

from tests.finance.fixtures_budget import SECRET_MEMBER


def _url(name, organization, query="?year=2026"):
    return f"{reverse(name, args=[organization.pk])}{query}"


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


def test_the_pdf_is_a_thong_bao_with_its_tables_means_and_signature(client, budget_year, chair):
    client.force_login(chair)
    response = client.get(_url("finance:disclosure_pdf", budget_year, "?year=2026&means=conference"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="cong-khai-tai-chinh-2026-{budget_year.pk}.pdf"' in response["Content-Disposition"]
    text = _text(response.content)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "CÔNG ĐOÀN PHƯỜNG MỘT" in text  # the union above, over the issuer
    assert "/TB-CĐMNA" in text and "Số: /TB-CĐMNA" in " ".join(text.split())  # the number left blank
    assert "An Lão, ngày 20 tháng 12 năm 2026" in text
    assert "THÔNG BÁO\nCông khai tài chính năm 2026" in text
    assert "I. TÀI CHÍNH CÔNG ĐOÀN" in text and "II. QUỸ TƯƠNG TRỢ" in text
    assert "Số liệu thực hiện tính đến ngày 20/12/2026." in text  # the year is not over
    assert "công bố tại hội nghị người lao động" in text
    assert "TM. BAN CHẤP HÀNH" in text and "CHỦ TỊCH" in text and "Nguyễn Thị Hoa" in text
    assert "Nơi nhận:" in text and "- Lưu: VT, KT." in text
    assert SECRET_MEMBER not in text
    rows = _tables(response.content)
    assert rows[0] == ["TT", "Nội dung", "Dự toán", "Thực hiện"]
    assert ["A", "Số dư đầu năm", "2.000.000 đ", "2.000.000 đ"] in rows
    assert ["B", "Tổng thu", "30.000.000 đ", "28.000.000 đ"] in rows
    assert ["1", "Đoàn phí công đoàn", "10.000.000 đ", "8.000.000 đ"] in rows
    assert ["C", "Tổng chi", "13.000.000 đ", "8.500.000 đ"] in rows
    assert ["D", "Số dư cuối năm (A + B − C)", "19.000.000 đ", "21.500.000 đ"] in rows
    assert ["D", "Số dư cuối năm (A + B − C)", "-1.000.000 đ", "1.000.000 đ"] in rows  # the fund


def test_the_default_means_is_the_notice_board_and_a_past_year_has_no_cut_off(client, budget_year, treasurer):
    client.force_login(treasurer)
    text = _text(client.get(_url("finance:disclosure_pdf", budget_year, "?year=2025&means=nonsense")).content)
    assert "Công khai tài chính năm 2025" in text
    assert "niêm yết tại bảng tin của đơn vị" in text
    assert "tính đến ngày" not in text
    assert ["D", "Số dư cuối năm (A + B − C)", "0 đ", "2.000.000 đ"] in [
        row for row in _tables(client.get(_url("finance:disclosure_pdf", budget_year, "?year=2025")).content)
    ]


def test_the_excel_file_matches_the_notice(client, budget_year, treasurer):
    client.force_login(treasurer)
    response = client.get(_url("finance:disclosure_xlsx", budget_year))
    assert response.status_code == 200
    assert f'filename="cong-khai-tai-chinh-2026-{budget_year.pk}.xlsx"' in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "THÔNG BÁO CÔNG KHAI TÀI CHÍNH NĂM 2026"
    assert ("B", "Tổng thu", 30_000_000, 28_000_000) in rows
    assert (1, "Đoàn phí công đoàn", 10_000_000, 8_000_000) in rows
    assert ("D", "Số dư cuối năm", -1_000_000, 1_000_000) in rows
    assert SECRET_MEMBER not in " ".join(str(cell) for row in rows for cell in row if cell)


def test_the_disclosure_costs_a_fixed_number_of_queries(
    client, budget_year, chair, django_assert_num_queries
):
    client.force_login(chair)
    client.get(_url("finance:disclosure_xlsx", budget_year))
    with django_assert_num_queries(14):
        client.get(_url("finance:disclosure_xlsx", budget_year))
