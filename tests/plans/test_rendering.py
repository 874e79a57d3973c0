import io
import re

import pdfplumber
import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from plans import markup, numbering, rendering
from plans.models import Plan, Section

MM = 72 / 25.4


def add_tree(plan):
    """I. / 1. / 1.1. three levels, with bodies using every markup form."""
    first = Section.objects.create(
        plan=plan, position=1, heading="Mục đích, yêu cầu", body="Đoạn mở đầu mục một."
    )
    one = Section.objects.create(
        plan=plan,
        parent=first,
        position=1,
        heading="Mục đích",
        body="- Gạch đầu dòng thứ nhất.\n+ Dấu cộng thứ hai.\nCó **chữ đậm** và *chữ nghiêng*.",
    )
    Section.objects.create(
        plan=plan,
        parent=one,
        position=1,
        heading="Chi tiết cấp ba",
        body="Nội dung cấp ba.",
        timeline="Tháng 9/2025",
        responsible="Tổ Nhà trẻ",
    )
    Section.objects.create(
        plan=plan,
        position=2,
        heading="Tổ chức thực hiện",
        body="\n".join(
            f"Đoạn số {i} của phần tổ chức thực hiện, viết đủ dài để văn bản "
            "sang trang thứ hai và có số trang ở lề trên."
            for i in range(1, 30)
        ),
    )
    return plan


@pytest.fixture
def pdf(draft_plan):
    data = rendering.render_pdf(add_tree(draft_plan))
    return data


def test_numbers_come_from_the_tree():
    assert [numbering.number("roman", p) for p in ([1], [2], [2, 3], [2, 3, 1], [2, 3, 1, 2])] == [
        "I.",
        "II.",
        "3.",
        "3.1.",
        "b)",
    ]
    assert [numbering.number("arabic", p) for p in ([1], [1, 2], [1, 2, 3], [1, 2, 3, 1])] == [
        "1.",
        "1.2.",
        "c)",
        "-",
    ]
    assert numbering.roman(14) == "XIV"


def test_moving_a_section_renumbers(draft_plan):
    add_tree(draft_plan)
    tree = draft_plan.section_tree()
    assert [(n["number"], n["section"].heading) for n in tree] == [
        ("I.", "Mục đích, yêu cầu"),
        ("II.", "Tổ chức thực hiện"),
    ]
    assert tree[0]["children"][0]["children"][0]["number"] == "1.1."
    Section.objects.filter(heading="Tổ chức thực hiện").update(position=0)
    assert (
        draft_plan.section_tree()[0]["number"] == "I."
        and draft_plan.section_tree()[0]["section"].heading == "Tổ chức thực hiện"
    )


def test_markup_is_escaped_and_never_stores_html():
    blocks = markup.blocks(
        "<script>alert(1)</script> **đậm**\n- <img src=http://example.org/x.png>\n\u0065\u0301 "
    )
    assert str(blocks[0].html) == "&lt;script&gt;alert(1)&lt;/script&gt; <strong>đậm</strong>"
    assert blocks[1].kind == "dash" and "<img" not in blocks[1].html
    assert blocks[2].text == "é"  # NFC


def test_reference_and_date_follow_the_format(draft_plan):
    assert draft_plan.reference == "07/KH-CĐMNA"
    assert draft_plan.place_and_date() == "An Lão, ngày 05 tháng 9 năm 2025"
    draft_plan.dated_on = draft_plan.dated_on.replace(month=2, day=14)
    assert draft_plan.place_and_date().endswith("ngày 14 tháng 02 năm 2025")
    assert draft_plan.legal_basis_lines() == [
        "Căn cứ Điều lệ Công đoàn Việt Nam;",
        "Căn cứ hướng dẫn của công đoàn cấp trên.",
    ]
    assert draft_plan.recipient_lines() == ["- Công đoàn cấp trên;", "- Lưu: VT, BCH."]


def test_pdf_is_a4_with_the_official_margins_and_an_embedded_serif(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    fonts = set()
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - 595.3) < 1 and abs(float(page.mediabox.height) - 841.9) < 1
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            descriptor = (
                font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            assert "/FontFile2" in descriptor.get_object() or "/FontFile3" in descriptor.get_object()
    assert all(re.search(r"Tinos|Times|Liberation", f) for f in fonts), fonts
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) >= 2
        for page in doc.pages:
            body = [c for c in page.chars if c["text"].strip() and c["top"] > 20 * MM]
            assert min(c["x0"] for c in body) >= 30 * MM - 1
            assert page.width - max(c["x1"] for c in body) >= 15 * MM - 1
            assert page.height - max(c["bottom"] for c in body) >= 20 * MM - 1


