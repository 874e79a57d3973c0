import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from members.models import Organization
from plans import checks
from plans.models import FindingDismissal, Plan, Section
from tests.factories import PlanFactory

D = datetime.date

CLEAN_SOURCE = """CÔNG ĐOÀN PHƯỜNG MỘT
CĐCS TRƯỜNG MẦM NON A
Số: 07/KH-CĐMNA
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
An Lão, ngày 05 tháng 9 năm 2025
KẾ HOẠCH
Hoạt động Công đoàn năm học 2025-2026
I. MỤC ĐÍCH, YÊU CẦU
"""


def add(plan, heading, body="", *, parent=None, number="", position=None, **fields):
    position = position if position is not None else plan.sections.filter(parent=parent).count() + 1
    return Section.objects.create(
        plan=plan,
        parent=parent,
        position=position,
        heading=heading,
        body=body,
        source_number=number,
        **fields,
    )


def codes(plan):
    return [finding.code for finding in checks.run_checks(plan)]


def only(plan, code):
    return [finding for finding in checks.run_checks(plan) if finding.code == code]


@pytest.fixture
def clean_plan(union_a, chair):
    """A school-year plan as a careful chair would write it: nothing to warn about."""
    plan = PlanFactory(
        organization=union_a,
        created_by=chair,
        title="Hoạt động Công đoàn năm học 2025-2026",
        period_label="năm học 2025-2026",
        legal_bases=(
            "Căn cứ Điều lệ Công đoàn Việt Nam;\n"
            "Căn cứ Hướng dẫn số 12/HD-CĐP ngày 28/8/2025 của Công đoàn phường Một về nhiệm vụ năm học "
            "2025-2026;\n"
            "Căn cứ Báo cáo tổng kết năm học 2024-2025 của Công đoàn cơ sở Trường Mầm non A."
        ),
        preamble=(
            "Thực hiện Nghị quyết Đại hội Công đoàn cơ sở nhiệm kỳ 2025-2030; trên cơ sở kết quả đạt được "
            "trong năm học 2024-2025, Ban Chấp hành xây dựng kế hoạch hoạt động năm học 2025-2026 như sau:"
        ),
        closing="Trên đây là Kế hoạch hoạt động Công đoàn năm học 2025-2026 của Công đoàn cơ sở Trường MN A.",
        recipients="- Công đoàn phường Một;\n- Ban Giám hiệu nhà trường;\n- Các tổ công đoàn;\n- Lưu: VT.",
        source_text=CLEAN_SOURCE,
    )
    aims = add(plan, "Mục đích, yêu cầu", number="I.")
    add(plan, "Mục đích", "Chăm lo đời sống vật chất, tinh thần cho đoàn viên.", parent=aims, number="1.")
    add(plan, "Yêu cầu", "Bám sát nhiệm vụ năm học của nhà trường.", parent=aims, number="2.")
    tasks = add(plan, "Nhiệm vụ trọng tâm", number="II.")
    add(
        plan,
        "Công tác chăm lo",
        "- Thăm hỏi, tặng quà đoàn viên nữ nhân Ngày Quốc tế Phụ nữ 08/3 và Ngày Phụ nữ Việt Nam 20/10.\n"
        "- Phối hợp tổ chức kỷ niệm Ngày Nhà giáo Việt Nam 20/11.\n"
        "- Kỷ niệm 97 năm Ngày thành lập Công đoàn Việt Nam (28/7/1929 – 28/7/2026).",
        parent=tasks,
        number="1.",
    )
    add(
        plan,
        "Thi đua",
        "Các tổ đăng ký thi đua gửi về Ban Chấp hành chậm nhất ngày **30/9/2025**. Phấn đấu 1/2 số đoàn "
        "viên đạt danh hiệu xuất sắc; đường dây nóng trực 24/7; thực hiện Nghị quyết 02-NQ/TW ngày "
        "12/6/2021 và Công văn 348/PGD&ĐT.",
        parent=tasks,
        number="2.",
        timeline="Tháng 9/2025",
    )
    add(
        plan,
        "Tổ chức thực hiện",
        "Báo cáo sơ kết học kỳ I gửi Công đoàn phường trước ngày 15/01/2026.",
        number="III.",
        responsible="Ban Chấp hành",
    )
    return plan


