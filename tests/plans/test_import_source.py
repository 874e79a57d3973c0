"""Reading pasted text, .txt and .docx files into SourceLines (plans/importing/source.py)."""

import io
import socket
import struct
import unicodedata
import urllib.request
import zipfile
from xml.sax.saxutils import escape

import pytest
from django.utils import translation
from django.utils.functional import Promise
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plans.importing import source
from plans.importing.source import (
    ImportRefused,
    SourceLine,
    decode,
    normalize_line,
    read_docx,
    read_text,
    read_upload,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FUZZ = settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def texts(lines):
    return [line.text for line in lines]


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_zip(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def document_xml(body: str, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{body}</w:body></w:document>'
    )


def add_xml(paragraph, fragment: str):
    """Append raw WordprocessingML (runs, w:ins, w:del, …) to a python-docx paragraph."""
    for element in list(parse_xml(f"<w:root {nsdecls('w', 'r')}>{fragment}</w:root>")):
        paragraph._p.append(element)


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to connect or open a URL fails the test, and is recorded."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    return attempts


# --- normalize_line -----------------------------------------------------------------------------------


def test_normalize_line_composes_and_cleans_spaces():
    decomposed = unicodedata.normalize("NFD", "Công đoàn cơ sở")
    assert normalize_line(decomposed) == "Công đoàn cơ sở"
    assert normalize_line(" Kế\u00a0hoạch\tsố\u200b18 \u3000 năm\u202f2024  ") == "Kế hoạch số 18 năm 2024"


def test_normalize_line_removes_invisible_and_control_characters():
    assert normalize_line("Chủ\u200d tịch\ufeff\u00ad\x07\x1b") == "Chủ tịch"
    assert normalize_line("Đoàn\u200eviên\x00") == "Đoànviên"


def test_normalize_line_removes_markup_but_keeps_ordinary_angle_brackets():
    assert normalize_line("Dòng một<br>dòng hai<br/>ba<br />") == "Dòng một dòng hai ba"
    assert normalize_line("<p class=MsoNormal><b>Mục đích</b><o:p></o:p></p>") == "Mục đích"
    assert normalize_line("GD&amp;ĐT&nbsp;thị&nbsp;xã &lt;b&gt;") == "GD&ĐT thị xã <b>"
    assert normalize_line("nếu a < b và c > d") == "nếu a < b và c > d"
    assert normalize_line("Gửi <tên đơn vị> và <ten don vi>") == "Gửi <tên đơn vị> và <ten don vi>"
    assert normalize_line("PGD&ĐT, R&D, &copy") == "PGD&ĐT, R&D, &copy"


def test_normalize_line_bold_markers():
    assert normalize_line("**TM. BAN CHẤP HÀNH**") == "TM. BAN CHẤP HÀNH"
    assert normalize_line("**TM.BCH CÔNG ĐOÀN") == "TM.BCH CÔNG ĐOÀN"
    assert normalize_line("CHỦ TỊCH**") == "CHỦ TỊCH"
    assert (
        normalize_line("- **Tập trung** phát triển **đoàn viên**")
        == "- **Tập trung** phát triển **đoàn viên**"
    )


# --- read_text ----------------------------------------------------------------------------------------

PLAN = """\
CÔNG ĐOÀN TRƯỜNG MẦM NON HOA SEN          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
                                         Độc lập - Tự do - Hạnh phúc

Số: 07/KH-CĐ\t\t\tHoa Sen, ngày 2 tháng 10 năm 2024

**KẾ HOẠCH**
Hoạt động công đoàn năm học 2024\u00a0-\u00a02025

I. MỤC ĐÍCH, YÊU CẦU
1.\tChăm lo đời sống đoàn viên.
-\tTổ chức thăm hỏi khi ốm đau.

Nơi nhận:                                           **TM. BCH CÔNG ĐOÀN
- LĐLĐ huyện;                                        CHỦ TỊCH**
- Lưu CĐ.                                             Trần Thị Mai
"""


def test_read_text_splits_side_by_side_columns_into_cells():
    lines = read_text(PLAN)
    cells = [(line.text, line.cell) for line in lines if line.cell]
    assert cells == [
        ("CÔNG ĐOÀN TRƯỜNG MẦM NON HOA SEN", (0, 0)),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", (0, 1)),
        ("Độc lập - Tự do - Hạnh phúc", (1, 1)),
        ("Số: 07/KH-CĐ", (2, 0)),
        ("Hoa Sen, ngày 2 tháng 10 năm 2024", (2, 1)),
        ("Nơi nhận:", (3, 0)),
        ("TM. BCH CÔNG ĐOÀN", (3, 1)),
        ("- LĐLĐ huyện;", (4, 0)),
        ("CHỦ TỊCH", (4, 1)),
        ("- Lưu CĐ.", (5, 0)),
        ("Trần Thị Mai", (5, 1)),
    ]


def test_read_text_keeps_order_drops_blank_lines_and_normalises():
    lines = read_text(PLAN)
    assert texts(lines)[5:10] == [
        "KẾ HOẠCH",
        "Hoạt động công đoàn năm học 2024 - 2025",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Chăm lo đời sống đoàn viên.",  # the tab Word puts after a list number is not a column
        "- Tổ chức thăm hỏi khi ốm đau.",
    ]
    assert all(line.text and line.text == line.text.strip() for line in lines)
    assert [line.text for line in lines if line.bold] == ["KẾ HOẠCH", "TM. BCH CÔNG ĐOÀN", "CHỦ TỊCH"]


def test_read_text_bold_span_over_several_lines():
    lines = read_text("Ban Thường vụ.\n**TM. BAN THƯỜNG VỤ\nPHÓ CHỦ TỊCH\n\nCHỦ TỊCH**\n\nLê Văn Nam")
    assert [(line.text, line.bold) for line in lines] == [
        ("Ban Thường vụ.", False),
        ("TM. BAN THƯỜNG VỤ", True),
        ("PHÓ CHỦ TỊCH", True),
        ("CHỦ TỊCH", True),
        ("Lê Văn Nam", False),
    ]


def test_read_text_stray_bold_marker_is_dropped_without_making_the_rest_bold():
    lines = read_text("**Mục đích\nTăng cường đoàn kết.\nPhát triển đoàn viên.")
    assert [(line.text, line.bold) for line in lines] == [
        ("Mục đích", False),
        ("Tăng cường đoàn kết.", False),
        ("Phát triển đoàn viên.", False),
    ]


def test_read_text_markup_line_breaks_and_entities():
    lines = read_text(
        "Căn cứ Điều lệ;<br>Căn cứ Nghị quyết;<br/>&nbsp;<p>Thực hiện&nbsp;kế hoạch &amp; chỉ thị</p>"
    )
    assert texts(lines) == ["Căn cứ Điều lệ;", "Căn cứ Nghị quyết;", "Thực hiện kế hoạch & chỉ thị"]


def test_read_text_line_ends_and_empty_input():
    assert texts(read_text("Một\r\nHai\rBa\u2028Bốn\x0cNăm")) == ["Một", "Hai", "Ba", "Bốn", "Năm"]
    assert read_text("") == []
    assert read_text(" \n\t\u00a0\n<br>") == []


def test_read_text_a_line_pushed_right_is_the_right_column():
    lines = read_text("Chủ tịch ký.\n                    Nguyễn Văn An\nGhi chú        ")
    assert [(line.text, line.cell) for line in lines] == [
        ("Chủ tịch ký.", None),
        ("Nguyễn Văn An", (0, 1)),
        ("Ghi chú", (1, 0)),
    ]


def test_source_line_round_trips_through_a_dict():
    line = SourceLine("TM. BCH", bold=True, cell=(3, 1))
    assert SourceLine.from_dict(line.as_dict()) == line


# --- decode -------------------------------------------------------------------------------------------

VIETNAMESE = "Kế hoạch hoạt động Công đoàn năm học 2024 - 2025: chăm lo đời sống, bảo vệ quyền lợi đoàn viên."


def cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: precomposed base letters, tone marks as combining characters."""
    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", char)
            tones = [m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323"]
            rest = unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in tones))
            out.append((rest + "".join(tones)).encode("cp1258"))
    return b"".join(out)


@pytest.mark.parametrize(
    "data",
    [
        VIETNAMESE.encode("utf-8"),
        VIETNAMESE.encode("utf-8-sig"),
        VIETNAMESE.encode("utf-16"),  # with BOM
        b"\xfe\xff" + VIETNAMESE.encode("utf-16-be"),
        VIETNAMESE.encode("utf-32"),
        unicodedata.normalize("NFD", VIETNAMESE).encode("utf-8"),
        cp1258(VIETNAMESE),
    ],
    ids=["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32", "utf-8-nfd", "cp1258"],
)
def test_decode_common_encodings(data):
    assert decode(data) == VIETNAMESE


def test_decode_cp1258_really_is_the_legacy_encoding():
    data = cp1258(VIETNAMESE)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert b"\xf2" in data  # a combining dot below, as Windows-1258 writes it


def test_decode_windows_1252_when_the_bytes_cannot_be_vietnamese():
    assert decode("Perché così, Señor".encode("cp1252")) == "Perché così, Señor"


def test_decode_utf16_without_bom():
    assert decode("Ke hoach nam 2024 của công đoàn".encode("utf-16-le")) == "Ke hoach nam 2024 của công đoàn"


@pytest.mark.parametrize(
    "data",
    [b"abc\x00def", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(1, 32)) * 4, b"\xff\xfe\x00\xd8"],
)
def test_decode_refuses_binary(data):
    with pytest.raises(ImportRefused, match="không phải là văn bản|lỗi mã hóa"):
        decode(data)


def test_decode_refuses_empty_input():
    with pytest.raises(ImportRefused, match="Tệp trống"):
        decode(b"")


# --- .docx: text, bold, numbering ---------------------------------------------------------------------


def test_docx_paragraphs_headings_and_bold_runs():
    document = Document()
    document.add_heading("KẾ HOẠCH HOẠT ĐỘNG", level=1)
    document.add_paragraph("Hoạt động năm 2024", style="Title")
    document.add_paragraph().add_run("TM. BAN CHẤP HÀNH").bold = True
    mixed = document.add_paragraph()
    mixed.add_run("Chủ đề: ").bold = True
    mixed.add_run("Đoàn kết")
    explicit = document.add_paragraph()
    explicit.add_run("   ")  # whitespace-only runs do not count
    explicit.add_run("Đậm").bold = True
    not_bold = document.add_heading("Không đậm", level=2)
    not_bold.runs[0].bold = False
    document.add_paragraph("")
    document.add_paragraph("Căn\u00a0cứ\tĐiều lệ   Công đoàn")

    lines = read_docx(docx_bytes(document))

    assert [(line.text, line.bold) for line in lines] == [
        ("KẾ HOẠCH HOẠT ĐỘNG", True),
        ("Hoạt động năm 2024", True),
        ("TM. BAN CHẤP HÀNH", True),
        ("Chủ đề: Đoàn kết", False),
        ("Đậm", True),
        ("Không đậm", False),
        ("Căn cứ Điều lệ Công đoàn", False),
    ]
    assert all(line.cell is None and line.auto_number is None for line in lines)


def test_docx_list_number_and_list_bullet_styles():
    document = Document()
    document.add_paragraph("Mục đích", style="List Number")
    document.add_paragraph("Tuyên truyền", style="List Bullet")
    document.add_paragraph("Yêu cầu", style="List Number")
    document.add_paragraph("Thường xuyên", style="List Bullet")
    document.add_paragraph("Tổ chức thực hiện", style="List Number")

    lines = read_docx(docx_bytes(document))

    assert [(line.auto_number, line.level, line.text) for line in lines] == [
        ("1.", 0, "Mục đích"),
        ("•", 0, "Tuyên truyền"),  # the template's Symbol-font bullet
        ("2.", 0, "Yêu cầu"),
        ("•", 0, "Thường xuyên"),
        ("3.", 0, "Tổ chức thực hiện"),
    ]


def add_outline_numbering(document, *, legal: bool = True) -> None:
    """abstractNum 90 / num 90: I. / 1.1. (isLgl) / a) / - ; num 91 restarts it at V."""
    levels = [("upperRoman", "%1.", ""), ("decimal", "%1.%2.", "<w:isLgl/>" if legal else ""),
              ("lowerLetter", "%3)", ""), ("bullet", "\u2013", "")]  # fmt: skip
    xml = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/>{extra}<w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text, extra) in enumerate(levels)
    )
    numbering = document.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    first_num.addprevious(
        parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{xml}</w:abstractNum>')
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="90"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>'
        )
    )


def numbered(document, text: str, ilvl: int, num_id: int = 90):
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )
    return paragraph


def test_docx_automatic_multilevel_numbering():
    document = Document()
    add_outline_numbering(document)
    outline = [
        ("Mục đích, yêu cầu", 0), ("Mục đích", 1), ("Yêu cầu", 1), ("Đoàn viên", 2), ("Người lao động", 2),
        ("Kết quả", 3), ("Nội dung", 0), ("Tuyên truyền", 1), ("Trên mạng", 2), ("Tổ chức", 0),
    ]  # fmt: skip
    for text, ilvl in outline:
        numbered(document, text, ilvl)
    document.add_paragraph("Đoạn văn thường không có số.")
    numbered(document, "Phần riêng", 0, num_id=91)
    numbered(document, "Mục riêng", 1, num_id=91)

    lines = read_docx(docx_bytes(document))

    assert [(line.auto_number, line.level) for line in lines] == [
        ("I.", 0), ("1.1.", 1), ("1.2.", 1), ("a)", 2), ("b)", 2), ("-", 3), ("II.", 0), ("2.1.", 1),
        ("a)", 2), ("III.", 0), (None, None), ("V.", 0), ("5.1.", 1),
    ]  # fmt: skip
    assert texts(lines)[:3] == ["Mục đích, yêu cầu", "Mục đích", "Yêu cầu"]


def test_docx_numbering_without_legal_style_shows_the_parent_format():
    document = Document()
    add_outline_numbering(document, legal=False)
    numbered(document, "Phần", 0)
    numbered(document, "Mục", 1)
    assert [line.auto_number for line in read_docx(docx_bytes(document))] == ["I.", "I.1."]


def test_docx_numbering_through_a_paragraph_style_and_restart_after_a_heading_level():
    document = Document()
    add_outline_numbering(document)
    styles = document.styles.element
    styles.append(
        parse_xml(
            f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Muc"><w:name w:val="Muc"/>'
            '<w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="90"/></w:numPr></w:pPr></w:style>'
        )
    )
    numbered(document, "Phần một", 0)
    document.add_paragraph("Mục A", style="Muc")
    document.add_paragraph("Mục B", style="Muc")
    numbered(document, "Phần hai", 0)
    document.add_paragraph("Mục C", style="Muc")
    assert [line.auto_number for line in read_docx(docx_bytes(document))] == [
        "I.",
        "1.1.",
        "1.2.",
        "II.",
        "2.1.",
    ]


# --- .docx: tables, tracked changes, fields -----------------------------------------------------------


def test_docx_header_table_cells_in_document_order():
    document = Document()
    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].add_run("LĐLĐ HUYỆN AN BÌNH").bold = False
    left.add_paragraph().add_run("CÔNG ĐOÀN TRƯỜNG TH AN BÌNH").bold = True
    right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold = True
    right.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    document.add_paragraph("KẾ HOẠCH")
    signature = document.add_table(rows=2, cols=2)
    signature.cell(0, 0).text = "Nơi nhận:"
    signature.cell(0, 1).text = "TM. BCH CÔNG ĐOÀN"
    signature.cell(1, 0).text = "- Lưu CĐ."
    inner = signature.cell(1, 1).add_table(rows=1, cols=2)  # nested: flattened into the outer cell
    inner.cell(0, 0).text = "Ký tên"
    inner.cell(0, 1).text = "Đóng dấu"

    lines = read_docx(docx_bytes(document))

    assert [(line.text, line.cell, line.bold) for line in lines] == [
        ("LĐLĐ HUYỆN AN BÌNH", (0, 0), False),
        ("CÔNG ĐOÀN TRƯỜNG TH AN BÌNH", (0, 0), True),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", (0, 1), True),
        ("Độc lập - Tự do - Hạnh phúc", (0, 1), False),
        ("KẾ HOẠCH", None, False),
        ("Nơi nhận:", (1, 0), False),
        ("TM. BCH CÔNG ĐOÀN", (1, 1), False),
        ("- Lưu CĐ.", (2, 0), False),
        ("Ký tên", (2, 1), False),
        ("Đóng dấu", (2, 1), False),
    ]


def test_docx_paragraph_flattened_with_spaces_is_split_like_text():
    document = Document()
    document.add_paragraph("- Lưu VP." + " " * 30 + "Phan Thị Thu")
    lines = read_docx(docx_bytes(document))
    assert [(line.text, line.cell) for line in lines] == [("- Lưu VP.", (0, 0)), ("Phan Thị Thu", (0, 1))]


def test_docx_tracked_changes_fields_hyperlinks_and_breaks():
    document = Document()
    paragraph = document.add_paragraph("Tổ chức ")
    add_xml(paragraph, '<w:del w:id="1" w:author="A"><w:r><w:delText>hội thi </w:delText></w:r></w:del>')
    add_xml(paragraph, '<w:ins w:id="2" w:author="A"><w:r><w:t>hội diễn</w:t></w:r></w:ins>')
    add_xml(paragraph, '<w:moveFrom w:id="3" w:author="A"><w:r><w:t> cũ</w:t></w:r></w:moveFrom>')
    fields = document.add_paragraph("Trang ")
    add_xml(fields, '<w:r><w:fldChar w:fldCharType="begin"/></w:r>')
    add_xml(fields, '<w:r><w:instrText xml:space="preserve"> PAGE \\* MERGEFORMAT </w:instrText></w:r>')
    add_xml(fields, "<w:r><w:t>IGNORED</w:t></w:r>")  # still in the instructions
    add_xml(fields, '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>')
    add_xml(fields, '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    link = document.add_paragraph("Xem ")
    add_xml(link, '<w:hyperlink r:id="rId99"><w:r><w:t>cổng thông tin</w:t></w:r></w:hyperlink>')
    broken = document.add_paragraph()
    broken.add_run("TM. BCH CÔNG ĐOÀN").bold = True
    add_xml(broken, "<w:r><w:br/><w:t>CHỦ TỊCH</w:t></w:r>")
    hidden = document.add_paragraph("Hiện")
    add_xml(hidden, "<w:r><w:rPr><w:vanish/></w:rPr><w:t> ẩn</w:t></w:r>")
    add_xml(document.add_paragraph(), '<w:del w:id="4" w:author="A"><w:r><w:t>Bị xóa</w:t></w:r></w:del>')

    lines = read_docx(docx_bytes(document))

    assert [(line.text, line.bold) for line in lines] == [
        ("Tổ chức hội diễn", False),
        ("Trang 3", False),
        ("Xem cổng thông tin", False),
        ("TM. BCH CÔNG ĐOÀN", True),
        ("CHỦ TỊCH", False),
        ("Hiện", False),
    ]


def test_docx_numbered_paragraph_with_a_line_break_numbers_only_its_first_line():
    document = Document()
    paragraph = document.add_paragraph("Nội dung", style="List Number")
    add_xml(paragraph, "<w:r><w:br/><w:t>tiếp theo</w:t></w:r>")
    lines = read_docx(docx_bytes(document))
    assert [(line.text, line.auto_number) for line in lines] == [("Nội dung", "1."), ("tiếp theo", None)]


def test_docx_text_box_content_is_read_once():
    document = Document()
    paragraph = document.add_paragraph("Trước")
    box = "<w:p><w:r><w:t>{}</w:t></w:r></w:p>"
    add_xml(
        paragraph,
        '<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        f'<mc:Choice Requires="wps"><w:drawing><w:txbxContent>{box.format("Ô chữ")}</w:txbxContent>'
        f"</w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>{box.format('Ô chữ')}</w:txbxContent>"
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r>",
    )
    assert texts(read_docx(docx_bytes(document))) == ["Trước", "Ô chữ"]


def test_docx_external_relationships_are_not_followed(no_network):
    document = Document()
    paragraph = document.add_paragraph("Xem tại ")
    r_id = document.part.relate_to("http://example.invalid/track", RT.HYPERLINK, is_external=True)
    add_xml(paragraph, f'<w:hyperlink r:id="{r_id}"><w:r><w:t>trang web</w:t></w:r></w:hyperlink>')
    image_id = document.part.relate_to("http://example.invalid/logo.png", RT.IMAGE, is_external=True)
    vml = 'xmlns:v="urn:schemas-microsoft-com:vml"'
    add_xml(document.add_paragraph(), f'<w:r><w:pict><v:imagedata {vml} r:id="{image_id}"/></w:pict></w:r>')
    chunk_id = document.part.relate_to("http://example.invalid/chunk.html", RT.A_F_CHUNK, is_external=True)
    document.element.body.append(parse_xml(f'<w:altChunk {nsdecls("w", "r")} r:id="{chunk_id}"/>'))
    settings_part = document.part._settings_part
    template_id = settings_part.relate_to("file:///etc/passwd", f"{R}/attachedTemplate", is_external=True)
    settings_part.element.append(parse_xml(f'<w:attachedTemplate {nsdecls("w", "r")} r:id="{template_id}"/>'))
    document.sections[0].header.add_paragraph("Tiêu đề trang")
    document.sections[0].footer.add_paragraph("Chân trang")

    lines = read_docx(docx_bytes(document))

    assert texts(lines) == ["Xem tại trang web"]
    assert no_network == []


def test_docx_exported_by_the_app_reads_back(draft_plan):
    from plans.docx import render_docx
    from tests.plans.test_rendering import add_tree

    lines = read_docx(render_docx(add_tree(draft_plan)))

    by_text = {line.text: line for line in lines}
    assert lines[0].cell == (0, 0)
    assert by_text["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"].cell[1] == 1
    assert by_text["KẾ HOẠCH"].bold and by_text["KẾ HOẠCH"].cell is None
    assert by_text["Nơi nhận:"].cell[1] == 0
    assert by_text["TM. BAN CHẤP HÀNH"].cell[1] == 1
    assert by_text["Nơi nhận:"].cell[0] == by_text["TM. BAN CHẤP HÀNH"].cell[0] > 0


# --- .docx: refused -----------------------------------------------------------------------------------


def test_zip_bomb_of_200_megabytes_is_refused_without_unpacking():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("word/document.xml", document_xml("<w:p/>"))
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as entry:
            chunk = bytes(1024 * 1024)
            for _ in range(200):
                entry.write(chunk)
    data = buffer.getvalue()
    assert len(data) < 2 * 1024 * 1024
    with pytest.raises(ImportRefused, match="quá lớn khi giải nén"):
        read_docx(data)


def test_highly_compressed_entry_is_refused_as_a_bomb():
    data = make_zip(
        {"word/document.xml": document_xml("<w:p/>"), "word/media/a.bin": bytes(20 * 1024 * 1024)}
    )
    with pytest.raises(ImportRefused, match="bom nén"):
        read_docx(data)


def test_forged_declared_size_is_refused():
    data = bytearray(make_zip({"word/document.xml": document_xml("<w:p/>")}))
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 300 * 1024 * 1024)  # uncompressed size
    with pytest.raises(ImportRefused, match="quá lớn khi giải nén"):
        read_docx(bytes(data))


def test_too_many_entries_is_refused():
    entries = {"word/document.xml": document_xml("<w:p/>")} | {f"word/media/{i}.txt": "" for i in range(2001)}
    with pytest.raises(ImportRefused, match="quá nhiều thành phần"):
        read_docx(make_zip(entries))


BILLION_LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + "]>"
)


@pytest.mark.parametrize(
    ("prolog", "body"),
    [
        (BILLION_LAUGHS, "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"),
        (
            '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
            "<w:p><w:r><w:t>&x;</w:t></w:r></w:p>",
        ),
        (
            '<!DOCTYPE w:document [<!ENTITY x SYSTEM "http://example.invalid/x">]>',
            "<w:p><w:r><w:t>&x;</w:t></w:r></w:p>",
        ),
        ('<!DOCTYPE w:document SYSTEM "http://example.invalid/doc.dtd">', "<w:p/>"),
        ('<!DOCTYPE w:document [<!ENTITY % p SYSTEM "http://example.invalid/p.dtd"> %p;]>', "<w:p/>"),
    ],
    ids=["billion-laughs", "file-entity", "http-entity", "external-dtd", "parameter-entity"],
)
def test_dtds_and_entities_are_refused_and_never_fetched(no_network, prolog, body):
    data = make_zip({"word/document.xml": document_xml(body, prolog)})
    with pytest.raises(ImportRefused, match="không an toàn") as refused:
        read_upload("kehoach.docx", data)
    assert "root:" not in str(refused.value)
    assert no_network == []


def test_entity_in_styles_part_is_refused_too():
    styles = f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><w:styles xmlns:w="{W}"/>'
    with pytest.raises(ImportRefused, match="không an toàn"):
        read_docx(make_zip({"word/document.xml": document_xml("<w:p/>"), "word/styles.xml": styles}))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Tệp trống"),
        ("Chỉ là văn bản thuần".encode().ljust(100), "không phải là tệp .docx hợp lệ"),
        (b"PK\x03\x04 truncated", "không phải là tệp .docx hợp lệ"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), r"\.doc cũ đã đổi đuôi"),
        (make_zip({"word/other.xml": "<x/>"}), "thiếu phần nội dung"),
        (make_zip({"word/document.xml": "<w:document"}), "bị hỏng"),
        (make_zip({"word/document.xml": document_xml("<w:p>&nbsp;</w:p>")}), "bị hỏng"),
        (make_zip({"word/document.xml": f'<w:document xmlns:w="{W}"/>'}), "bị hỏng"),
    ],
    ids=["empty", "text", "truncated-zip", "ole", "no-document", "bad-xml", "undefined-entity", "no-body"],
)
def test_docx_that_cannot_be_read_is_refused(data, message):
    with pytest.raises(ImportRefused, match=message):
        read_upload("kehoach.docx", data)


def test_deeply_nested_docx_is_refused():
    body = "<w:sdt><w:sdtContent>" * 500 + "<w:p/>" + "</w:sdtContent></w:sdt>" * 500
    with pytest.raises(ImportRefused, match="lồng nhau quá sâu"):
        read_docx(make_zip({"word/document.xml": document_xml(body)}))


# --- read_upload --------------------------------------------------------------------------------------


def test_upload_dispatches_on_extension():
    document = Document()
    document.add_paragraph("Từ tệp Word")
    assert texts(read_upload("Kế hoạch.DOCX", docx_bytes(document))) == ["Từ tệp Word"]
    assert texts(read_upload("C:\\Users\\cd\\ke-hoach.txt", "Từ tệp văn bản\n".encode("utf-16"))) == [
        "Từ tệp văn bản"
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("kehoach.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", r"\.doc cũ.*lưu lại thành \.docx"),
        ("kehoach.pdf", b"%PDF-1.7", r"Chỉ nhập được tệp \.docx hoặc \.txt \(tệp này có đuôi “\.pdf”\)"),
        ("kehoach", b"abc", "không có đuôi"),
        (
            "kehoach.txt",
            make_zip({"word/document.xml": "<x/>"}),
            r"đuôi \.txt nhưng thực chất là một tệp nén",
        ),
        ("kehoach.txt", b"%PDF-1.4\n...", "một tệp PDF"),
        ("kehoach.txt", b"{\\rtf1\\ansi Xin chao}", "một tệp RTF"),
        ("kehoach.txt", b"", "Tệp trống"),
        ("kehoach.txt", b"Xin\x00chao", "không phải là văn bản"),
    ],
)
def test_upload_refusals(name, data, message):
    with pytest.raises(ImportRefused, match=message):
        read_upload(name, data)


def test_messages_are_vietnamese_in_nfc():
    messages = [
        str(value)
        for name, value in vars(source).items()
        if name.isupper() and isinstance(value, (str, Promise))
    ]
    messages = [m for m in messages if " " in m]
    assert len(messages) >= 15
    assert all(unicodedata.is_normalized("NFC", message) for message in messages)
    assert "Tệp trống: không có nội dung nào để nhập." in messages


def test_messages_follow_the_active_language():
    """The messages are translated when raised, not frozen when the module is imported."""
    with translation.override("en"), pytest.raises(ImportRefused) as refused:
        read_upload("kehoach.txt", b"%PDF-1.4\n...")
    assert str(refused.value) == (
        "The file ends in .txt but is actually a PDF file, not plain text. "
        "Upload the .docx file itself, or save the content as a .txt text file."
    )
    with translation.override("vi"), pytest.raises(ImportRefused) as refused:
        read_upload("kehoach.txt", b"%PDF-1.4\n...")
    assert str(refused.value) == (
        "Tệp có đuôi .txt nhưng thực chất là một tệp PDF, không phải văn bản thuần. "
        "Hãy tải lên đúng tệp .docx, hoặc lưu nội dung thành tệp văn bản .txt."
    )
    assert isinstance(refused.value.args[0], str)


# --- properties ---------------------------------------------------------------------------------------

any_text = st.lists(
    st.one_of(
        st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
        st.sampled_from(
            ["\t", "\n", "\r", " " * 8, "\u00a0", "\u200b", "**", "<br>", "&nbsp;", "<b>", "&#10;"]
        ),
    ),
    max_size=20,
).map("".join)


def words(text: str) -> list[str]:
    return [word for word in text.replace("*", "").split(" ") if word]


@FUZZ
@given(any_text)
def test_read_text_loses_no_word_and_returns_clean_lines(text):
    try:
        lines = read_text(text)
    except ImportRefused:
        return
    assert words(" ".join(line.text for line in lines)) == words(normalize_line(text))
    for line in lines:
        assert line.text and line.text == line.text.strip() and "  " not in line.text
        assert unicodedata.is_normalized("NFC", line.text)
        assert not any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in line.text)
        assert "\u00a0" not in line.text and "\t" not in line.text


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(["a.txt", "a.docx", "a.doc", "a.TXT", "b"]))
def test_read_upload_on_arbitrary_bytes_returns_lines_or_refuses(data, name):
    try:
        lines = read_upload(name, data)
    except ImportRefused as refused:
        assert str(refused)
        return
    assert all(isinstance(line, SourceLine) for line in lines)


@FUZZ
@given(st.binary(max_size=300), st.text(max_size=300))
def test_read_docx_on_zips_of_random_content_returns_lines_or_refuses(junk, text):
    for document in (
        junk,
        text.encode("utf-8"),
        document_xml(escape(text)).encode(),
        document_xml(text).encode(),
    ):
        try:
            read_docx(make_zip({"word/document.xml": document, "word/numbering.xml": junk}))
        except ImportRefused:
            pass


# Random but structurally plausible WordprocessingML, to shake the numbering and the body walker.
values = st.sampled_from(["0", "1", "2", "3", "8", "9", "-1", "x", "", "99999999999999", "1e3"])
ids = st.one_of(st.sampled_from(["1", "2"]), values)  # mostly ids that refer to each other
small = st.one_of(st.sampled_from(["0", "1", "2"]), values)
fmts = st.sampled_from(["decimal", "upperRoman", "lowerRoman", "upperLetter", "lowerLetter", "bullet", "none",
                        "decimalZero", "ordinal", "bogus"])  # fmt: skip
lvl_texts = st.one_of(
    st.sampled_from(["%1.", "%1.%2.", "%3)", "%9", "%0", "%", "", "\uf0b7", "-"]),
    st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=5),
)
plain = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=8).map(escape)


def run_xml(text, bold):
    properties = f'<w:rPr><w:b w:val="{bold}"/></w:rPr>' if bold else ""
    return f"<w:r>{properties}<w:t>{text}</w:t></w:r>"


run = st.one_of(
    st.builds(run_xml, plain, st.sampled_from(["", "1", "0", "false", "on"])),
    st.sampled_from([
        "<w:r><w:br/></w:r>", "<w:r><w:tab/></w:r>", '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        "<w:r><w:instrText>ZZINSTRZZ</w:instrText></w:r>", '<w:r><w:sym w:char="F0B7"/></w:r>',
        '<w:r><w:sym w:char="zz"/></w:r>', '<w:r><w:sym w:char="D800"/></w:r>',
        "<w:r><w:noBreakHyphen/></w:r>",
    ]),
)  # fmt: skip


def paragraph_xml(children, num_id, ilvl, style):
    num = f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>' if num_id != "-" else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{num}</w:pPr>{"".join(children)}</w:p>'


paragraphs = st.builds(paragraph_xml, st.lists(run, max_size=4), st.one_of(ids, st.just("-")), small,
                       st.sampled_from(["S1", "S2", "Heading1", "none"]))  # fmt: skip
blocks = st.recursive(
    paragraphs,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda xs: f"<w:tbl><w:tr><w:tc>{''.join(xs)}</w:tc></w:tr></w:tbl>"),
        st.lists(inner, max_size=3).map(
            lambda xs: f"<w:sdt><w:sdtContent>{''.join(xs)}</w:sdtContent></w:sdt>"
        ),
        st.lists(inner, max_size=3).map(
            lambda xs: f"<w:ins>{''.join(xs)}</w:ins><w:del>{''.join(xs)}</w:del>"
        ),
    ),
    max_leaves=8,
)


def quoted_attr(text):
    return '"' + quoted(text) + '"'


def quoted(text):
    return escape(text, {'"': "&quot;"})


def level_xml(ilvl, start, fmt, text, restart, legal):
    legal = "<w:isLgl/>" if legal else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{quoted(text)}"/><w:lvlRestart w:val="{restart}"/>{legal}</w:lvl>'
    )


def abstract_xml(abstract_id, levels, link):
    link = f'<w:numStyleLink w:val="{link}"/>' if link else ""
    return f'<w:abstractNum w:abstractNumId="{abstract_id}">{"".join(levels)}{link}</w:abstractNum>'


def num_xml(num_id, abstract_id, override):
    if override:
        override = (
            f'<w:lvlOverride w:ilvl="{override[0]}"><w:startOverride w:val="{override[1]}"/></w:lvlOverride>'
        )
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'


levels = st.lists(
    st.builds(level_xml, small, small, fmts, lvl_texts, small, st.booleans()), min_size=1, max_size=4
)
abstracts = st.lists(
    st.builds(abstract_xml, ids, levels, st.sampled_from(["", "", "", "S1", "S2"])), max_size=4
)
nums = st.lists(st.builds(num_xml, ids, ids, st.none() | st.tuples(small, values)), min_size=1, max_size=4)
numbering_xml = st.builds(
    lambda abstracts, nums: f'<w:numbering xmlns:w="{W}">{"".join(abstracts)}{"".join(nums)}</w:numbering>',
    abstracts,
    nums,
)
styles_xml = st.builds(
    lambda n1, n2, base1, base2: f'<w:styles xmlns:w="{W}">'
    f'<w:style w:type="paragraph" w:styleId="S1"><w:name w:val="heading 1"/><w:basedOn w:val="{base1}"/>'
    f'<w:pPr><w:numPr><w:numId w:val="{n1}"/></w:numPr></w:pPr></w:style>'
    f'<w:style w:type="numbering" w:styleId="S2"><w:name w:val="x"/><w:basedOn w:val="{base2}"/>'
    f'<w:pPr><w:numPr><w:numId w:val="{n2}"/></w:numPr></w:pPr><w:rPr><w:b w:val="0"/></w:rPr>'
    "</w:style></w:styles>",
    ids, ids, st.sampled_from(["S1", "S2", "none"]), st.sampled_from(["S1", "S2", "none"]),
)  # fmt: skip


@FUZZ
@given(st.lists(blocks, min_size=1, max_size=6), numbering_xml, styles_xml)
def test_read_docx_on_random_wordprocessingml_returns_clean_lines(body, numbering, styles):
    data = make_zip(
        {
            "word/document.xml": document_xml("".join(body)),
            "word/numbering.xml": numbering,
            "word/styles.xml": styles,
        }
    )
    try:
        lines = read_docx(data)
    except ImportRefused:
        return
    for line in lines:
        assert line.text and line.text == line.text.strip()
        assert line.auto_number is None or (line.auto_number.strip() and len(line.auto_number) < 200)
        assert line.level is None or 0 <= line.level <= 8
        assert line.cell is None or (line.cell[0] >= 0 and line.cell[1] >= 0)
    assert "ZZINSTRZZ" not in " ".join(texts(lines))
