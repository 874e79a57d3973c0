"""Targets printed where they stand: after their section's text, in the preview, the PDF and the Word file."""

import datetime
import io

import pdfplumber
import pytest
from django.urls import reverse
from docx import Document

from plans import rendering
from plans.docx import render_docx
from plans.models import Section
from targets.models import Target
from tests.factories import TargetFactory

FIRST = "- Chỉ tiêu: Kết nạp mới 10 đoàn viên (thời hạn: quý II/2026; phụ trách: Ban Chấp hành);"
SECOND = "- Chỉ tiêu: 100% đoàn viên được tham gia bảo hiểm xã hội (thời hạn: 30/06/2026)."


@pytest.fixture
def plan_with_targets(written_plan):
    """Section I with two printed targets and one stated in its text only; section II with none."""
    first = written_plan.sections.get()
    second = Section.objects.create(
        plan=written_plan, position=2, heading="Tổ chức thực hiện", body="Giao BCH."
    )
    TargetFactory(
        plan=written_plan, section=first, position=1, text="Kết nạp mới 10 đoàn viên",
        responsible="Ban Chấp hành", due_kind="quarter", due_quarter=2, due_year=2026,
    )  # fmt: skip
    TargetFactory(
        plan=written_plan, section=first, position=2, kind="percentage", value=100, unit="%", increase=False,
        text="100% đoàn viên được tham gia bảo hiểm xã hội.", due_kind="date",
        due_on=datetime.date(2026, 6, 30),
    )  # fmt: skip
    TargetFactory(plan=written_plan, section=first, position=3, text="Đã nói trong bài", printed=False)
    TargetFactory(plan=written_plan, section=second, position=1, text="Không in", printed=False)
    return written_plan


def _lines(text):
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def test_target_lines_end_like_a_list_and_skip_what_is_not_set():
    targets = [
        Target(text="Một;", responsible=" ", due_kind="ongoing"),
        Target(text="Hai.", responsible="Tổ Nhà trẻ", due_kind="ongoing"),
    ]
    assert rendering.target_lines(targets) == [
        rendering.TargetLine("Một", "", ";"),
        rendering.TargetLine("Hai", "phụ trách: Tổ Nhà trẻ", "."),
    ]


def test_the_pdf_prints_the_targets_under_their_section(plan_with_targets):
    with pdfplumber.open(io.BytesIO(rendering.render_pdf(plan_with_targets))) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
        italic = "".join(
            char["text"] for page in pdf.pages for char in page.chars if "Italic" in char["fontname"]
        )
    joined = " ".join(_lines(text))
    heading_1, heading_2 = joined.index("MỤC ĐÍCH, YÊU CẦU"), joined.index("II. TỔ CHỨC THỰC HIỆN")
    first, second = joined.index(FIRST), joined.index(SECOND)
    assert heading_1 < joined.index("Nội dung.") < first < second < heading_2
    assert "Đã nói trong bài" not in joined and "Không in" not in joined
    assert "(thờihạn:quýII/2026;phụtrách:BanChấphành)" in italic.replace(" ", "")


def test_the_preview_escapes_the_target_text(client, chair, written_plan):
    TargetFactory(
        plan=written_plan, section=written_plan.sections.get(), text="<script>x</script> & 5 đoàn viên"
    )
    client.force_login(chair)
    html = client.get(reverse("plans:preview", args=[written_plan.pk])).content.decode()
    assert "- Chỉ tiêu: &lt;script&gt;x&lt;/script&gt; &amp; 5 đoàn viên." in html
    assert "<script>x" not in html


def test_the_word_file_prints_the_same_lines(plan_with_targets):
    document = Document(io.BytesIO(render_docx(plan_with_targets)))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    texts = [p.text for p in paragraphs]
    at = texts.index(FIRST)
    assert texts[at - 1] == "Nội dung." and texts[at + 1] == SECOND
    assert texts[at + 2].startswith("II.")
    note = [run for run in paragraphs[at].runs if run.italic]
    assert [run.text for run in note] == ["(thời hạn: quý II/2026; phụ trách: Ban Chấp hành)"]
    assert not any("Không in" in text or "Đã nói trong bài" in text for text in texts)


def test_the_word_file_prints_targets_of_no_section_after_the_sections(written_plan):
    TargetFactory(plan=written_plan, section=None, text="Chỉ tiêu chung")
    texts = [p.text for p in Document(io.BytesIO(render_docx(written_plan))).paragraphs]
    assert texts.index("- Chỉ tiêu: Chỉ tiêu chung.") < texts.index(
        "Trên đây là kế hoạch hoạt động năm học 2025-2026."
    )


def test_the_content_hash_follows_the_printed_targets(plan_with_targets):
    before = plan_with_targets.content_hash()
    printed = plan_with_targets.targets.get(position=1, printed=True, section__position=1)
    Target.objects.filter(pk=printed.pk).update(responsible="Tổ Nhà trẻ")
    changed = plan_with_targets.content_hash()
    assert changed != before
    # what does not print does not make a new PDF
    Target.objects.filter(text="Không in").update(value=99)
    assert plan_with_targets.content_hash() == changed
    Target.objects.filter(text="Không in").update(printed=True)
    assert plan_with_targets.content_hash() != changed


def test_the_preview_stays_constant_in_queries(
    client, chair, plan_with_targets, django_assert_max_num_queries
):
    client.force_login(chair)
    url = reverse("plans:preview", args=[plan_with_targets.pk])
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    section = plan_with_targets.sections.get(position=2)
    for index in range(30):
        TargetFactory(plan=plan_with_targets, section=section, position=2 + index, text=f"Thêm {index}",
                      responsible="BCH", due_kind="date", due_on=datetime.date(2026, 1, 1))  # fmt: skip
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert "Thêm 29" in client.get(url).content.decode()