def test_a_clean_plan_has_no_findings(clean_plan):
    assert checks.run_checks(clean_plan) == []


def test_the_written_plan_fixture_is_clean_too(written_plan):
    assert checks.run_checks(written_plan) == []


# --- impossible_date ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "excerpt", "why"),
    [
        ("Nộp hồ sơ chậm nhất ngày **30/02/2023**.", "30/02/2023", "tháng 2 không có ngày 30"),
        ("Tổng kết vào 31/4 hằng năm.", "31/4", "tháng 4 không có ngày 31"),
        ("Hội nghị ngày 31/04/2024.", "31/04/2024", "tháng 4 không có ngày 31"),
        ("Chốt danh sách 29/02/2023.", "29/02/2023", "tháng 2 năm 2023 không có ngày 29"),
        ("Thời gian: 31-6-2024.", "31-6-2024", "tháng 6 không có ngày 31"),
        ("Tổ chức vào ngày 31 tháng 4 năm 2024.", "ngày 31 tháng 4 năm 2024", "tháng 4 không có ngày 31"),
        ("Kiểm tra vào ngày 31-9.", "31-9", "tháng 9 không có ngày 31"),
        ("Hạn cuối 15/13/2025.", "15/13/2025", "không có tháng 13"),
    ],
)
def test_impossible_dates_are_found(draft_plan, text, excerpt, why):
    add(draft_plan, "Thời gian", text)
    [finding] = only(draft_plan, "impossible_date")
    assert finding.excerpt == excerpt
    assert why in finding.message
    assert finding.where.startswith("section:")


def test_29_february_without_a_year_is_checked_against_the_years_of_the_period(draft_plan):
    add(draft_plan, "Thời gian", "Sơ kết vào 29/2.")  # the period's February is in 2026, not a leap year
    [finding] = only(draft_plan, "impossible_date")
    assert "tháng 2 năm 2026 không có ngày 29" in finding.message


@pytest.mark.parametrize(
    "text",
    [
        "Duy trì đường dây nóng 24/7.",
        "Phấn đấu 1/2 số đoàn viên đạt loại tốt.",
        "Căn cứ Công văn số 348/PGD&ĐT ngày 10 tháng 9 năm 2024.",
        "Thực hiện Nghị quyết 02-NQ/TW ngày 12/6/2021.",
        "Tặng quà nhân ngày 8/3.",
        "Mỗi tổ cử từ 15-20 người tham gia.",
        "Bài thi đạt 15/20 điểm.",
        "Xem mục 4.13 của hướng dẫn.",
        "Theo Luật số 12/2012/QH13 và Nghị định 30/2020/NĐ-CP.",
        "Kỷ niệm 20 năm thành lập (06/11/2003-06/11/2023).",
        "Năm nhuận: 29/02/2024.",
    ],
)
def test_things_that_are_no_impossible_date_are_left_alone(draft_plan, text):
    add(draft_plan, "Nội dung", text)
    assert only(draft_plan, "impossible_date") == []


# --- deadline_outside_period ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("Gửi báo cáo về Công đoàn phường chậm nhất ngày 15/12/2026.", "chậm nhất ngày 15/12/2026"),
        ("Hoàn thành trước 30/6/2025.", "Hoàn thành trước 30/6/2025"),
        ("Hạn nộp: 10/9/2026.", "Hạn nộp: 10/9/2026"),
        ("Các tổ gửi danh sách về trước ngày 20 tháng 10 năm 2026.", "trước ngày 20 tháng 10 năm 2026"),
    ],
)
def test_deadlines_outside_the_period_are_found(draft_plan, text, excerpt):
    section = add(draft_plan, "Tổ chức thực hiện", text)
    [finding] = only(draft_plan, "deadline_outside_period")
    assert (finding.excerpt, finding.where) == (excerpt, f"section:{section.pk}")
    assert "(01/09/2025 – 31/08/2026)" in finding.message


