"""Amounts in Vietnamese words, as vouchers (phiếu chi, phiếu thu) write them beside the figures:
`1.500.000` → `Một triệu năm trăm nghìn đồng`, `105.000` → `Một trăm linh năm nghìn đồng`.

Written here rather than taken from num2words: its Vietnamese reads 2.024 as "hai nghìn lẻ hai mươi bốn" and
1.005.000 as "một triệu năm nghìn", where accounting writes "hai nghìn không trăm hai mươi bốn" and "một triệu
không trăm linh năm nghìn" (a group after a higher one is read in full, its empty hundreds as "không trăm").
"""

from __future__ import annotations

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
GROUPS = ["", "nghìn", "triệu"]  # then "tỷ", which starts the cycle again (nghìn tỷ, triệu tỷ…)


def _hundreds(n: int, *, full: bool) -> list[str]:
    """One group of three digits (1–999); `full`: a higher group came before (5: "không trăm linh năm")."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            words += (["linh"] if words else []) + [DIGITS[units]]
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else DIGITS[units])
    else:
        words += [DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 5: "lăm"}.get(units, DIGITS[units]))
    return words


def _below_billion(n: int, *, full: bool) -> list[str]:
    """1 – 999.999.999 in words; groups that are all zeros are left out (1.000.500: một triệu năm trăm)."""
    groups = [n // 1_000_000, n // 1000 % 1000, n % 1000]
    words: list[str] = []
    for index, group in enumerate(groups):
        if group:
            words += _hundreds(group, full=full or bool(words))
            unit = GROUPS[2 - index]
            if unit:
                words.append(unit)
    return words


def _words(n: int, *, full: bool = False) -> list[str]:
    if n >= 1_000_000_000:
        billions, rest = divmod(n, 1_000_000_000)
        words = [*_words(billions, full=full), "tỷ"]
        return words + (_below_billion(rest, full=True) if rest else [])
    return _below_billion(n, full=full)


def in_words(amount: int, *, currency: str = "đồng") -> str:
    """`Một triệu năm trăm nghìn đồng`; a negative amount starts with "Âm"; zero is `Không đồng`."""
    amount = int(amount)
    words = ["âm"] if amount < 0 else []
    words += _words(abs(amount)) or [DIGITS[0]]
    text = " ".join([*words, currency] if currency else words)
    return text[0].upper() + text[1:]
