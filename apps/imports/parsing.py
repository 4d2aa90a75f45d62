"""Reading spreadsheet files and cell values as CONTRACT.md "Import format" describes them.

Everything a person can get wrong in a file ends as an ImportFileError (the whole file) or a
CellError (one cell), each with a message that says what to do, never a traceback.
"""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from apps.core import dates, numbers
from apps.core.text import has_control_characters, nfc

# Limits, stated on the upload page, in the command's help and in the README.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# A workbook is a zip file: refuse one that would unpack to more than this (a "zip bomb").
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200

BINARY_SIGNATURES = {
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"%PDF": "PDF",
    b"\xd0\xcf\x11\xe0": "Excel 97-2003 (.xls) / Word (.doc)",
    b"BM": "BMP",
}


class ImportFileError(Exception):
    """The file as a whole cannot be read: nothing in it is imported."""


class CellError(ValueError):
    """One cell does not hold a value of the column's type."""


@dataclass
class Table:
    """One sheet: the header cells (row 1) and the data rows with their spreadsheet row numbers."""

    name: str
    headers: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula: refused, since what it shows depends on other cells."""

    text: str

    def __str__(self) -> str:
        return self.text


# --- Files --------------------------------------------------------------------------------


def read_file(content: bytes, file_name: str) -> list[Table]:
    """All sheets of an .xlsx workbook, or the one table of a .csv file."""
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is larger than %(limit)s MB; split it into smaller files.")
            % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    suffix = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    if suffix == "xlsx":
        return _read_xlsx(content)
    if suffix == "csv":
        return [_read_csv(content)]
    raise ImportFileError(_("Only .xlsx (Excel) and .csv files can be imported."))


def estimate_rows(content: bytes, file_name: str) -> int:
    """About how many rows a file holds, cheaply (lines of a CSV, the sheets' stated size for a workbook).

    Only to choose between checking it at once and checking it in the background; 0 if unsure.
    """
    suffix = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    if suffix == "csv":
        return content.count(b"\n")
    if suffix != "xlsx" or not content.startswith(b"PK\x03\x04"):
        return 0
    try:
        _check_zip(content)
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(content), read_only=True)
        try:
            return sum(sheet.max_row or 0 for sheet in workbook.worksheets)
        finally:
            workbook.close()
    except Exception:  # noqa: BLE001 - a damaged file is reported by the check itself
        return 0


def _binary_kind(content: bytes) -> str | None:
    for signature, kind in BINARY_SIGNATURES.items():
        if content.startswith(signature):
            return kind
    return None


def _check_zip(content: bytes) -> None:
    if not content.startswith(b"PK\x03\x04"):
        kind = _binary_kind(content)
        if kind:
            raise ImportFileError(
                _("This file is not an Excel workbook but a %(kind)s file renamed to .xlsx.") % {"kind": kind}
            )
        raise ImportFileError(_("This file is not a valid Excel workbook (.xlsx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            unpacked = sum(member.file_size for member in members)
            too_packed = any(
                member.file_size > 1024 * 1024
                and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
                for member in members
            )
            if unpacked > MAX_UNPACKED_BYTES or too_packed or len(members) > 10_000:
                raise ImportFileError(
                    _("The workbook unpacks to far more data than it holds; it is refused as unsafe.")
                )
            if "xl/workbook.xml" not in names:
                raise ImportFileError(_("This file is not a valid Excel workbook (.xlsx)."))
            if any(_declares_doctype(archive, member) for member in members if _is_xml(member.filename)):
                raise _unsafe_declarations()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
        raise ImportFileError(_("The workbook is damaged and cannot be opened.")) from exc


# Every XML encoding Excel or a parser would accept, so a part in UTF-16 cannot hide its declaration.
DOCTYPE_MARKS = tuple("<!DOCTYPE".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be"))


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels", ".vml"))


def _declares_doctype(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Whether an XML part has a document type: the only place entities (an external file, "billion laughs")
    can be declared. Excel never writes one, and a cell's text "<!DOCTYPE" is stored escaped, so looking for
    the bytes is exact. Done here, before openpyxl, whichever parser it uses (defusedxml refuses them too,
    but openpyxl reads some parts with lxml, which only leaves them unexpanded, when lxml is installed)."""
    overlap = max(len(mark) for mark in DOCTYPE_MARKS) - 1
    tail = b""
    with archive.open(member) as part:
        while chunk := part.read(1024 * 1024):
            data = tail + chunk
            if any(mark in data for mark in DOCTYPE_MARKS):
                return True
            tail = data[-overlap:]
    return False


def _unsafe_declarations() -> ImportFileError:
    return ImportFileError(
        _(
            "The workbook declares XML entities or a document type, which Excel never writes "
            "(a way to read the server's files or exhaust its memory); it is refused as unsafe."
        )
    )


def _damaged_or_unsafe(exc: BaseException) -> ImportFileError:
    """The file-level error for what openpyxl raised: "unsafe" when defusedxml refused an XML declaration."""
    from defusedxml import DefusedXmlException

    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return _unsafe_declarations()
        cause = cause.__cause__ or cause.__context__
    return ImportFileError(_("The workbook is damaged and cannot be opened."))


def _read_xlsx(content: bytes) -> list[Table]:
    _check_zip(content)
    # openpyxl parses every XML part with defusedxml when it is installed (requirements.txt pins it): an
    # entity declaration (an external entity reading /etc/passwd, or "billion laughs") raises instead of
    # being expanded, and _damaged_or_unsafe() says so.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged file
        raise _damaged_or_unsafe(exc) from exc
    tables = []
    total = 0
    try:
        for sheet in workbook.worksheets:
            table = _sheet_table(sheet, budget=MAX_ROWS - total)
            total += len(table.rows)
            tables.append(table)
    except ImportFileError:
        raise
    except Exception as exc:
        raise _damaged_or_unsafe(exc) from exc
    finally:
        workbook.close()
    return tables


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(limit)s rows of data; split it into smaller files.")
        % {"limit": f"{MAX_ROWS:,}".replace(",", ".")}
    )