def test_a_day_and_month_deadline_is_resolved_within_the_period(union_a):
    plan = PlanFactory(
        organization=union_a, kind=Plan.Kind.THEMATIC, title="Tháng Công nhân năm 2026",
        period_label="tháng 5/2026", period_start=D(2026, 5, 1), period_end=D(2026, 5, 31),
        dated_on=D(2026, 4, 20), closing="Trên đây là kế hoạch Tháng Công nhân năm 2026.",
    )  # fmt: skip
    add(plan, "Đăng ký", "Các tổ đăng ký trước ngày 10/5.")
    add(plan, "Báo cáo", "Báo cáo kết quả chậm nhất ngày 15/6.")
    [finding] = only(plan, "deadline_outside_period")
    assert finding.excerpt == "chậm nhất ngày 15/6"


def test_a_deadline_after_signing_but_before_the_period_is_normal(draft_plan):
    draft_plan.dated_on = D(2025, 8, 20)
    draft_plan.save()
    add(
        draft_plan, "Chuẩn bị", "Các tổ gửi danh sách đoàn viên trước ngày 28/8/2025. Hội nghị ngày 5/9/2024."
    )
    assert only(draft_plan, "deadline_outside_period") == []  # 5/9/2024 has no deadline word


def test_an_impossible_deadline_is_reported_once_as_impossible(draft_plan):
    add(draft_plan, "Đăng ký", "Gửi về chậm nhất ngày **30/02/2026**.")
    assert codes(draft_plan) == ["impossible_date"]


# --- placeholder_reference ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        (
            "Tiếp tục thực hiện Kế hoạch số -KH/HU ngày /2023 của Ban Thường vụ.",
            "Kế hoạch số -KH/HU ngày /2023",
        ),
        ("Thực hiện Kế hoạch số /KH-LĐLĐ ngày /2023 của Liên đoàn.", "Kế hoạch số /KH-LĐLĐ ngày /2023"),
        ("Số: /KH-CĐMNA", "Số: /KH-CĐMNA"),
        ("Số:    /KH-CĐMNA", "Số: /KH-CĐMNA"),
        ("Theo công văn ngày …/…/2023 của phường.", "công văn ngày …/…/2023"),
        ("An Lão, ngày    tháng    năm 2023", "ngày tháng năm 2023"),
        ("Căn cứ Quyết định số ….. ngày ….. của Công đoàn phường.", "Quyết định số ….. ngày ….."),
        ("Theo thông báo ngày 15/…/2025 của phường.", "thông báo ngày 15/…/2025"),
    ],
)
def test_blank_references_are_found(draft_plan, text, excerpt):
    draft_plan.legal_bases = text
    draft_plan.save()
    [finding] = only(draft_plan, "placeholder_reference")
    assert (finding.excerpt, finding.where) == (excerpt, "field:legal_bases")
    assert excerpt in finding.message


@pytest.mark.parametrize(
    "text",
    [
        "Căn cứ Kế hoạch số 52/KH-MNSC ngày 17 tháng 9 năm 2025.",
        "Ghi rõ ngày tháng năm sinh của con đoàn viên.",
    ],
)
def test_filled_references_are_not_blank(draft_plan, text):
    draft_plan.legal_bases = text
    draft_plan.save()
    assert only(draft_plan, "placeholder_reference") == []


# --- period_mismatch ------------------------------------------------------------------------------


