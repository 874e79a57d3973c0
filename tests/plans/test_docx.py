import io
import unicodedata

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table

from plans.docx import render_docx
from plans.models import Section
from tests.plans.test_rendering import add_tree

FONT = "Times New Roman"


def read(plan):
    return Document(io.BytesIO(render_docx(plan)))


@pytest.fixture
def doc(draft_plan):
    return read(add_tree(draft_plan))


def body(document):
    """Paragraphs and tables of the body, in order."""
    return list(document.iter_inner_content())


def texts(document):
    """The text of every body paragraph outside the tables, in order."""
    return [item.text for item in body(document) if not isinstance(item, Table)]


def paragraph(document, text):
    return next(p for p in document.paragraphs if p.text == text)


def cell_texts(cell):
    return [p.text for p in cell.paragraphs]


def test_page_is_a4_portrait_with_the_official_margins(doc):
    (section,) = doc.sections
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm, 1) for m in margins] == [20, 20, 30, 15]


def test_times_new_roman_for_every_script_and_the_body_paragraph(doc):
    normal = doc.styles["Normal"]
    assert normal.font.name == FONT and normal.font.size.pt == 14
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for r_pr in (normal.element.rPr, defaults):
        fonts = r_pr.find(qn("w:rFonts"))
        assert {fonts.get(qn(f"w:{s}")) for s in ("ascii", "hAnsi", "eastAsia", "cs")} == {FONT}
        assert fonts.get(qn("w:asciiTheme")) is None and fonts.get(qn("w:eastAsiaTheme")) is None
        assert r_pr.find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
    fmt = normal.paragraph_format
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert round(fmt.first_line_indent.cm, 2) == 1
    assert fmt.space_after.pt == 6
    # no run names another font
    assert not [r for p in doc.paragraphs for r in p.runs if r.font.name not in (None, FONT)]


def test_first_page_header_is_a_borderless_two_column_table(doc):
    header = body(doc)[0]
    assert isinstance(header, Table) and len(header.columns) == 2
    left, right = header.rows[0].cells
    assert cell_texts(left) == [
        "CÔNG ĐOÀN PHƯỜNG MỘT",
        "CÔNG ĐOÀN CƠ SỞ TRƯỜNG MẦM NON A",
        "",
        "Số: 07/KH-CĐMNA",
    ]
    assert cell_texts(right) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "",
        "An Lão, ngày 05 tháng 9 năm 2025",
    ]
    assert round(left.width.mm) == 66 and round(right.width.mm) == 99  # 40 % | 60 % of 165 mm
    governing, issuer, rule, reference = left.paragraphs
    assert not governing.runs[0].bold and issuer.runs[0].bold
    motto, motto_2, motto_rule, place = right.paragraphs
    assert motto.runs[0].bold and motto_2.runs[0].bold and place.runs[0].italic
    for line in (rule, motto_rule):  # a short, centred solid rule under the issuer and the motto
        bottom = line._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
        assert bottom.get(qn("w:val")) == "single"
        assert line.paragraph_format.left_indent == line.paragraph_format.right_indent > 0
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}


def test_title_sections_and_bodies_in_order(doc):
    assert texts(doc) == [
        "KẾ HOẠCH",
        "Hoạt động công đoàn năm học 2025-2026",
        "",  # the short rule under the title
        "Căn cứ Điều lệ Công đoàn Việt Nam;",
        "Căn cứ hướng dẫn của công đoàn cấp trên.",
        "Ban chấp hành xây dựng kế hoạch như sau:",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Đoạn mở đầu mục một.",
        "1. Mục đích",
        "- Gạch đầu dòng thứ nhất.",
        "+ Dấu cộng thứ hai.",
        "Có chữ đậm và chữ nghiêng.",
        "1.1. Chi tiết cấp ba",
        "Nội dung cấp ba.",
        "Thời gian thực hiện: Tháng 9/2025",
        "Phân công: Tổ Nhà trẻ",
        "II. TỔ CHỨC THỰC HIỆN",
        *[
            f"Đoạn số {i} của phần tổ chức thực hiện, viết đủ dài để văn bản "
            "sang trang thứ hai và có số trang ở lề trên."
            for i in range(1, 30)
        ],
        "Trên đây là kế hoạch hoạt động năm học 2025-2026.",
        "",  # the 1 pt paragraph that ends every Word body
    ]
    for text in ("KẾ HOẠCH", "Hoạt động công đoàn năm học 2025-2026"):
        title = paragraph(doc, text)
        assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].bold
    for basis in ("Căn cứ Điều lệ Công đoàn Việt Nam;", "Căn cứ hướng dẫn của công đoàn cấp trên."):
        assert paragraph(doc, basis).runs[0].italic


def test_heading_levels_look_like_the_pdf(draft_plan):
    add_tree(draft_plan)
    third = Section.objects.get(heading="Chi tiết cấp ba")
    Section.objects.create(plan=draft_plan, parent=third, heading="Cấp bốn", body="Nội dung cấp bốn.")
    doc = read(draft_plan)
    styles = {}
    for text in ("I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "1.1. Chi tiết cấp ba", "a) Cấp bốn"):
        heading = paragraph(doc, text)
        assert heading.paragraph_format.keep_with_next, text
        (run,) = heading.runs
        styles[text.split()[0]] = (bool(run.bold), bool(run.italic))
    assert styles == {"I.": (True, False), "1.": (True, False), "1.1.": (True, True), "a)": (False, True)}

    draft_plan.numbering = "arabic"  # the upper case of level 1 belongs to the I. / 1. / 1.1. scheme
    draft_plan.save()
    assert "1. Mục đích, yêu cầu" in texts(read(draft_plan))


