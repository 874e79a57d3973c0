"""The importer on real shapes of plans: the three samples, and fixtures written for this project in the
style of real plans, one per numbering and header variant."""

import io
import json
import os
import re
import unicodedata
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from plans import rendering
from plans.importing import service
from plans.importing.parser import parse
from plans.importing.source import read_text, read_upload

# The published sample plans live beside the project (../shared/samples), not in it; a clone elsewhere on
# the same machine finds them at the workspace path, and SAMPLES_DIR can point anywhere else.
SAMPLE_DIRS = [
    os.environ.get("SAMPLES_DIR", ""),
    Path(__file__).resolve().parents[3] / "shared" / "samples",
    "/work/shared/samples",
]


def outline(text):
    return [(s.level, s.number, s.heading) for s in parse(read_text(text)).outline()]


def top(text):
    return [(s.number, s.heading) for s in parse(read_text(text)).sections]


# ---------------------------------------------------------------------------------------------- samples


def sample(name):
    for folder in SAMPLE_DIRS:
        if folder and (Path(folder) / name).is_file():
            return (Path(folder) / name).read_text(encoding="utf-8")
    pytest.fail(f"sample {name} not found in {SAMPLE_DIRS}: set SAMPLES_DIR to the shared samples folder")


def test_term_plan_sample():
    parsed = parse(read_text(sample("term-plan-2023-2028-kindergarten.txt")))
    assert (parsed.reference, parsed.number, parsed.symbol) == ("18/KH-CĐMNTT", 18, "CĐMNTT")
    assert (parsed.place, parsed.dated_on.isoformat(), parsed.document_type) == (
        "Trường Thọ",
        "2023-03-05",
        "KẾ HOẠCH",
    )
    assert parsed.title == "HOẠT ĐỘNG CÔNG ĐOÀN, NHIỆM KỲ 2023- 2028"
    assert [s.number for s in parsed.sections] == ["I", "II"]
    assert parsed.sections[1].heading.startswith("MỤC TIÊU, PHƯƠNG HƯỚNG")
    assert [c.number for c in parsed.sections[1].children] == ["1", "2", "3", "4"]
    assert [c.number for c in parsed.sections[1].children[2].children][:3] == ["3.1", "3.2", "3.3"]
    assert (parsed.signature_authority, parsed.signature_title, parsed.signer_name) == (
        "TM.BCH CÔNG ĐOÀN", "CHỦ TỊCH", "Nguyễn Thị Lan Hương",
    )  # fmt: skip


def test_school_year_sample_with_flattened_signature():
    parsed = parse(read_text(sample("school-year-plan-2024-2025-kindergarten.txt")))
    assert (parsed.place, parsed.dated_on.isoformat()) == ("Hương Thủy", "2024-09-18")
    assert parsed.title == "HOẠT ĐỘNG CÔNG ĐOÀN NĂM HỌC 2024-2025"
    assert len(parsed.legal_bases) == 5 and parsed.legal_bases[0].startswith("Căn cứ Công văn số 348")
    assert [s.number for s in parsed.sections] == ["1", "2", "3", "4"]
    assert parsed.sections[0].heading == "Nhiệm vụ trọng tâm"
    assert (parsed.signature_title, parsed.signer_name) == ("CHỦ TỊCH", "Nguyễn Thị Huệ")
    assert parsed.recipients == ["LĐLĐ Thị xã Hương Thủy", "BGH Trường", "Tổ CĐ Trường", "Lưu CĐ"]


def test_district_theme_sample():
    parsed = parse(read_text(sample("district-theme-plan-2023.txt")))
    assert (parsed.place, parsed.dated_on.isoformat(), parsed.reference) == ("Long Biên", "2023-01-18", None)
    assert parsed.title.startswith("Thực hiện chủ đề công tác năm 2023")
    assert [(s.number, s.heading) for s in parsed.sections] == [
        ("I", "Mục đích, yêu cầu"), ("II", "Nội dung:"), ("III", "Tổ chức thực hiện"),
    ]  # fmt: skip
    assert parsed.signature_authority == "TM. BAN THƯỜNG VỤ" and parsed.signer_name == "Phan Thị Thu Hằng"
    assert parsed.recipients[-1] == "Lưu VP"


def words(text):
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())


