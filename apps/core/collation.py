"""Vietnamese alphabetical order: one sort key for every list of names the programme shows or prints.

Python's default order compares code points, which puts "Hòa Đồng" after "Hòa Tân Tây" (Đ is U+0110,
after every unaccented letter) and "Ấp" after "Yên". Vietnamese dictionaries order by the letters of
the alphabet first, where ă, â, đ, ê, ô, ơ, ư are letters of their own (a < ă < â < b < c < d < đ …),
and only then by tone, in the order ngang (none), huyền, hỏi, ngã, sắc, nặng (the order of Từ điển
tiếng Việt, Hoàng Phê ed., and of the Unicode CLDR's Vietnamese collation). Numbers inside names
compare as numbers ("Nhóm 2" before "Nhóm 10").

:func:`vietnamese_key` is the one implementation: ``sorted(names, key=vietnamese_key)``, or
``sort_by_name(rows, "name")`` for a list of dicts. (PostgreSQL's ICU collation ``vi-x-icu`` gives the
same letter order where a query must sort; the Python key also orders numbers as numbers and does not
depend on the server being built with ICU.)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

# The alphabet, with the Latin letters Vietnamese does not use (f, j, w, z) where Latin puts them.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
# Marks that make another letter (ă, â, ê, ô, ơ, ư) and marks that are tones, in dictionary order.
_LETTER_MARKS = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_COMPOSE = {
    ("a", "breve"): "ă",
    ("a", "circumflex"): "â",
    ("e", "circumflex"): "ê",
    ("o", "circumflex"): "ô",
    ("o", "horn"): "ơ",
    ("u", "horn"): "ư",
}
_TOKENS = re.compile(r"\d+|\w|\W", re.UNICODE)

T = TypeVar("T")


def _letter(char: str) -> tuple[str, int]:
    """A character's letter of the alphabet (lower case) and its tone (0 = none)."""
    decomposed = unicodedata.normalize("NFD", char.lower())
    base, marks = decomposed[:1], decomposed[1:]
    tone = 0
    for mark in marks:
        if mark in _LETTER_MARKS:
            base = _COMPOSE.get((base, _LETTER_MARKS[mark]), base)
        elif mark in _TONE_RANK:
            tone = _TONE_RANK[mark]
    return base, tone


def vietnamese_key(text: str | None) -> tuple[Any, ...]:
    """A sort key putting names in Vietnamese alphabetical order (letters, then tones, then case)."""
    text = unicodedata.normalize("NFC", text or "").strip()
    primary: list[tuple[int, Any]] = []
    tones: list[int] = []
    for token in _TOKENS.findall(text):
        if token.isdigit():
            primary.append((1, int(token)))
        elif token.isalpha():
            letter, tone = _letter(token)
            # Letters outside the alphabet (other scripts) come after it, in code-point order.
            primary.append((2, _LETTER_RANK.get(letter, len(ALPHABET) + ord(letter[:1] or " "))))
            tones.append(tone)
        elif not token.isspace():
            primary.append((0, ord(token)))
        else:
            primary.append((0, 0))
    return (tuple(primary), tuple(tones), text)


def sort_by_name(rows: Iterable[T], field: str | Callable[[T], str | None] = "name") -> list[T]:
    """Rows (dicts, or objects with ``field`` given as a function) in Vietnamese order of their name."""
    get: Callable[[T], str | None] = field if callable(field) else (lambda row: row[field])  # type: ignore[index]
    return sorted(rows, key=lambda row: vietnamese_key(get(row)))
