import pytest

from targets.proposals import propose


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