@pytest.mark.parametrize(
    "name",
    ["term-plan-2023-2028-kindergarten.txt", "school-year-plan-2024-2025-kindergarten.txt",
     "district-theme-plan-2023.txt"],
)  # fmt: skip
def test_every_paragraph_of_a_sample_reaches_the_pdf_in_order(union_a, chair, name):
    """Nothing is dropped: each source paragraph's words appear in the PDF text, in the source's order."""
    lines = read_text(sample(name))
    plan = service.create_plan(union_a, chair, lines)
    pdf_words = words(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(rendering.render_pdf(plan))).pages)
    )
    joined = " ".join(pdf_words)
    position = 0
    # printed from the plan, not copied: the reference carries the importing union's symbol, the date its
    # recipients' title is spelt right, and rules are drawn
    skipped = {"decoration", "reference", "recipients_title", "place_date"}
    for item in parse(lines).items:
        if item.role in skipped or not words(item.text):
            continue
        probe = " ".join(words(item.text)[:6])  # the start of every paragraph (the PDF wraps lines)
        found = joined.find(probe, 0 if item.role in ("motto", "reference", "place_date") else 0)
        assert found >= 0, f"line {item.index + 1} ({item.role}) is missing: {item.text[:80]}"
        if item.role in ("basis", "preamble", "heading", "body"):
            assert found >= position or joined.find(probe, position) >= 0, (
                f"line {item.index + 1} out of order"
            )
            position = max(
                position, joined.find(probe, position) if joined.find(probe, position) >= 0 else found
            )


# ---------------------------------------------------------------------------------------------- variants

HEADER_ONE_PER_LINE = """LĐLĐ HUYỆN HOÀ BÌNH
CÔNG ĐOÀN CƠ SỞ TRƯỜNG TIỂU HỌC SEN HỒNG
Số: 05/KH-CĐTHSH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Sen Hồng, ngày 12 tháng 9 năm 2025
KẾ HOẠCH
Hoạt động công đoàn năm học 2025-2026
Căn cứ Điều lệ Công đoàn Việt Nam;
Căn cứ kế hoạch năm học của nhà trường.
I. MỤC ĐÍCH, YÊU CẦU
Chăm lo đời sống đoàn viên.
II. NHIỆM VỤ
Tổ chức tốt các phong trào thi đua.
Trên đây là kế hoạch hoạt động công đoàn năm học 2025-2026.
TM. BAN CHẤP HÀNH
CHỦ TỊCH
Lê Thị Mai
Nơi nhận:
- CĐ phường Sen Hồng;
- Lưu: VT.
"""

HEADER_INTERLEAVED = """LĐLĐ HUYỆN HOÀ BÌNH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
CÔNG ĐOÀN CƠ SỞ TRƯỜNG TIỂU HỌC SEN HỒNG
Độc lập - Tự do - Hạnh phúc
Số 05/ KH-CĐTHSH
Sen Hồng, ngày 12 tháng 9 năm 2025
KẾ HOẠCH
Hoạt động công đoàn năm học 2025-2026
I. MỤC ĐÍCH, YÊU CẦU
Chăm lo đời sống đoàn viên.
"""

HEADER_SIDE_BY_SIDE = (
    "LĐLĐ HUYỆN HOÀ BÌNH                      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "CÔNG ĐOÀN CƠ SỞ TRƯỜNG TIỂU HỌC SEN HỒNG          Độc lập - Tự do - Hạnh phúc\n"
    "Số:05 /BC-CĐTHSH                       Sen Hồng, ngày 12 tháng 9 năm 2025\n"
    "BÁO CÁO\n"
    "Kết quả hoạt động quý III năm 2025\n"
    "I. KẾT QUẢ\n"
    "Đã hoàn thành các chỉ tiêu.\n"
)


@pytest.mark.parametrize("text", [HEADER_ONE_PER_LINE, HEADER_INTERLEAVED, HEADER_SIDE_BY_SIDE])
def test_header_columns_in_any_arrangement(text):
    parsed = parse(read_text(text))
    assert parsed.governing_body_line == "LĐLĐ HUYỆN HOÀ BÌNH"
    assert parsed.issuer_line == "CÔNG ĐOÀN CƠ SỞ TRƯỜNG TIỂU HỌC SEN HỒNG"
    assert parsed.number == 5 and parsed.symbol == "CĐTHSH"
    assert (parsed.place, parsed.dated_on.isoformat()) == ("Sen Hồng", "2025-09-12")
    assert len(parsed.motto) == 2
    assert parsed.sections[0].number == "I"