def test_pdf_header_page_numbers_signature_and_order(pdf, draft_plan):
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        pages = [page.extract_text() for page in doc.pages]
        top_margin = ["".join(c["text"] for c in page.chars if c["bottom"] < 20 * MM) for page in doc.pages]
        first = doc.pages[0]
        motto = [w for w in first.extract_words() if w["text"] == "CỘNG"][0]
        issuer = [w for w in first.extract_words() if w["text"] == "CĐCS" or w["text"] == "CÔNG"][0]
    assert top_margin[0].strip() == ""
    assert top_margin[1].strip() == "2"
    text = "\n".join(pages)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 07/KH-CĐMNA",
        "An Lão, ngày 05 tháng 9 năm 2025",
        "KẾ HOẠCH",
        "Hoạt động công đoàn năm học 2025-2026",
    ]:
        assert expected in pages[0], expected
    assert motto["x0"] > issuer["x0"]  # national motto in the right column
    last = pages[-1]
    for expected in ["Nơi nhận:", "TM. BAN CHẤP HÀNH", "CHỦ TỊCH", "Nguyễn Thị Hoa", "- Lưu: VT, BCH."]:
        assert expected in last, expected
    flat = " ".join(text.split())
    order = [
        "Căn cứ Điều lệ Công đoàn Việt Nam;",
        "Ban chấp hành xây dựng",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Đoạn mở đầu mục một.",
        "1. Mục đích",
        "- Gạch đầu dòng thứ nhất.",
        "+ Dấu cộng thứ hai.",
        "1.1. Chi tiết cấp ba",
        "Thời gian thực hiện: Tháng 9/2025",
        "Phân công: Tổ Nhà trẻ",
        "II. TỔ CHỨC THỰC HIỆN",
        "Đoạn số 1 ",
        "Đoạn số 29 ",
        "Trên đây là kế hoạch",
    ]
    positions = [flat.find(item) for item in order]
    assert -1 not in positions, [o for o, p in zip(order, positions, strict=True) if p == -1]
    assert positions == sorted(positions)


def test_renderer_fetches_nothing(draft_plan, monkeypatch):
    fetcher = rendering._static_only_fetcher()
    fetched = []
    cls = type(fetcher)
    original = cls.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(cls, "fetch", spy)
    monkeypatch.setattr(rendering, "_static_only_fetcher", lambda: fetcher)
    Section.objects.create(
        plan=draft_plan,
        heading='<img src="http://example.org/a.png">',
        body='<link rel="stylesheet" href="file:///etc/passwd"> http://example.org/ ![x](http://example.org/x.png)',
    )
    pdf = rendering.render_pdf(draft_plan)
    assert fetched == []
    assert b"%PDF" in pdf[:8]
    with pytest.raises(rendering.FetchRefused):
        original(fetcher, "http://example.org/a.png")
    with pytest.raises(rendering.FetchRefused):
        original(fetcher, "file:///etc/passwd")
    assert original(fetcher, "static://css/app.css").status == 200


def test_content_hash_changes_with_what_prints(draft_plan):
    before = draft_plan.content_hash()
    assert draft_plan.content_hash() == before
    Section.objects.create(plan=draft_plan, heading="Mới")
    assert draft_plan.content_hash() != before


def test_render_plan_command(draft_plan, tmp_path):
    out = tmp_path / "plan.pdf"
    call_command("render_plan", draft_plan.pk, "-o", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError, match="No plan with id"):
        call_command("render_plan", 999999, "-o", str(out))


def test_every_demo_plan_renders(db, tmp_path):
    call_command("seed_demo")
    plans = Plan.objects.all()
    assert plans.count() == 8  # 4 from plans.demo, the ward's plan and 3 implementation plans (targets.demo)
    for plan in plans:
        assert max(len(n["children"]) for n in plan.section_tree()) > 0
        call_command("render_plan", plan.pk, "-o", str(tmp_path / f"{plan.pk}.pdf"))
        assert (tmp_path / f"{plan.pk}.pdf").stat().st_size > 10_000