def test_a_closing_naming_last_school_year_is_found(draft_plan):
    draft_plan.closing = "Trên đây là Kế hoạch hoạt động Công đoàn năm học 2024 - 2025 của nhà trường."
    draft_plan.save()
    [finding] = only(draft_plan, "period_mismatch")
    assert finding.where == "field:closing"
    assert finding.message == (
        "Đoạn kết ghi “năm học 2024 - 2025” nhưng kế hoạch là năm học 2025-2026 (01/09/2025 – 31/08/2026)."
    )


def test_title_and_period_label_are_checked_strictly(draft_plan):
    draft_plan.title = "KẾ HOẠCH HOẠT ĐỘNG CÔNG ĐOÀN NĂM HỌC 2026-2027"
    draft_plan.period_label = "năm học 2024-2025"
    draft_plan.save()
    assert [f.where for f in only(draft_plan, "period_mismatch")] == ["field:title", "field:period_label"]


def test_earlier_years_are_fine_in_bodies_legal_bases_and_a_looking_back_preamble(draft_plan):
    draft_plan.legal_bases = "Căn cứ Báo cáo tổng kết năm học 2024-2025."
    draft_plan.preamble = "Trên cơ sở kết quả năm học 2024-2025, Ban Chấp hành xây dựng kế hoạch như sau:"
    draft_plan.save()
    add(draft_plan, "Đánh giá", "Năm học 2024-2025 công đoàn đạt vững mạnh.")
    assert only(draft_plan, "period_mismatch") == []
    draft_plan.preamble = "Ban Chấp hành xây dựng kế hoạch năm học 2024-2025 như sau:"
    draft_plan.save()
    assert [f.where for f in only(draft_plan, "period_mismatch")] == ["field:preamble"]


def test_a_calendar_year_plan_naming_another_year_is_found(union_a):
    plan = PlanFactory(
        organization=union_a, kind=Plan.Kind.CALENDAR_YEAR, title="Thực hiện chủ đề công tác năm 2025",
        period_label="năm 2026", period_start=D(2026, 1, 1), period_end=D(2026, 12, 31),
        dated_on=D(2026, 1, 10), closing="Trên đây là kế hoạch năm 2026, ban hành ngày 10 tháng 01 năm 2026.",
    )  # fmt: skip
    [finding] = only(plan, "period_mismatch")
    assert (finding.where, finding.excerpt) == ("field:title", "năm 2025")
    assert "năm 2026 (01/01/2026 – 31/12/2026)" in finding.message


# --- term_cycle -----------------------------------------------------------------------------------


def term_plan(union, first, last, dated_on):
    return PlanFactory(
        organization=union, kind=Plan.Kind.TERM, title=f"Hoạt động Công đoàn nhiệm kỳ {first}-{last}",
        period_label=f"nhiệm kỳ {first}-{last}", period_start=D(first, 10, 1), period_end=D(last, 9, 30),
        dated_on=dated_on, closing=f"Trên đây là kế hoạch nhiệm kỳ {first}-{last}.",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("first", "last", "dated_on", "found"),
    [
        (2023, 2028, D(2025, 10, 1), True),  # the old cycle after the 2025 congresses
        (2023, 2028, D(2023, 3, 5), False),
        (2025, 2030, D(2025, 10, 1), False),
        (2027, 2030, D(2027, 3, 1), False),  # founded mid-term: runs to the end of the term
        (2020, 2025, D(2025, 10, 1), True),
    ],
)
def test_a_term_plan_follows_the_grassroots_congress_cycle(union_a, first, last, dated_on, found):
    plan = term_plan(union_a, first, last, dated_on)
    findings = only(plan, "term_cycle")
    assert bool(findings) is found
    if found:
        assert [f.where for f in findings] == ["plan"]  # the title saying the same is not repeated
        assert "(2025-2030)" in findings[0].message