def test_reference_spellings_and_document_types():
    parsed = parse(read_text(HEADER_SIDE_BY_SIDE))
    assert (parsed.reference, parsed.document_type, parsed.title) == (
        "05/BC-CĐTHSH", "BÁO CÁO", "Kết quả hoạt động quý III năm 2025",
    )  # fmt: skip
    assert parse(read_text("Số: /KH-CĐCS\nKẾ HOẠCH\nTên\nI. A\nB")).number is None


def test_the_one_per_line_fixture_completely():
    parsed = parse(read_text(HEADER_ONE_PER_LINE))
    assert parsed.legal_bases == [
        "Căn cứ Điều lệ Công đoàn Việt Nam;",
        "Căn cứ kế hoạch năm học của nhà trường.",
    ]
    assert parsed.closing == ["Trên đây là kế hoạch hoạt động công đoàn năm học 2025-2026."]
    assert (parsed.signature_authority, parsed.signature_title, parsed.signer_name) == (
        "TM. BAN CHẤP HÀNH", "CHỦ TỊCH", "Lê Thị Mai",
    )  # fmt: skip
    assert parsed.recipients == ["CĐ phường Sen Hồng", "Lưu: VT"]
    assert parsed.notes == []


BODY = "Nội dung của mục."


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["I. Một", "II. Hai"], [(1, "I", "Một"), (1, "II", "Hai")]),
        (["I - Một", "II - Hai"], [(1, "I", "Một"), (1, "II", "Hai")]),
        (["I- Một", "II- Hai"], [(1, "I", "Một"), (1, "II", "Hai")]),
        (["I/ Một", "II/ Hai"], [(1, "I", "Một"), (1, "II", "Hai")]),
        (["PHẦN 1: TÌNH HÌNH", "PHẦN 2: NHIỆM VỤ"], [(1, "PHẦN 1", "TÌNH HÌNH"), (1, "PHẦN 2", "NHIỆM VỤ")]),
        (["A. Phần chung", "B- Phần riêng"], [(1, "A", "Phần chung"), (1, "B", "Phần riêng")]),
        (["1. Một", "1.1. Một một", "1.2 Một hai", "2. Hai"],
         [(1, "1", "Một"), (2, "1.1", "Một một"), (2, "1.2", "Một hai"), (1, "2", "Hai")]),
        (["I. Một", "1. Con", "1.1. Cháu", "a) Chắt", "b) Chắt hai", "2. Con hai"],
         [(1, "I", "Một"), (2, "1", "Con"), (3, "1.1", "Cháu"), (4, "a", "Chắt"), (4, "b", "Chắt hai"),
          (2, "2", "Con hai")]),
        (["1) Một", "2) Hai"], [(1, "1", "Một"), (1, "2", "Hai")]),
        (["I. LỊCH HOẠT ĐỘNG", "QUÝ III/2021 (Tháng 7 – 9)", "QUÝ IV/2021 (Tháng 10 – 12)"],
         [(1, "I", "LỊCH HOẠT ĐỘNG"), (2, "", "QUÝ III/2021 (Tháng 7 – 9)"),
          (2, "", "QUÝ IV/2021 (Tháng 10 – 12)")]),
    ],
)  # fmt: skip
def test_every_numbering_style(lines, expected):
    text = "KẾ HOẠCH\nKế hoạch thử\n" + "\n".join(f"{line}\n{BODY}" for line in lines)
    assert outline(text) == expected


def test_numbers_in_text_are_not_headings():
    parsed = parse(read_text("KẾ HOẠCH\nTên\nI. Mục\n1.500.000 đồng cho mỗi đoàn viên.\n3.000 lượt"))
    assert [s.heading for s in parsed.outline()] == ["Mục"]


def test_bullets_stay_body_text_of_their_section():
    parsed = parse(read_text("KẾ HOẠCH\nTên\nI. Mục đích\n- Gạch một\n+ Cộng hai\n• Chấm ba\nĐoạn thường."))
    assert parsed.sections[0].body == ["- Gạch một", "+ Cộng hai", "- Chấm ba", "Đoạn thường."]


