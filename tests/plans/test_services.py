import datetime

import pytest
from django.db import IntegrityError, transaction

from plans import numbering, services
from plans.forms import PlanCreateForm, PlanHeaderForm, SectionForm
from plans.models import Plan, PlanRender, Section
from tests.factories import PlanFactory

D = datetime.date


def outline(plan):
    """[(number, heading), …] depth-first, as printed."""

    def walk(nodes):
        for node in nodes:
            yield node["number"], node["section"].heading
            yield from walk(node["children"])

    return list(walk(plan.section_tree()))


def test_skeleton_plan_starts_with_the_standard_sections_and_the_chairs_defaults(union_a, chair):
    union_a.locality = "Trường Thọ"
    union_a.save()
    plan = services.plan_create(
        organization=union_a, by=chair, start="skeleton", title="Kế hoạch năm học",
        period_start=D(2026, 9, 1), period_end=D(2027, 8, 31),
    )  # fmt: skip
    assert outline(plan) == [
        ("I.", "Mục đích, yêu cầu"),
        ("1.", "Mục đích"),
        ("2.", "Yêu cầu"),
        ("II.", "Nội dung, chỉ tiêu"),
        ("III.", "Nhiệm vụ, giải pháp"),
        ("IV.", "Tổ chức thực hiện"),
    ]
    assert plan.signer_name == chair.get_full_name()
    assert plan.issuer_line == "CÔNG ĐOÀN CƠ SỞ TRƯỜNG MẦM NON A"
    assert plan.governing_body_line == "CÔNG ĐOÀN PHƯỜNG MỘT"
    assert plan.place == "Trường Thọ"
    assert plan.recipients.splitlines()[0] == "Công đoàn phường Một"
    assert (
        services.plan_create(
            organization=union_a,
            by=chair,
            title="Trống",
            period_start=D(2026, 1, 1),
            period_end=D(2026, 12, 31),
        ).sections.count()
        == 0
    )


def test_copy_moves_the_period_forward_and_keeps_the_tree(written_plan, chair):
    child = Section.objects.create(
        plan=written_plan, parent=written_plan.sections.get(), heading="Con", body="B"
    )
    Section.objects.create(plan=written_plan, parent=child, heading="Cháu")
    copied = services.plan_copy(source=written_plan, by=chair)
    assert (copied.period_start, copied.period_end) == (D(2026, 9, 1), D(2027, 8, 31))
    assert copied.period_label == "năm học 2026-2027"
    assert copied.title == "Hoạt động công đoàn năm học 2026-2027"
    assert copied.number is None and copied.status == Plan.Status.DRAFT and copied.version == 1
    assert outline(copied) == outline(written_plan)
    assert copied.closing == written_plan.closing  # body text is the chair's to update (the checks flag it)
    assert written_plan.sections.count() == 3  # the source is untouched


def test_a_term_moves_by_five_years_and_29_february_survives(union_a, chair):
    term = PlanFactory(
        organization=union_a, period_start=D(2024, 2, 29), period_end=D(2028, 12, 31),
        period_label="nhiệm kỳ 2024-2028", title="Kế hoạch nhiệm kỳ, tổng kết năm 2019", number=None,
    )  # fmt: skip
    copied = services.plan_copy(source=term, by=chair)
    assert (copied.period_start, copied.period_end) == (D(2028, 2, 29), D(2032, 12, 31))
    assert copied.period_label == "nhiệm kỳ 2028-2032"
    assert copied.title.endswith("tổng kết năm 2019")  # a year outside the old period stays
    year = PlanFactory(
        organization=union_a, period_start=D(2024, 2, 29), period_end=D(2024, 12, 31), number=None
    )
    assert services.plan_copy(source=year, by=chair).period_start == D(2025, 2, 28)


@pytest.fixture
def tree(draft_plan):
    """I. A (1. A1, 2. A2) / II. B / III. C"""
    a = Section.objects.create(plan=draft_plan, position=1, heading="A")
    Section.objects.create(plan=draft_plan, parent=a, position=1, heading="A1")
    Section.objects.create(plan=draft_plan, parent=a, position=2, heading="A2")
    Section.objects.create(plan=draft_plan, position=2, heading="B")
    Section.objects.create(plan=draft_plan, position=3, heading="C")
    return draft_plan


def section(plan, heading):
    return plan.sections.get(heading=heading)


