"""Text helpers every app may use."""

from __future__ import annotations

import unicodedata


def strip_diacritics(text: str) -> str:
    """ "Hòa Đồng" → "Hoa Dong": what PostgreSQL's unaccent() makes of the searched columns."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))