def test_normalisation_nbsp_tabs_markup_and_decomposed_text():
    text = "KẾ HOẠCH\nTên\nI.\u00a0Mu\u0323c đi\u0301ch\nDòng\tcó<br>thẻ&nbsp;lạ."
    parsed = parse(read_text(text))
    assert parsed.sections[0].heading == "Mục đích"
    assert " ".join(parsed.sections[0].body).replace("  ", " ") in (
        "Dòng có thẻ lạ.",
        "Dòng có\nthẻ lạ.",
        "Dòng có thẻ lạ",
    )


def test_a_paragraph_broken_by_copying_is_joined():
    parsed = parse(read_text("KẾ HOẠCH\nTên\nI. Mục\nTriển khai thực hiện Kế\n\nhoạch hành động của ngành."))
    assert parsed.sections[0].body == ["Triển khai thực hiện Kế hoạch hành động của ngành."]


def test_a_cut_off_document_imports_as_far_as_it_goes(union_a, chair):
    text = HEADER_ONE_PER_LINE.split("Tổ chức tốt")[0] + "Tổ chức tốt các phong trào thi đua trong"
    lines = read_text(text)
    parsed = parse(lines)
    assert [s.number for s in parsed.sections] == ["I", "II"]
    assert any("cắt ngang" in note for note in parsed.notes)
    assert any("chữ ký" in note for note in parsed.notes)
    plan = service.create_plan(union_a, chair, lines)
    assert plan.sections.get(source_number="II").body == "Tổ chức tốt các phong trào thi đua trong"


def test_a_document_with_no_known_shape_keeps_every_line(union_a, chair):
    text = "ghi chú linh tinh\nmột dòng khác\nvà một dòng nữa"
    parsed = parse(read_text(text))
    assert words(" ".join(parsed.preamble)) == words(text)
    assert parsed.notes  # says what it could not find
    plan = service.create_plan(union_a, chair, read_text(text))
    assert words(plan.preamble) == words(text)


def test_corrections_change_a_line_and_the_header():
    lines = read_text("KẾ HOẠCH\nTên\nI. Mục một\n1. Con số một\nDòng thường\nII. Mục hai")
    index = next(i for i, line in enumerate(lines) if line.text == "Dòng thường")
    heading_index = next(i for i, line in enumerate(lines) if line.text == "1. Con số một")
    corrections = {
        "lines": {str(index): {"kind": "heading", "level": 2}, str(heading_index): {"kind": "body"}},
        "header": {"title": "Tên đã sửa", "reference": "09/KH-CĐX", "dated_on": "2025-10-02"},
    }
    parsed = parse(lines, corrections)
    assert [(s.level, s.heading) for s in parsed.outline()] == [
        (1, "Mục một"),
        (2, "Dòng thường"),
        (1, "Mục hai"),
    ]
    assert parsed.sections[0].body == ["1. Con số một"]
    assert (parsed.title, parsed.number, parsed.dated_on.isoformat()) == ("Tên đã sửa", 9, "2025-10-02")