def test_moves_renumber_the_tree(tree):
    v = tree.version
    services.section_move(section=section(tree, "C"), version=v, direction="up")
    assert [h for _, h in outline(tree)] == ["A", "A1", "A2", "C", "B"]
    services.section_move(
        section=section(tree, "C"), version=v + 1, direction="in"
    )  # under A, as its last child
    assert outline(tree) == [("I.", "A"), ("1.", "A1"), ("2.", "A2"), ("3.", "C"), ("II.", "B")]
    services.section_move(
        section=section(tree, "A2"), version=v + 2, direction="in"
    )  # under A1: a third level
    assert outline(tree)[:4] == [("I.", "A"), ("1.", "A1"), ("1.1.", "A2"), ("2.", "C")]
    services.section_move(section=section(tree, "A2"), version=v + 3, direction="out")  # back, right after A1
    services.section_move(section=section(tree, "A1"), version=v + 4, direction="down")
    assert [h for _, h in outline(tree)] == ["A", "A2", "A1", "C", "B"]
    assert Plan.objects.get(pk=tree.pk).version == v + 5


@pytest.mark.parametrize(
    ("heading", "direction", "message"),
    [("A", "up", "đứng đầu"), ("C", "down", "đứng cuối"), ("A", "in", "phía trên"), ("B", "out", "cao nhất")],
)
def test_impossible_moves_are_refused_without_a_change(tree, heading, direction, message):
    before = outline(tree)
    with pytest.raises(services.MoveRefused, match=message):
        services.section_move(section=section(tree, heading), version=tree.version, direction=direction)
    assert outline(tree) == before and Plan.objects.get(pk=tree.pk).version == tree.version


def test_drag_and_drop_places_before_after_or_inside(tree):
    v = tree.version
    services.section_place(section=section(tree, "C"), version=v, target=section(tree, "A1"), place="before")
    assert [h for _, h in outline(tree)] == ["A", "C", "A1", "A2", "B"]
    services.section_place(
        section=section(tree, "A"), version=v + 1, target=section(tree, "B"), place="after"
    )
    assert outline(tree) == [("I.", "B"), ("II.", "A"), ("1.", "C"), ("2.", "A1"), ("3.", "A2")]
    services.section_place(
        section=section(tree, "B"), version=v + 2, target=section(tree, "A2"), place="child"
    )
    assert outline(tree)[-2:] == [("3.", "A2"), ("3.1.", "B")]
    with pytest.raises(services.MoveRefused):
        services.section_place(
            section=section(tree, "A"), version=v + 3, target=section(tree, "B"), place="child"
        )  # into itself


def test_add_and_delete_sections(tree):
    v = tree.version
    new = services.section_add(plan=tree, version=v, after=section(tree, "A1"))
    assert outline(tree)[:4] == [("I.", "A"), ("1.", "A1"), ("2.", "Mục mới"), ("3.", "A2")]
    services.section_add(plan=tree, version=v + 1, parent=new, heading="Sâu")
    assert ("2.1.", "Sâu") in outline(tree)
    services.section_delete(section=section(tree, "A"), version=v + 2)  # with everything inside
    assert outline(tree) == [("I.", "B"), ("II.", "C")]


def test_a_stale_version_is_refused_and_changes_nothing(tree):
    services.section_update(section=section(tree, "B"), version=tree.version, heading="B mới")
    with pytest.raises(services.StaleEdit) as stale:
        services.section_update(section=section(tree, "C"), version=tree.version - 1, heading="ghi đè")
    assert stale.value.current_version == tree.version
    assert section(tree, "C").heading == "C"
    with pytest.raises(services.StaleEdit):
        services.section_move(section=section(tree, "C"), version=tree.version - 1, direction="up")


def test_numbering_schemes():
    assert [numbering.number("arabic", p) for p in ([2], [2, 3], [2, 3, 1], [2, 3, 1, 1])] == [
        "2.",
        "2.3.",
        "a)",
        "-",
    ]
    assert [numbering.number("part", p) for p in ([2], [2, 1], [2, 1, 3], [2, 1, 3, 1])] == [
        "B.",
        "I.",
        "3.",
        "3.1.",
    ]
    assert [numbering.number("roman_letter", p) for p in ([4], [4, 2], [4, 2, 5])] == ["IV.", "2.", "đ)"]
    assert numbering.number("arabic_letter", [1, 7]) == "g)"  # the Vietnamese order: no f
    assert numbering.example("roman") == "I. / 1. / 1.1. / a)"


def test_reference_is_unique_per_organisation_and_year(draft_plan, union_b):
    PlanFactory(organization=draft_plan.organization, number=7, dated_on=D(2026, 1, 10))  # another year
    PlanFactory(organization=union_b, number=7, dated_on=draft_plan.dated_on)  # another union
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanFactory(organization=draft_plan.organization, number=7, dated_on=D(2025, 12, 31))
    assert services.next_free_number(draft_plan.organization, 2025) == 8


def header_data(plan, **changes):
    form = PlanHeaderForm(instance=plan)
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if isinstance(value, datetime.date):
            value = value.strftime("%d/%m/%Y")
        data[name] = "" if value is None else value
    return data | changes


