"""Names in the order Vietnamese lists use: by the given name (the last word) first, then the family and
middle names, word by word in the Vietnamese alphabet (a ă â b c d đ e ê … ư v x y), a word's tones
(ngang, huyền, hỏi, ngã, sắc, nặng) deciding between words with the same letters.

`sort_key` turns a name into a string of digits whose order is that order, stored on each member
(`Member.sort_name`), so that every database sorts and pages the roll the same way.
"""

from __future__ import annotations

import unicodedata

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}  # huyền hỏi ngã sắc nặng
LETTER = {letter: f"{index + 10:02d}" for index, letter in enumerate(ALPHABET)}  # 10–42
END = "00"  # after a word's letters: sorts before any letter ("An" < "Anh")
OTHER = "99"


def _letters(word: str) -> tuple[str, str]:
    """(the letters' ranks, the tones) of one word, without case."""
    ranks, tones = [], []
    for char in unicodedata.normalize("NFC", word.casefold()):
        parts = unicodedata.normalize("NFD", char)
        tone = next((TONES[mark] for mark in parts if mark in TONES), "0")
        base = unicodedata.normalize("NFC", "".join(mark for mark in parts if mark not in TONES))
        if base in LETTER:
            ranks.append(LETTER[base])
            tones.append(tone)
        elif base.isdigit():
            ranks.append(f"{50 + int(base)}")
        else:
            ranks.append(OTHER)
    return "".join(ranks), "".join(tones)


def sort_key(full_name: str) -> str:
    """Given name first, then the others in order; each word by its letters, then by its tones (Anh before
    Ánh, whatever the family names), then the next word. Digits only, so that every database collation
    (PostgreSQL's en_US too, which would skip spaces) sorts it byte by byte."""
    words = full_name.split()
    if not words:
        return ""
    ordered = [words[-1], *words[:-1]]
    return "".join(f"{letters}{END}{tones}" for letters, tones in map(_letters, ordered))