def test_a_term_named_in_the_title_of_another_plan_is_checked(draft_plan):
    draft_plan.title = "Hoạt động Công đoàn năm học 2025-2026, nhiệm kỳ 2023-2028"
    draft_plan.save()
    [finding] = only(draft_plan, "term_cycle")
    assert (finding.where, finding.excerpt) == ("field:title", "nhiệm kỳ 2023-2028")


def test_terms_of_upper_unions_are_not_checked(ward):
    assert only(term_plan(ward, 2020, 2025, D(2025, 10, 1)), "term_cycle") == []
    assert ward.level == Organization.Level.UPPER_GRASSROOTS


# --- fixed_date_wrong -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "right"),
    [
        ("Tặng quà đoàn viên nữ nhân ngày phụ nữ Việt Nam 20-11.", "20/10"),
        ("Chào mừng Ngày Nhà giáo Việt Nam 20/10.", "20/11"),
        ("Tọa đàm kỷ niệm Ngày Quốc tế Phụ nữ 18/3.", "8/3"),
        ("Kỷ niệm ngày thành lập Công đoàn Việt Nam (27/7/1929 – 27/7/2026).", "28/7"),
        ("Mít tinh chào mừng Ngày Phụ nữ Việt Nam ngày 20 tháng 11.", "20/10"),
    ],
)
def test_union_days_with_the_wrong_date_are_found(draft_plan, text, right):
    add(draft_plan, "Chăm lo", text)
    [finding] = only(draft_plan, "fixed_date_wrong")
    assert f"là {right}," in finding.message
    assert finding.excerpt in text


@pytest.mark.parametrize(
    "text",
    [
        "Ngày Quốc tế Phụ nữ 08/3, Quốc tế phụ nữ 8-3 và Ngày Phụ nữ Việt Nam 20/10.",
        "Kỷ niệm 43 năm Ngày Nhà giáo Việt Nam (20/11/1982 – 20/11/2025).",
        "Các dịp Tết Nguyên đán, 08/3; 01/6; 27/7; 20/10; 20/11.",
        "Hưởng ứng ngày Phụ nữ Việt Nam và ngày 8/3.",
    ],
)
def test_union_days_with_their_own_date_are_fine(draft_plan, text):
    add(draft_plan, "Chăm lo", text)
    assert only(draft_plan, "fixed_date_wrong") == []


# --- numbering ------------------------------------------------------------------------------------


def test_gaps_and_duplicates_in_source_numbers_are_found(draft_plan):
    parts = [
        add(draft_plan, heading, "Nội dung.", number=n)
        for heading, n in [("A", "I."), ("B", "II."), ("C", "IV.")]
    ]
    tasks = [
        add(draft_plan, h, "Nội dung.", parent=parts[0], number=n)
        for h, n in [("x", "1."), ("y", "2."), ("z", "2.")]
    ]
    items = [
        add(draft_plan, h, "Nội dung.", parent=tasks[0], number=n)
        for h, n in [("p", "a)"), ("q", "b)"), ("r", "d)")]
    ]
    gaps = only(draft_plan, "numbering_gap")
    assert [(f.where, f.message) for f in gaps] == [
        (f"section:{items[2].pk}", "Đánh số trong bản gốc nhảy từ “b)” sang “d)” (thiếu c)."),
        (f"section:{parts[2].pk}", "Đánh số trong bản gốc nhảy từ “II.” sang “IV.” (thiếu III)."),
    ]
    [duplicate] = only(draft_plan, "numbering_duplicate")
    assert duplicate.where == f"section:{tasks[2].pk}"
    assert duplicate.message == "Số “2.” trong bản gốc bị trùng với mục “y”."


