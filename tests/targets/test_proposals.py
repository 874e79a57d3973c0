import os
from pathlib import Path

import pytest

from plans.importing import service
from plans.importing.source import read_text
from targets import services
from targets.proposals import UNITS, propose


@pytest.mark.parametrize(
    ("text", "kind", "comparison", "value", "value_max", "unit"),
    [
        ("Phấn đấu 100% đoàn viên tham gia các hoạt động.", "percentage", "at_least", 100, None, "%"),
        ("Năm 2026 tăng thêm 106 đoàn viên so với năm trước.", "count", "at_least", 106, None, "đoàn viên"),
        (
            "Giới thiệu ít nhất 01 đồng chí/năm cho Đảng xem xét kết nạp.",
            "count",
            "at_least",
            1,
            None,
            "đồng chí",
        ),
        ("Hằng năm có 1 - 2 đồng chí được kết nạp Đảng.", "count", "between", 1, 2, "đồng chí"),
        ("Có trên 55% thỏa ước đạt loại B trở lên.", "percentage", "more_than", 55, None, "%"),
        ("Chế độ BHXH cho đoàn viên kịp thời, đạt 100%.", "percentage", "at_least", 100, None, "%"),
        ("Thành lập mới 01 doanh nghiệp có công đoàn.", "count", "at_least", 1, None, "doanh nghiệp"),
        ("Quỹ xã hội vận động tối thiểu 15.000.000 đồng.", "amount", "at_least", 15_000_000, None, "đồng"),
    ],
)
def test_each_pattern_is_proposed(text, kind, comparison, value, value_max, unit):
    [proposal] = propose(text)
    assert (proposal.kind, proposal.comparison, proposal.value, proposal.value_max, proposal.unit) == (
        kind, comparison, value, value_max, unit,
    )  # fmt: skip
    assert proposal.text in text


def test_increase_and_period():
    [proposal] = propose("Phấn đấu tăng thêm 106 đoàn viên.")
    assert proposal.increase
    assert propose("ít nhất 01 đồng chí/năm")[0].per == "năm"


@pytest.mark.parametrize(
    "text",
    [
        "Tổ chức tốt các phong trào thi đua trong năm học.",
        "Thực hiện Nghị quyết số 02-NQ/TW ngày 12/6/2021 của Bộ Chính trị.",
        "Kỷ niệm ngày 20/10 và 8/3.",
        "",
    ],
)
def test_text_without_targets_proposes_nothing(text):
    assert propose(text) == []


def test_several_in_one_paragraph_in_order():
    text = "Kết nạp mới 05 đoàn viên; 100% đoàn viên được thăm hỏi khi ốm đau; có 02 tổ công đoàn xuất sắc."
    assert [(p.value, p.unit) for p in propose(text)] == [(5, "đoàn viên"), (100, "%"), (2, "tổ công đoàn")]


# ------------------------------------------------------------------------------------- the sample plans

SAMPLE_DIRS = [
    os.environ.get("SAMPLES_DIR", ""),
    Path(__file__).resolve().parents[3] / "shared" / "samples",
    "/work/shared/samples",
]
SAMPLES = [
    "term-plan-2023-2028-kindergarten.txt",
    "school-year-plan-2024-2025-kindergarten.txt",
    "district-theme-plan-2023.txt",
]


def _sample(name):
    for folder in SAMPLE_DIRS:
        if folder and (Path(folder) / name).is_file():
            return (Path(folder) / name).read_text(encoding="utf-8")
    pytest.fail(f"sample {name} not found in {SAMPLE_DIRS}: set SAMPLES_DIR to the shared samples folder")


def _proposed(union_a, chair, name):
    """{source number of the section: [(kind, comparison, value, value_max, unit, per, text)]} of an imported
    sample, as the editor proposes them (heading and body of each section)."""
    plan = service.create_plan(union_a, chair, read_text(_sample(name)))
    found = {}
    for section in plan.sections.order_by("pk"):
        for _key, p in services.open_proposals(section, [], set()):
            found.setdefault(section.source_number, []).append(
                (p.kind, p.comparison, p.value, p.value_max, p.unit, p.per, p.text)
            )
    return found


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_proposes_targets_in_its_sections(union_a, chair, name):
    found = _proposed(union_a, chair, name)
    assert found, f"no target proposed in {name}"
    for proposals in found.values():
        for kind, _comparison, value, _high, unit, _per, text in proposals:
            assert kind in ("count", "percentage", "amount") and value >= 0
            assert unit == "%" or unit in UNITS or kind == "amount"
            assert text and "\n" not in text  # one clause, as written


def test_the_term_plan_proposes_its_party_member_and_member_targets(union_a, chair):
    found = _proposed(union_a, chair, "term-plan-2023-2028-kindergarten.txt")
    text = (
        "Tích cực phát hiện bồi dưỡng đoàn viên ưu tú giới thiệu cho Đảng xem xét "
        "kết nạp ít nhất 01 đồng chí/năm"
    )
    assert found["3.7"] == [("count", "at_least", 1, None, "đồng chí", "năm", text)]
    assert any(
        text.startswith("Vận động 100% đoàn viên tích cực tham gia ủng hộ") and value == 100
        for _k, _c, value, _h, _u, _p, text in found["4.2"]
    )


def test_the_school_year_plan_proposes_its_basic_targets(union_a, chair):
    found = _proposed(union_a, chair, "school-year-plan-2024-2025-kindergarten.txt")
    basic = found["3"]  # “Các chỉ tiêu cơ bản năm học”
    assert (
        "percentage",
        "at_least",
        100,
        None,
        "%",
        "",
        "100% gia đình đoàn viên đạt gia đình văn hoá",
    ) in basic
    assert (
        "count", "between", 1, 2, "đồng chí", "",
        "Bồi dưỡng, giúp đỡ và giới thiệu để chi bộ xét kết nạp 1-2 đồng chí trong năm học",
    ) in basic  # fmt: skip
    assert len(basic) >= 8
    assert any(
        (kind, comparison, value, high, unit) == ("count", "between", 1, 2, "đoàn viên")
        for kind, comparison, value, high, unit, _per, _text in found["2.4"]
    )  # “01 - 02 đoàn viên ưu tú đứng vào hàng ngũ của Đảng”


def test_the_district_plan_proposes_its_collective_agreement_target(union_a, chair):
    found = _proposed(union_a, chair, "district-theme-plan-2023.txt")
    assert found["4"] == [
        ("percentage", "more_than", 55, None, "%", "",
         "phấn đấu đến hết năm 2023 có trên 55% Thỏa ước lao động tập thể đạt loại B trở lên"),
    ]  # fmt: skip
    # dates (9/6/2014), document numbers (44/NQ-CP) and years are not targets
    everything = [text for proposals in found.values() for *_rest, text in proposals]
    assert len(everything) == 2