def test_docx_with_bold_headings_and_automatic_numbering(union_a, chair):
    """Word's automatic numbering: the number is not in the text, the reader computes it."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH").runs[0].bold = True
    document.add_paragraph("Hoạt động năm 2026")
    for text in ("Mục đích, yêu cầu", "Nhiệm vụ"):
        document.add_paragraph(text, style="List Number")
        document.add_paragraph("Nội dung của phần này.")
    bold = document.add_paragraph()
    bold.add_run("Tổ chức thực hiện").bold = True
    document.add_paragraph("Các tổ công đoàn triển khai.")
    buffer = io.BytesIO()
    document.save(buffer)
    lines = read_upload("ke-hoach.docx", buffer.getvalue())
    assert [line.auto_number for line in lines if line.auto_number] == ["1.", "2."]
    parsed = parse(lines)
    assert [(s.number, s.heading) for s in parsed.sections] == [
        ("1.", "Mục đích, yêu cầu"),
        ("2.", "Nhiệm vụ"),
        ("", "Tổ chức thực hiện"),  # bold, not numbered
    ]
    assert parsed.sections[2].body == ["Các tổ công đoàn triển khai."]
    plan = service.create_plan(union_a, chair, lines)
    assert plan.sections.filter(parent=None).count() == 3


# ------------------------------------------------------------------------------------------- the command


def test_import_plan_command_prints_the_json_contract(union_a, tmp_path, capsys):
    path = tmp_path / "ke-hoach.txt"
    path.write_text(HEADER_ONE_PER_LINE, encoding="utf-8")
    out = tmp_path / "ke-hoach.pdf"
    call_command("import_plan", str(path), "--org", "CĐMNA", "--json", "--render", str(out))
    result = json.loads(capsys.readouterr().out)
    assert set(result) >= {"plan_id", "header", "legal_bases", "outline", "findings"}
    assert result["header"] == {
        "reference": "05/KH-CĐTHSH", "place": "Sen Hồng", "date": "2025-09-12", "type": "KẾ HOẠCH",
        "title": "Hoạt động công đoàn năm học 2025-2026",
    }  # fmt: skip
    assert result["outline"] == [
        {"number": "I.", "heading": "MỤC ĐÍCH, YÊU CẦU", "level": 1},
        {"number": "II.", "heading": "NHIỆM VỤ", "level": 1},
    ]
    assert len(result["legal_bases"]) == 2
    assert all(set(f) == {"code", "message", "where"} for f in result["findings"])
    assert out.read_bytes().startswith(b"%PDF")


def test_import_plan_command_refuses_clearly(union_a, tmp_path):
    binary = tmp_path / "anh.txt"
    binary.write_bytes(b"\x00\x01\x02PNG" * 100)
    with pytest.raises(CommandError, match="Cannot import"):
        call_command("import_plan", str(binary), "--org", "CĐMNA")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_plan", str(tmp_path / "khong-co.txt"), "--org", "CĐMNA")
    with pytest.raises(CommandError, match="No open organisation"):
        call_command("import_plan", str(binary), "--org", "KHONGCO")
    old = tmp_path / "cu.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(CommandError, match="Cannot import"):
        call_command("import_plan", str(old), "--org", "CĐMNA")


def test_import_plan_command_without_json(union_a, tmp_path, capsys):
    path = tmp_path / "ke-hoach.txt"
    path.write_text(HEADER_INTERLEAVED, encoding="utf-8")
    call_command("import_plan", str(path), "--org", "CĐMNA")
    assert "Imported plan" in capsys.readouterr().out


# ------------------------------------------------------------------------------------------- any input


PLAN_WORDS = st.sampled_from(
    ["KẾ HOẠCH", "I.", "II -", "1.", "1.1", "a)", "PHẦN 1:", "QUÝ III/2021", "Căn cứ", "Trên đây", "TM.",
     "CHỦ TỊCH", "Nơi nhận:", "- ", "+ ", "Số: 01/KH-CĐ", "ngày 30 tháng 2 năm 2023", "Nguyễn Văn An", "**",
     "\n", "\n\n",
     "          ", "\t", "<br>", "&nbsp;", "\u00a0", "ư\u0301"]
)  # fmt: skip
PLAN_LIKE = st.lists(st.one_of(PLAN_WORDS, st.text(max_size=30)), max_size=60).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(text=st.one_of(st.text(max_size=400), PLAN_LIKE))
def test_the_parser_places_every_line_of_any_text(text):
    """Arbitrary text parses without an exception, and every source line gets a place."""
    lines = read_text(text)
    parsed = parse(lines)
    assert sorted(item.index for item in parsed.items) == list(range(len(lines)))
    kept = " ".join(
        [*parsed.legal_bases, *parsed.preamble, *parsed.closing, *parsed.recipients, parsed.title or "",
         parsed.signer_name, parsed.signature_title, parsed.signature_authority, parsed.issuer_line,
         parsed.governing_body_line, *parsed.motto, parsed.place or "", parsed.reference or "",
         *(f"{s.number} {s.heading} {' '.join(s.body)}" for s in parsed.outline())]
    )  # fmt: skip
    for item in parsed.items:
        if item.role in ("decoration", "document_type", "recipients_title", "place_date", "reference"):
            continue
        for word in words(item.text)[:3]:
            assert word in words(kept), f"{word!r} of line {item.index} ({item.role}) was dropped"


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=PLAN_LIKE)
def test_any_text_imports_as_a_draft_or_says_why(union_a, text):
    lines = read_text(text)
    if lines:
        plan = service.create_plan(union_a, None, lines)
        assert plan.pk and plan.status == "draft"