def test_decimal_numbers_restart_with_each_parent_number_and_a_missing_first_is_a_gap(draft_plan):
    part = add(draft_plan, "Chỉ tiêu", "", number="3.")
    for n in ["3.1.", "3.2.", "3.3."]:
        add(draft_plan, n, "Nội dung.", parent=part, number=n)
    other = add(draft_plan, "Giải pháp", "", number="4.")
    add(draft_plan, "b", "Nội dung.", parent=other, number="4.2.")
    assert [(f.excerpt, f.message) for f in only(draft_plan, "numbering_gap")] == [
        ("3.", "Đánh số trong bản gốc bắt đầu từ “3.” (thiếu 1, 2)."),  # a top level starting at 3
        ("4.2.", "Đánh số trong bản gốc bắt đầu từ “4.2.” (thiếu 1)."),
    ]


def test_letters_may_skip_d_with_stroke_and_bullets_are_not_numbers(draft_plan):
    for n in ["a)", "b)", "c)", "d)", "e)"]:
        add(draft_plan, n, "Nội dung.", number=n)
    for n in ["-", "-", "+"]:
        add(draft_plan, "Gạch đầu dòng", "Nội dung.", number=n)
    assert codes(draft_plan) == []


def test_sections_without_source_numbers_are_not_compared(draft_plan):
    for heading in ["Một", "Hai", "Ba"]:
        add(draft_plan, heading, "Nội dung.")
    assert codes(draft_plan) == []


# --- empty_section, signature, recipients ---------------------------------------------------------


def test_an_empty_section_is_found_but_a_parent_or_a_timed_one_is_not(draft_plan):
    parent = add(draft_plan, "Nhiệm vụ", "")
    add(draft_plan, "Chăm lo", "", parent=parent, timeline="Cả năm")
    empty = add(draft_plan, "Thi đua", "  \n ")
    [finding] = only(draft_plan, "empty_section")
    assert (finding.where, finding.message) == (f"section:{empty.pk}", "Mục “Thi đua” chưa có nội dung.")


def test_missing_signature_parts_are_found(written_plan):
    written_plan.signer_name = ""
    written_plan.signature_title = " "
    written_plan.signature_authority = ""
    written_plan.save()
    assert [f.where for f in only(written_plan, "missing_signature")] == [
        "field:signature_authority",
        "field:signature_title",
        "field:signer_name",
    ]


def test_missing_recipients(written_plan):
    written_plan.recipients = " \n"
    written_plan.save()
    assert codes(written_plan) == ["missing_recipients"]


@pytest.mark.parametrize("line", ["- Lưu: VT.", "Lưu VT", "- Lưu: VP, BCH.", "- Lưu CĐ."])
def test_an_archive_line_in_any_usual_form_counts(written_plan, line):
    written_plan.recipients = f"- Công đoàn phường Một;\n{line}"
    written_plan.save()
    assert codes(written_plan) == []


def test_recipients_without_an_archive_line(written_plan):
    written_plan.recipients = "- Công đoàn phường Một;\n- Ban Giám hiệu."
    written_plan.save()
    assert codes(written_plan) == ["missing_archive_line"]


# --- the imported source --------------------------------------------------------------------------


def test_a_source_that_lost_its_header_lines(written_plan):
    written_plan.source_text = (
        "Hương Thủy, ngày 18 tháng 9 năm 2025\n\nKẾ HOẠCH HOẠT ĐỘNG CÔNG ĐOÀN\nNĂM HỌC 2025-2026\n"
    )
    written_plan.save()
    assert codes(written_plan) == ["motto_missing", "governing_body_missing"]
    assert all(f.where == "source" for f in checks.run_checks(written_plan))


def test_a_misspelt_motto_in_a_flattened_two_column_header(written_plan):
    written_plan.source_text = (
        "CÔNG ĐOÀN PHƯỜNG MỘT        CỘNG HOÀ XÃ HỘI CHỦ NGHỈA VIỆT NAM\n"
        "CĐCS TRƯỜNG MẦM NON A         Độc lập – Tự do – Hạnh phục\n"
        "Số:    /KH-CĐMNA         An Lão, ngày 05 tháng 9 năm 2025\n"
        "KẾ HOẠCH\n"
    )
    written_plan.save()
    findings = checks.run_checks(written_plan)
    assert [(f.code, f.excerpt) for f in findings] == [
        ("placeholder_reference", "Số: /KH-CĐMNA"),
        ("motto_misspelt", "CỘNG HOÀ XÃ HỘI CHỦ NGHỈA VIỆT NAM"),
        ("motto_misspelt", "Độc lập – Tự do – Hạnh phục"),
    ]
    assert "(đúng: “Độc lập - Tự do - Hạnh phúc”)" in findings[2].message