def _sheet_table(sheet, *, budget: int) -> Table:
    headers: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    # Row numbers stay as the spreadsheet shows them, blank rows included.
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        values = [_cell_value(cell) for cell in cells]
        if headers is None:
            if all(is_blank(v) for v in values):
                continue
            headers = [str(v).strip() if v is not None else "" for v in values]
            continue
        if all(is_blank(v) for v in values):
            continue
        if len(rows) >= budget:
            raise _too_many_rows()
        rows.append((number, values))
    return Table(name=sheet.title, headers=headers or [], rows=rows)


def _cell_value(cell) -> Any:
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")):
        return Formula(str(value))
    if type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
        return Formula(str(getattr(value, "text", value)))
    if isinstance(value, (datetime.time, datetime.timedelta)):
        return str(value)  # a time where a date or number belongs: the column's parser says what is wrong
    return value


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_csv(content: bytes) -> Table:
    kind = _binary_kind(content)
    if (
        kind
        or content.startswith(b"PK\x03\x04")
        or b"\x00" in content[:4096]
        and not content.startswith((b"\xff\xfe", b"\xfe\xff"))
    ):
        if content.startswith(b"PK\x03\x04"):
            raise ImportFileError(_("This file is an Excel workbook: name it .xlsx, not .csv."))
        raise ImportFileError(
            _("This file is not a CSV text file but a %(kind)s file.") % {"kind": kind or _("binary")}
        )
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export: UTF-16 with a byte order mark.
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportFileError(_("The file's text encoding cannot be read; save it as CSV UTF-8.")) from exc
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _(
                    "The file is not in UTF-8 (it may be in Windows-1258 or TCVN3, where Vietnamese letters "
                    "would be garbled). In Excel choose Save As, CSV UTF-8 (Comma delimited)."
                )
            ) from exc
    if "\x00" in text:  # further in than the first 4 KB: no text file holds one, and PostgreSQL refuses it
        raise ImportFileError(_("This file is not a CSV text file but a %(kind)s file.") % {"kind": _("binary")})
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = max([",", ";", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    try:
        for number, values in enumerate(reader, start=1):
            if all(is_blank(v) for v in values):
                continue
            if headers is None:
                headers = [v.strip() for v in values]
                continue
            if len(rows) >= MAX_ROWS:
                raise _too_many_rows()
            rows.append((number, [Formula(v) if v.startswith("=") else v for v in values]))
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from exc
    return Table(name="csv", headers=headers or [], rows=rows)


# --- Header keys ----------------------------------------------------------------------------


def normalise_header(text: str) -> str:
    """Case, spacing and the `*` that marks required columns in the templates do not matter."""
    text = unicodedata.normalize("NFC", str(text)).replace("*", "")
    return " ".join(text.lower().split())


def fold(text: str) -> str:
    """For comparing names: no case, no extra spaces, no diacritics (đ counts as d)."""
    text = str(text).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


# --- Cell values ----------------------------------------------------------------------------
# Each parser takes a non-blank cell value and returns the Python value, or raises CellError.


def _as_text(value: Any) -> str:
    """The cell as text, in NFC: a code or name typed decomposed is stored and matched as the composed one."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y")
    return nfc(str(value).strip())


def _refuse_other_digits(text: str) -> None:
    """Digits other than 0-9 (², Arabic-Indic ٣, full-width ３) are refused, never read as a guess."""
    if any(char.isdigit() and not char.isascii() for char in text):
        raise CellError(_("Write the number with the digits 0 to 9 only."))


def parse_text(value: Any) -> str:
    return _as_text(value)


def parse_code(value: Any) -> str:
    text = _as_text(value)
    if any(ch.isspace() for ch in text):
        raise CellError(_("A code cannot contain spaces."))
    if has_control_characters(text):  # a code the portal's addresses could never look up (as_lookup_code)
        raise CellError(_("A code cannot contain control characters."))
    return text


def parse_date(value: Any) -> datetime.date:
    try:
        if isinstance(value, datetime.datetime):
            return dates.check_year(value.date())
        if isinstance(value, datetime.date):
            return dates.check_year(value)
        return dates.parse_date(str(value))
    except dates.YearOutOfRange as exc:
        raise CellError(exc.message) from exc
    except dates.NoSuchDay as exc:
        raise CellError(_("This date does not exist.")) from exc
    except dates.BadDate as exc:
        raise CellError(_("Write the date as dd/mm/yyyy, for example 24/10/2018.")) from exc


def parse_money(value: Any) -> int:
    """Whole VND: 1.500.000, 1500000 and 1 500 000 are the same amount (the admin's rule: apps.core.numbers)."""
    try:
        return numbers.parse_money(value)
    except numbers.BadNumber as exc:
        raise CellError(exc.message) from exc


def parse_quantity(value: Any) -> Decimal:
    """Vietnamese usage: `.` groups thousands, `,` marks decimals; `12.5` fits neither and is refused."""
    try:
        return numbers.parse_quantity(value)
    except numbers.BadNumber as exc:
        raise CellError(exc.message) from exc


def parse_int(value: Any) -> int:
    if isinstance(value, bool):
        raise CellError(_("Write a whole number."))
    if isinstance(value, int):
        return value
    if isinstance(value, (float, Decimal)) and value == int(value):
        return int(value)
    text = str(value).strip()
    _refuse_other_digits(text)
    if text.isascii() and text.isdigit():
        return int(text)
    raise CellError(_("Write a whole number."))


TRUE_WORDS = {"1", "có", "co", "yes", "true", "x"}
FALSE_WORDS = {"0", "không", "khong", "no", "false"}


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = unicodedata.normalize("NFC", str(value)).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(_("Write 1 or 0 (có/không, yes/no, true/false)."))


class ChoiceParser:
    """A choice column: its code (``money``) or its Vietnamese label (``tiền``), in any case.

    Labels are also accepted without diacritics (``tien``, ``ho``) where that names one choice only;
    where two labels of the column fold to the same letters, only the label with its diacritics is taken.
    ``aliases`` adds other everyday words for a choice (``cho vay`` for a loan).
    """

    def __init__(self, choices: list[tuple[str, Any]], aliases: dict[str, list[str]] | None = None) -> None:
        self.choices = choices
        self.aliases = aliases or {}
        self._exact: dict[str, str] | None = None
        self._folded: dict[str, set[str]] = {}

    @property
    def codes(self) -> list[str]:
        return [value for value, _label in self.choices]

    def label(self, code: str) -> str:
        """The Vietnamese label of ``code`` (what the templates write)."""
        from django.utils import translation

        with translation.override("vi"):
            return next((str(label) for value, label in self.choices if value == code), code)

    def _words(self) -> dict[str, str]:
        """Every accepted word (NFC, lower case) → its code."""
        from django.utils import translation

        if self._exact is None:
            words: dict[str, str] = {}
            for language in ("en", "vi"):  # the label's msgid, then its Vietnamese text
                with translation.override(language):
                    for value, label in self.choices:
                        words[_lower(str(label))] = value
            for value, extra in self.aliases.items():
                for word in extra:
                    words[_lower(word)] = value
            for value in self.codes:
                words[value.lower()] = value
            folded: dict[str, set[str]] = {}
            for word, value in words.items():
                folded.setdefault(fold(word), set()).add(value)
            self._exact, self._folded = words, folded
        return self._exact

    def describe(self) -> str:
        """For the templates' notes and the error: “tiền (money), hiện vật (goods), …”."""
        return ", ".join(f"{self.label(code)} ({code})" for code in self.codes)

    def __call__(self, value: Any) -> str:
        text = _lower(_as_text(value))
        words = self._words()
        if text in words:
            return words[text]
        found = self._folded.get(fold(text), set())
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            raise CellError(
                _("“%(value)s” could mean %(choices)s: write it with its diacritics.")
                % {"value": text, "choices": ", ".join(f"“{self.label(code)}”" for code in sorted(found))}
            )
        raise CellError(_("Use one of: %(choices)s.") % {"choices": self.describe()})


def _lower(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def choice_parser(choices: list[str] | list[tuple[str, Any]], aliases: dict[str, list[str]] | None = None):
    """A parser accepting one of the contract's codes or its Vietnamese label (see :class:`ChoiceParser`)."""
    pairs = [choice if isinstance(choice, tuple) else (choice, choice) for choice in choices]
    return ChoiceParser(pairs, aliases)