def test_markup_becomes_bold_and_italic_runs(doc):
    runs = [(r.text, bool(r.bold), bool(r.italic)) for r in paragraph(doc, "Có chữ đậm và chữ nghiêng.").runs]
    assert runs == [
        ("Có ", False, False),
        ("chữ đậm", True, False),
        (" và ", False, False),
        ("chữ nghiêng", False, True),
        (".", False, False),
    ]
    label, value = paragraph(doc, "Thời gian thực hiện: Tháng 9/2025").runs
    assert label.italic and not value.italic


def test_signature_and_recipients_side_by_side_in_one_table_at_the_end(doc):
    *_, closing, signature, end = body(doc)
    assert isinstance(signature, Table) and len(doc.tables) == 2 and end.text == ""
    assert closing.text.startswith("Trên đây") and closing.paragraph_format.keep_with_next
    (row,) = signature.rows
    assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    recipients, sign = row.cells
    assert cell_texts(recipients) == ["Nơi nhận:", "- Công đoàn cấp trên;", "- Lưu: VT, BCH."]
    assert cell_texts(sign) == ["TM. BAN CHẤP HÀNH", "CHỦ TỊCH", "Nguyễn Thị Hoa"]
    title, *lines = recipients.paragraphs
    assert title.runs[0].bold and title.runs[0].italic and title.runs[0].font.size.pt == 12
    assert {line.runs[0].font.size.pt for line in lines} == {11}
    authority, role, name = sign.paragraphs
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER and p.runs[0].bold for p in sign.paragraphs)
    assert round(name.paragraph_format.space_before.mm) == 28  # room for the signature and the seal
    assert all(p.paragraph_format.keep_with_next for p in (authority, role))


def test_page_numbers_from_page_two_only(doc):
    (section,) = doc.sections
    assert section.different_first_page_header_footer
    assert section.first_page_header.is_linked_to_previous is False
    assert "PAGE" not in section.first_page_header._element.xml
    assert [p.text for p in section.first_page_header.paragraphs] == [""]
    (number,) = section.header.paragraphs
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    instructions = [t.text.strip() for t in number._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    assert [c.get(qn("w:fldCharType")) for c in number._p.iter(qn("w:fldChar"))] == [
        "begin",
        "separate",
        "end",
    ]


def test_hostile_text_comes_through_as_literal_text(draft_plan):
    hostile = "<script>alert('x')</script> & http://example.org/?a=1&b=2 <b>không đậm</b>"
    Section.objects.create(plan=draft_plan, heading="<i>Tiêu đề</i> & co", body=f"{hostile}\nx\x0by\x1bz")
    draft_plan.title = unicodedata.normalize("NFD", "Kế hoạch thử")
    draft_plan.save()
    doc = read(draft_plan)
    lines = texts(doc)
    assert "I. <I>TIÊU ĐỀ</I> & CO" in lines
    assert hostile in lines
    assert "x yz" in lines  # a vertical tab is a space (as in the PDF), ESC is dropped, not fatal
    assert "Kế hoạch thử" in lines and unicodedata.is_normalized("NFC", "".join(lines))
    xml = doc.element.xml
    assert "w:hyperlink" not in xml and "<script>" not in xml


def test_command_writes_a_docx(draft_plan, tmp_path):
    out = tmp_path / "plan.docx"
    call_command("render_plan", draft_plan.pk, docx=str(out))
    assert "Số: 07/KH-CĐMNA" in Document(out).tables[0].rows[0].cells[0].paragraphs[-1].text


def test_command_writes_both(draft_plan, tmp_path, capsys):
    pdf, docx = tmp_path / "plan.pdf", tmp_path / "plan.docx"
    call_command("render_plan", draft_plan.pk, "-o", str(pdf), "--docx", str(docx))
    assert pdf.read_bytes().startswith(b"%PDF") and docx.read_bytes().startswith(b"PK")
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out] == [str(pdf), str(docx)]
    assert all(line.endswith(" bytes") for line in out)


def test_command_needs_an_output_a_plan_and_a_writable_path(draft_plan, tmp_path):
    with pytest.raises(CommandError, match="Nothing to write"):
        call_command("render_plan", draft_plan.pk)
    with pytest.raises(CommandError, match="No plan with id 999999"):
        call_command("render_plan", 999999, docx=str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("render_plan", draft_plan.pk, docx=str(tmp_path / "missing" / "x.docx"))
    with pytest.raises(CommandError, match="different paths"):
        call_command("render_plan", draft_plan.pk, "-o", str(tmp_path / "x"), "--docx", str(tmp_path / "x"))


def test_command_reports_a_render_failure(draft_plan, tmp_path, monkeypatch):
    from plans.management.commands import render_plan

    def broken(plan):
        raise RuntimeError("boom")

    monkeypatch.setattr(render_plan, "render_docx", broken)
    with pytest.raises(CommandError, match="Rendering plan .* failed: boom"):
        call_command("render_plan", draft_plan.pk, docx=str(tmp_path / "x.docx"))
    assert not (tmp_path / "x.docx").exists()
