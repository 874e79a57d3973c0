"""Section numbers, computed from the tree: never typed, so a move renumbers everything."""

from __future__ import annotations

ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
         (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip


def roman(n: int) -> str:
    out = []
    for value, letters in ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def letter(n: int) -> str:
    # the order of Nghị định 30/2020: a) b) c) d) đ) e) g) h) i) k) … (no f, j, w, z)
    return VIETNAMESE_LETTERS[(n - 1) % len(VIETNAMESE_LETTERS)]


VIETNAMESE_LETTERS = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r",
                      "s", "t", "u", "ư", "v", "x", "y"]  # fmt: skip


# Styles per depth; each takes the section's own index and the indexes of the levels that
# restart with it (for 1.1. style numbers).
STYLES = {
    "upper_letter": "A.",
    "roman": "I.",
    "arabic": "1.",
    "decimal": "1.1.",
    "letter": "a)",
    "dash": "-",
    "plus": "+",
}
SCHEMES = {
    # name: styles for depth 1, 2, 3, 4, 5 (deeper levels reuse the last)
    "roman": ["roman", "arabic", "decimal", "letter", "dash"],
    "roman_letter": ["roman", "arabic", "letter", "dash", "plus"],
    "arabic": ["arabic", "decimal", "letter", "dash", "plus"],
    "arabic_letter": ["arabic", "letter", "dash", "plus"],
    "part": ["upper_letter", "roman", "arabic", "decimal", "letter"],
}


def label(style: str, path: list[int], depth_of_decimal_root: int) -> str:
    index = path[-1]
    if style == "upper_letter":
        return f"{letter(index).upper()}."
    if style == "roman":
        return f"{roman(index)}."
    if style == "arabic":
        return f"{index}."
    if style == "decimal":
        return ".".join(str(i) for i in path[depth_of_decimal_root:]) + "."
    if style == "letter":
        return f"{letter(index)})"
    if style == "dash":
        return "-"
    if style == "plus":
        return "+"
    raise ValueError(style)


def style_at(scheme: str, depth: int) -> str:
    styles = SCHEMES[scheme]
    return styles[min(depth, len(styles)) - 1]


def is_upper(scheme: str, depth: int) -> bool:
    """Headings numbered I. or A. print in capitals (FORMAT.md: level 1 `I.` UPPERCASE bold)."""
    return style_at(scheme, depth) in ("roman", "upper_letter")


def number(scheme: str, path: list[int]) -> str:
    """The printed number of a section at `path` (1-based indexes from the top), e.g. [2, 3, 1] → 3.1."""
    styles = SCHEMES[scheme]
    style = style_at(scheme, len(path))
    # a decimal number counts from the first arabic level above it: I. / 1. / 1.1. or 1. / 1.1.
    root = styles.index("arabic") if "arabic" in styles else 0
    return label(style, path, root)


def example(scheme: str) -> str:
    """`I. / 1. / 1.1. / a)`: how a scheme looks, for the settings form."""
    return " / ".join(STYLES[style] for style in SCHEMES[scheme][:4])
