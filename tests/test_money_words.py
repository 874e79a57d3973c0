"""Amounts in words (finance/words.py), as vouchers print them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finance.words import in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (1_000, "Một nghìn đồng"),
        (15_000, "Mười lăm nghìn đồng"),
        (105_000, "Một trăm linh năm nghìn đồng"),
        (1_000_000, "Một triệu đồng"),
        (1_500_000, "Một triệu năm trăm nghìn đồng"),
        (21_000_000, "Hai mươi mốt triệu đồng"),
        (1_000_000_000, "Một tỷ đồng"),
        # beyond the table of issue 7: the cases a reader checks on a voucher
        (5, "Năm đồng"),
        (10, "Mười đồng"),
        (11, "Mười một đồng"),
        (21, "Hai mươi mốt đồng"),
        (25, "Hai mươi lăm đồng"),
        (105, "Một trăm linh năm đồng"),
        (110, "Một trăm mười đồng"),
        (234_000, "Hai trăm ba mươi bốn nghìn đồng"),
        (2_024, "Hai nghìn không trăm hai mươi bốn đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (1_000_500, "Một triệu năm trăm đồng"),
        (1_000_005, "Một triệu không trăm linh năm đồng"),
        (2_340_000, "Hai triệu ba trăm bốn mươi nghìn đồng"),
        (150_000, "Một trăm năm mươi nghìn đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng"),
        (2_500_000_000, "Hai tỷ năm trăm triệu đồng"),
        (-50_000, "Âm năm mươi nghìn đồng"),
    ],
)
def test_amounts_in_words(amount, words):
    assert in_words(amount) == words


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_every_amount_reads_as_words(amount):
    text = in_words(amount)
    assert text.endswith(" đồng") and text[0].isupper()
    assert not any(char.isdigit() for char in text) and "  " not in text