def test_spacing_hyphen_and_old_style_variants_of_the_motto_are_fine(written_plan):
    written_plan.source_text = (
        "LĐLĐ HUYỆN AN LÃO\nCĐCS TRƯỜNG MN A\nCộng hoà xã hội chủ nghĩa Việt Nam\nĐộc lập-Tự do-Hạnh phúc\n"
        "KẾ HOẠCH\n"
    )
    written_plan.save()
    assert codes(written_plan) == []


def test_half_a_motto_is_named(written_plan):
    written_plan.source_text = "LĐLĐ HUYỆN AN LÃO\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nKẾ HOẠCH\n"
    written_plan.save()
    [finding] = only(written_plan, "motto_missing")
    assert finding.message == "Bản gốc thiếu dòng tiêu ngữ “Độc lập - Tự do - Hạnh phúc”."


# --- order, dismissal, queries, command -----------------------------------------------------------


def test_findings_come_in_document_order(draft_plan):
    draft_plan.title = "Hoạt động công đoàn năm học 2024-2025"
    draft_plan.legal_bases = "Căn cứ Kế hoạch số /KH-LĐLĐ ngày /2025 của Liên đoàn."
    draft_plan.closing = "Trên đây là kế hoạch năm học 2024-2025; hoàn thành trước ngày 31/4."
    draft_plan.signer_name = ""
    draft_plan.recipients = "- Công đoàn phường Một."
    draft_plan.source_text = "KẾ HOẠCH\n"
    draft_plan.save()
    first = add(draft_plan, "Một", "Tổ chức ngày 30/02/2026.")
    child = add(draft_plan, "Con", "", parent=first, position=1)
    second = add(draft_plan, "Hai", "Tặng quà ngày phụ nữ Việt Nam 20-11.")
    assert [(f.code, f.where) for f in checks.run_checks(draft_plan)] == [
        ("period_mismatch", "field:title"),
        ("placeholder_reference", "field:legal_bases"),
        ("impossible_date", f"section:{first.pk}"),
        ("empty_section", f"section:{child.pk}"),
        ("fixed_date_wrong", f"section:{second.pk}"),
        ("period_mismatch", "field:closing"),
        ("impossible_date", "field:closing"),
        ("missing_signature", "field:signer_name"),
        ("missing_archive_line", "field:recipients"),
        ("motto_missing", "source"),
        ("governing_body_missing", "source"),
    ]


def test_dismissed_findings_move_to_the_second_list(written_plan, chair):
    written_plan.recipients = ""
    written_plan.closing = "Trên đây là kế hoạch năm học 2024-2025."
    written_plan.save()
    dismissal = checks.dismiss(
        written_plan, "missing_recipients", "field:recipients", " Gửi qua Zalo. ", chair
    )
    active, dismissed = checks.active_findings(written_plan)
    assert [f.code for f in active] == ["period_mismatch"]
    assert [(f.code, d) for f, d in dismissed] == [("missing_recipients", dismissal)]
    assert (dismissal.reason, dismissal.dismissed_by) == ("Gửi qua Zalo.", chair)


def test_dismissing_again_updates_the_reason(written_plan, chair):
    checks.dismiss(written_plan, "missing_recipients", "field:recipients", "Lý do cũ", chair)
    checks.dismiss(written_plan, "missing_recipients", "field:recipients", "Lý do mới", chair)
    assert list(FindingDismissal.objects.values_list("reason", flat=True)) == ["Lý do mới"]


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_dismissal_needs_a_reason(written_plan, chair, reason):
    with pytest.raises(ValueError, match="Cần ghi lý do"):
        checks.dismiss(written_plan, "missing_recipients", "field:recipients", reason, chair)
    assert not FindingDismissal.objects.exists()