def test_header_form_refuses_impossible_dates_and_taken_numbers(draft_plan):
    other = PlanFactory(organization=draft_plan.organization, number=8, dated_on=D(2025, 10, 1))
    form = PlanHeaderForm(header_data(other, dated_on="30/02/2025", number="7"), instance=other)
    assert not form.is_valid()
    assert "“30/02/2025” không phải là một ngày có thật" in form.errors["dated_on"][0]
    other = Plan.objects.get(pk=other.pk)  # a bound form writes its valid fields into the instance
    form = PlanHeaderForm(header_data(other, number="7"), instance=other)
    assert not form.is_valid()
    assert form.errors["number"] == ["Số 7/KH đã dùng trong năm 2025. Số tiếp theo còn trống là 8."]
    form = PlanHeaderForm(header_data(other, period_end="31/08/2024"), instance=other)
    assert form.errors["period_end"] == ["Thời gian kết thúc không thể trước thời gian bắt đầu."]
    other = Plan.objects.get(pk=other.pk)
    form = PlanHeaderForm(header_data(other, title="Ke\u0302\u0301 hoạch  \r\nmới"), instance=other)
    assert form.is_valid() and form.cleaned_data["title"] == "Kế hoạch\nmới"


def test_create_form_needs_a_source_to_copy_and_fields_otherwise(union_a):
    assert PlanCreateForm({"start": "copy"}, organization=union_a).errors == {
        "source": ["Hãy chọn kế hoạch cần sao chép."]
    }
    errors = PlanCreateForm({"start": "blank", "kind": "term"}, organization=union_a).errors
    assert set(errors) == {"title", "period_start", "period_end"}
    assert set(PlanCreateForm({"start": "blank"}, organization=union_a).errors) >= {"kind", "title"}


def test_typed_section_numbers_are_dropped():
    form = SectionForm({"heading": "II.  Nhiệm vụ, giải pháp"})
    assert form.is_valid() and form.cleaned_data["heading"] == "Nhiệm vụ, giải pháp"
    assert SectionForm({"heading": "1.1. Chi tiết"}).is_valid()
    assert SectionForm({"heading": "2025 là năm bản lề"}).data["heading"]


def test_what_a_pdf_needs(draft_plan):
    assert services.missing_for_pdf(draft_plan) == ["ít nhất một mục nội dung"]
    Plan.objects.filter(pk=draft_plan.pk).update(signer_name="", recipients="")
    draft_plan.refresh_from_db()
    assert services.missing_for_pdf(draft_plan)[-2:] == ["họ tên người ký", "nơi nhận"]


@pytest.fixture
def render(django_capture_on_commit_callbacks):
    """Asks for a PDF the way a view does; the task runs (eagerly) once the request's transaction commits."""

    def ask(plan, by):
        with django_capture_on_commit_callbacks(execute=True):
            result = services.plan_render(plan=plan, by=by)
        result.refresh_from_db()
        return result

    return ask


def test_a_render_is_cached_by_content(written_plan, chair, monkeypatch, render):
    from plans import rendering

    calls = []
    real = rendering.render_pdf_with_pages
    monkeypatch.setattr(rendering, "render_pdf_with_pages", lambda plan: calls.append(plan.pk) or real(plan))
    first = render(written_plan, chair)
    assert first.status == PlanRender.Status.READY and first.page_count == 1
    assert first.pdf.read().startswith(b"%PDF")
    again = render(Plan.objects.get(pk=written_plan.pk), chair)
    assert again.pk == first.pk and calls == [written_plan.pk]  # unchanged: not rendered twice
    services.plan_update(plan=written_plan, version=written_plan.version, title="Tên mới")
    assert services.current_render(written_plan) is None
    assert render(written_plan, chair).pk != first.pk and len(calls) == 2


def test_a_failed_render_leaves_the_plan_alone_and_can_be_retried(written_plan, chair, monkeypatch, render):
    from plans import rendering

    def broken(plan):
        raise OSError("no fonts")

    monkeypatch.setattr(rendering, "render_pdf_with_pages", broken)
    before = (written_plan.version, written_plan.content_hash())
    failed = render(written_plan, chair)
    assert failed.status == PlanRender.Status.FAILED and "no fonts" in failed.error
    written_plan.refresh_from_db()
    assert (written_plan.version, written_plan.content_hash()) == before
    monkeypatch.undo()
    assert render(written_plan, chair).status == PlanRender.Status.READY


def test_a_render_of_a_plan_that_changed_meanwhile_is_dropped(written_plan, chair):
    from plans.tasks import plan_render_task

    queued = PlanRender.objects.create(plan=written_plan, content_hash=written_plan.content_hash())
    services.plan_update(plan=written_plan, version=written_plan.version, title="Đổi trong lúc chờ")
    assert plan_render_task.delay(queued.pk).get() == "superseded"
    assert not PlanRender.objects.filter(pk=queued.pk).exists()
