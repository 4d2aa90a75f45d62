"""Text helpers every app may use."""

from __future__ import annotations

import unicodedata


def strip_diacritics(text: str) -> str:
    """ "Hòa Đồng" → "Hoa Dong": what PostgreSQL's unaccent() makes of the searched columns."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def nfc(text: str) -> str:
    """One spelling per text: "ộ" typed as one character or as o + two marks is stored and looked up alike.

    Keyboards and spreadsheets differ (Unikey, macOS, copied PDF text), so two codes or names that look
    identical can differ underneath; the portal keeps and compares every text in NFC.
    """
    return unicodedata.normalize("NFC", text)


def has_control_characters(text: str) -> bool:
    """True when ``text`` holds a NUL, a line break or any other control character (Unicode category Cc).

    No code or name of the programme holds one, and PostgreSQL refuses a NUL in a string outright.
    """
    return any(unicodedata.category(char) == "Cc" for char in text)


def as_lookup_code(text: str) -> str | None:
    """A code from a URL or a parameter, ready to look up; None when no record can have it."""
    code = nfc(text.strip())
    if not code or has_control_characters(code):
        return None
    return code