def test_a_too_long_reason_or_an_unknown_code_is_refused(written_plan, chair):
    with pytest.raises(ValueError, match=r"^Lý do quá dài \(tối đa \d+ ký tự\)\.$"):
        checks.dismiss(written_plan, "missing_recipients", "field:recipients", "x" * 5000, chair)
    with pytest.raises(ValueError, match="^Không có loại cảnh báo “no_such_code”.$"):
        checks.dismiss(written_plan, "no_such_code", "field:recipients", "Lý do", chair)
    assert not FindingDismissal.objects.exists()


def test_messages_follow_the_active_language(draft_plan):
    """Names of fields and union days are translated when a finding is made, not when checks is imported."""
    draft_plan.closing = "Trên đây là kế hoạch năm học 2024-2025."
    draft_plan.save()
    add(draft_plan, "Chăm lo", "Tặng quà nhân Ngày Nhà giáo Việt Nam 20/10.")
    with translation.override("en"):
        english = [f.message for f in checks.run_checks(draft_plan)]
    vietnamese = [f.message for f in checks.run_checks(draft_plan)]
    assert english == [
        "Vietnamese Teachers' Day is on 20/11, but the text says “Ngày Nhà giáo Việt Nam 20/10”.",
        "Closing paragraph says “năm học 2024-2025” but the plan is for school year 2025-2026 "
        "(01/09/2025 – 31/08/2026).",
    ]
    assert vietnamese == [
        "Ngày Nhà giáo Việt Nam là 20/11, nhưng văn bản ghi “Ngày Nhà giáo Việt Nam 20/10”.",
        "Đoạn kết ghi “năm học 2024-2025” nhưng kế hoạch là năm học 2025-2026 (01/09/2025 – 31/08/2026).",
    ]


@pytest.mark.parametrize("count", [2, 30])
def test_queries_do_not_grow_with_the_sections(draft_plan, django_assert_max_num_queries, count):
    parent = add(draft_plan, "Nhiệm vụ", "Ngày 31/4.", number="I.")
    for n in range(1, count):
        add(draft_plan, f"Mục {n}", "Hạn chậm nhất ngày 15/12/2026.", parent=parent, number=f"{n}.")
    plan = Plan.objects.get(pk=draft_plan.pk)
    with django_assert_max_num_queries(2):  # the sections and the organisation
        assert len(checks.run_checks(plan)) == count
    with django_assert_max_num_queries(3):
        checks.active_findings(plan)


def test_command_prints_one_line_per_finding_and_a_summary(draft_plan):
    add(draft_plan, "Thời gian", "Tổ chức ngày 31/4.")
    out = StringIO()
    call_command("check_plan", str(draft_plan.pk), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("impossible_date  section:")
    assert "Ngày “31/4” không có thật" in lines[0]
    assert lines[-1] == f"Plan {draft_plan.pk}: 1 finding(s), all warnings."


def test_command_json_output(draft_plan):
    add(draft_plan, "Thời gian", "Tổ chức ngày 31/4.")
    out = StringIO()
    call_command("check_plan", str(draft_plan.pk), "--json", stdout=out)
    assert "“31/4”" in out.getvalue()  # not escaped
    data = json.loads(out.getvalue())
    assert data["plan_id"] == draft_plan.pk
    assert [set(f) for f in data["findings"]] == [{"code", "message", "where"}]
    assert data["findings"][0]["code"] == "impossible_date"


def test_command_refuses_an_unknown_plan(db):
    with pytest.raises(CommandError, match="No plan with id 424242"):
        call_command("check_plan", "424242", "--json", stdout=StringIO())
