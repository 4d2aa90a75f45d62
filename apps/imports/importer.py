"""Importing rows of one KIND (or a whole workbook), all or nothing.

Every row is written inside one transaction through the same services as the admin
(``save_donation``, ``save_repayment``, ``save_validated``), each in its own savepoint, so the
database's constraints and triggers judge it too and later rows can refer to codes created by
earlier ones. If any row is bad, or on a dry run, the transaction is rolled back: nothing is
written. Codes are looked up once per file, not once per row.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.audit import import_context
from apps.accounts.scoping import may_write
from apps.accounts.stale import current_versions, refuse_stale_edit, tracks_versions
from apps.core.services import normalise_texts
from apps.core.signals import records_written_in_bulk
from apps.donations.models import REPAYMENT_WITHIN_LOAN, Item
from apps.donations.services import figures_not_kept_before_rollback
from apps.households.models import Household
from apps.imports import parsing
from apps.imports.kinds import BENEFICIARY_MODELS, KINDS, ORDER, WORKBOOK, Kind, kind_for_sheet
from apps.imports.parsing import CellError, Formula, ImportFileError, Table
from apps.imports.spreadsheets import NOTES_SHEET

# Counts and codes only: names and ID numbers never reach a log line.
logger = logging.getLogger(__name__)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

# An update refused because the record changed between the preview and the confirmation (who changed
# what and when, as the admin's stale form says it: apps.accounts.stale.refuse_stale_edit).
STALE_IMPORT = gettext_lazy(
    "this record was changed after the preview, so nothing was imported: %(changes)s. "
    "Upload the file again to check it against the new values."
)

# The versions of the records a preview found, per KIND and record key (json of the match key):
# what the confirmation compares with (apps.accounts.stale).
Versions = dict[str, dict[str, int]]


@dataclass
class Problem:
    """A bad row (an error) or something to look at (a warning), where the spreadsheet shows it."""

    row: int | None
    column: str
    reason: str
    value: str = ""
    sheet: str = ""

    def __str__(self) -> str:
        prefix = f"{self.sheet}: " if self.sheet else ""
        if self.row is None:
            return prefix + self.reason
        return prefix + _("row %(row)s, column %(column)s: %(reason)s") % {
            "row": self.row,
            "column": self.column or "—",
            "reason": self.reason,
        }


SAMPLE_ROWS = 20


@dataclass
class KindResult:
    kind: str
    label: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    # (row number, action, key) for the preview: codes only.
    actions: list[tuple[int, str, str]] = field(default_factory=list)
    # The first rows as the file holds them, for the preview: the file's headers, then
    # (row number, action or "error", cells) for each row. Shown to the uploader only, never logged.
    sample_headers: list[str] = field(default_factory=list)
    sample: list[tuple[int, str, list[str]]] = field(default_factory=list)


@dataclass
class Report:
    results: list[KindResult] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False
    # The version of every existing record a row matched, as found (see Versions); kept apart from
    # to_dict(): the pending upload or the background run keeps it until the confirmation.
    versions: Versions = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def has_sheets(self) -> bool:
        """Whether a problem names its sheet (a workbook): a single sheet's file needs no such column."""
        return any(problem.sheet for problem in [*self.errors, *self.warnings])

    @property
    def rows(self) -> int:
        return sum(result.rows for result in self.results)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for a background import's stored report)."""
        data = asdict(self)
        data.pop("versions")
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        return cls(
            results=[KindResult(**result) for result in data.get("results", [])],
            errors=[Problem(**problem) for problem in data.get("errors", [])],
            warnings=[Problem(**problem) for problem in data.get("warnings", [])],
            dry_run=data.get("dry_run", False),
            written=data.get("written", False),
        )

    @property
    def created(self) -> int:
        return sum(result.created for result in self.results)

    @property
    def updated(self) -> int:
        return sum(result.updated for result in self.results)

    @property
    def unchanged(self) -> int:
        return sum(result.unchanged for result in self.results)


Progress = Callable[[int, int], None]
# Rows written with one INSERT (and checked together by the database); also how often progress is told.
BATCH_ROWS = 500


class _Counter:
    """Rows done out of the file's total, told to ``progress`` every BATCH_ROWS rows and at the end."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.done = 0
        self._told = -1

    def step(self, rows: int = 1) -> None:
        self.done += rows
        if self.progress and (self.done - self._told >= BATCH_ROWS or self.done >= self.total):
            self._told = self.done
            self.progress(self.done, self.total)


class _Rollback(Exception):
    """Raised inside the transaction to undo it: a dry run, or a file with a bad row."""


# --- Entry points ---------------------------------------------------------------------------


def import_file(
    kind_name: str,
    content: bytes,
    file_name: str,
    *,
    dry_run: bool = False,
    user=None,
    via: str = "command",
    progress: Progress | None = None,
    seen_versions: Versions | None = None,
) -> Report:
    """Import one file of ``kind_name`` (a KIND or "workbook"); never raises for a bad file.

    ``progress(done, total)``, if given, is called as rows are checked and written (a background
    import shows it); it must write outside this import's transaction to be seen before the end.

    ``seen_versions``: the ``report.versions`` of the preview this import confirms. A row that would
    update a record changed since (or created since: its seen version is 0) is refused with who changed
    what and when, and so the whole file. None (the command, which has no preview): no such check.
    """
    report = Report(dry_run=dry_run)
    kind_name = (kind_name or "").strip().lower()
    if kind_name != WORKBOOK and kind_name not in KINDS and (named := kind_for_sheet(kind_name)):
        kind_name = named.name  # the kind's Vietnamese label: "ủng hộ, giúp đỡ", "ho" …
    if kind_name != WORKBOOK and kind_name not in KINDS:
        report.errors.append(
            Problem(
                None,
                "",
                _("Unknown kind “%(kind)s”. Use one of: %(kinds)s.")
                % {"kind": kind_name, "kinds": ", ".join([*ORDER, WORKBOOK])},
            )
        )
        return report
    try:
        tables = parsing.read_file(content, file_name)
    except ImportFileError as exc:
        report.errors.append(Problem(None, "", str(exc)))
        return report
    if kind_name == WORKBOOK:
        if not file_name.lower().endswith(".xlsx"):
            report.errors.append(Problem(None, "", _("A workbook import needs an .xlsx file.")))
            return report
        plan = _workbook_plan(tables, report)
    else:
        plan = [(KINDS[kind_name], _table_for_kind(tables, kind_name), "")]
    if report.errors:
        return report
    for kind, table, sheet in plan:
        _check_table(kind, table, sheet, report)
    if report.errors:
        return report
    counter = _Counter(progress, sum(len(table.rows) for _kind, table, _sheet in plan))
    try:
        with (
            import_context(kind=kind_name, file_name=file_name, via=via, user=user),
            transaction.atomic(),
            # A dry run is rolled back whatever happens: the figure tables' upkeep would be undone with it.
            figures_not_kept_before_rollback() if dry_run else contextlib.nullcontext(),
        ):
            _settle_trigger_settings()
            for kind, table, sheet in plan:
                seen = None if seen_versions is None else seen_versions.get(kind.name, {})
                report.results.append(
                    _KindImport(kind, table, sheet, report, user=user, counter=counter, seen=seen).run()
                )
            if report.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    report.written = report.ok and not dry_run
    logger.info(
        "import %s via %s: %s created, %s updated, %s unchanged, %s bad rows, dry_run=%s, written=%s",
        kind_name,
        via,
        report.created,
        report.updated,
        report.unchanged,
        len(report.errors),
        dry_run,
        report.written,
    )
    return report


def _settle_trigger_settings() -> None:
    """Give the triggers' settings a value for this transaction, so that reading them never fails.

    Every trigger pgtrigger installs (the audit's among them) first asks whether it is to be skipped by
    reading the setting ``pgtrigger.ignore`` inside a PL/pgSQL block that catches the error raised when
    it is unset. Each such catch is a subtransaction rolled back, once per row and trigger, and their
    cost grows with the rows the transaction has already written: 20.000 rows took 4× longer per row at
    the end than at the start. An empty list ("ignore nothing") is what pgtrigger.ignore() itself sets;
    every trigger still runs, so each row is audited exactly as before (tests/imports/test_bulk.py).
    """
    with transaction.get_connection().cursor() as cursor:
        cursor.execute("SELECT set_config('pgtrigger.ignore', '{}', true)")


def _table_for_kind(tables: list[Table], kind_name: str) -> Table:
    """The sheet named after the KIND if there is one, else the first sheet."""
    for table in tables:
        found = kind_for_sheet(table.name)
        if found and found.name == kind_name:
            return table
    return tables[0]


def _workbook_plan(tables: list[Table], report: Report) -> list[tuple[Kind, Table, str]]:
    by_kind: dict[str, Table] = {}
    for table in tables:
        kind = kind_for_sheet(table.name)
        if kind is None and table.name == NOTES_SHEET:
            continue
        if kind is None:
            report.warnings.append(
                Problem(None, "", _("Sheet “%(sheet)s” is not a KIND and was skipped.") % {"sheet": table.name})
            )
        elif kind.name in by_kind:
            report.errors.append(Problem(None, "", _("Two sheets are named “%(sheet)s”.") % {"sheet": kind.name}))
        else:
            by_kind[kind.name] = table
    if not by_kind and not report.errors:
        report.errors.append(
            Problem(
                None,
                "",
                _("No sheet of this workbook is named after a KIND (communes, villages, … donations, repayments)."),
            )
        )
    return [(KINDS[name], by_kind[name], by_kind[name].name) for name in ORDER if name in by_kind]


def _check_table(kind: Kind, table: Table, sheet: str, report: Report) -> None:
    """The header: every required column there, no column twice; unknown columns are only warned about."""
    if not table.headers:
        report.errors.append(Problem(None, "", _("The sheet is empty: row 1 must hold the column keys."), sheet=sheet))
        return
    columns = _header_map(kind)
    seen: dict[str, str] = {}
    for header in table.headers:
        if not header:
            continue
        key = columns.get(parsing.normalise_header(header))
        if key is None:
            report.warnings.append(Problem(1, header, _("unknown column, ignored"), sheet=sheet))
        elif key in seen:
            report.errors.append(
                Problem(
                    1, header, _("this column appears twice (also “%(other)s”)") % {"other": seen[key]}, sheet=sheet
                )
            )
        else:
            seen[key] = header
    for key in kind.required:
        if key not in seen:
            report.errors.append(Problem(1, key, _("required column is missing"), sheet=sheet))
    if not table.rows and not report.errors:
        report.errors.append(Problem(None, "", _("The sheet has a header but no rows of data."), sheet=sheet))


def _header_map(kind: Kind) -> dict[str, str]:
    """Normalised header text → column key: the contract's keys, the templates' Vietnamese labels and
    the labels of older templates (files made with them are still accepted)."""
    mapping = {}
    for column in kind.columns:
        for header in (column.label, column.key, *column.former_labels):
            mapping[parsing.normalise_header(header)] = column.key
    return mapping


# --- One KIND ------------------------------------------------------------------------------


class _Lookups:
    """Records referred to by code, fetched once per file; records created by the file are added."""

    def __init__(self) -> None:
        self._found: dict[tuple[type[models.Model], str], dict[str, models.Model]] = defaultdict(dict)
        self._items: dict[str, list[models.Model]] | None = None

    def prefetch(self, model: type[models.Model], by: str, values: set[str]) -> None:
        wanted = values - set(self._found[(model, by)])
        if wanted:
            for obj in model._default_manager.filter(**{f"{by}__in": wanted}):
                self._found[(model, by)][getattr(obj, by)] = obj

    def get(self, model: type[models.Model], by: str, value: str) -> models.Model | None:
        found = self._found[(model, by)].get(value)
        if found is None and model is Item:
            found = self._item_named(value)
        return found

    def _item_named(self, value: str) -> models.Model | None:
        """An item of goods may be named as the clerk says it: "gạo", "Gạo", "Xe đạp" for gao, xe_dap."""
        if self._items is None:
            self._items = {}
            for item in Item.objects.all():
                for word in (item.code, item.code.replace("_", " "), item.name):
                    self._items.setdefault(parsing.fold(word), []).append(item)
        matches = {item.pk: item for item in self._items.get(parsing.fold(value), [])}
        return next(iter(matches.values())) if len(matches) == 1 else None

    def add(self, model: type[models.Model], by: str, obj: models.Model) -> None:
        self._found[(model, by)][getattr(obj, by)] = obj


class _KindImport:
    def __init__(
        self,
        kind: Kind,
        table: Table,
        sheet: str,
        report: Report,
        *,
        user=None,
        counter: _Counter | None = None,
        seen: dict[str, int] | None = None,
    ) -> None:
        self.kind = kind
        # The versions the preview saw (None: no preview to compare with) and those found now.
        self.seen = seen
        self.versions: dict[str, int] = report.versions.setdefault(kind.name, {})
        # Matched record's pk → its key in ``versions`` (the key as the database holds it).
        self.version_keys: dict[Any, str] = {}
        self.counter = counter or _Counter(None, len(table.rows))
        # New records checked and waiting for one INSERT: (row number, values, raw cells, record).
        self.pending: list[tuple[int, dict[str, Any], dict[str, Any], models.Model]] = []
        self.unique_left: dict[frozenset[str], bool] = {}
        # Whether any record was inserted many per statement (which sends no post_save).
        self.written_in_bulk = False
        # Whose rows these may be: a focal point imports only their unit's or commune's records.
        # None (the command without --user) is the server's administrator.
        self.user = user
        self.table = table
        self.sheet = sheet
        self.report = report
        self.result = KindResult(kind.name, str(kind.label))
        header_map = _header_map(kind)
        # Column key → (position in the row, header as the file wrote it).
        self.positions: dict[str, tuple[int, str]] = {}
        for index, header in enumerate(table.headers):
            key = header_map.get(parsing.normalise_header(header)) if header else None
            if key and key not in self.positions:
                self.positions[key] = (index, header)
        self.lookups = _Lookups()
        # Rows with a cell that does not parse: only their codes are still checked.
        self.unparsed: list[tuple[int, dict[str, Any], dict[str, Any]]] = []

    def error(self, row: int, key: str, reason: str, value: Any = "") -> None:
        header = self.positions.get(key, (0, key))[1]
        self.report.errors.append(Problem(row, header, reason, _display(value), sheet=self.sheet))

    # Parsing ------------------------------------------------------------------------------

    def parse_rows(self) -> list[tuple[int, dict[str, Any], dict[str, Any]]]:
        """(row number, parsed values of the given cells, raw values) for rows whose cells all parse."""
        parsed = []
        for number, cells in self.table.rows:
            values: dict[str, Any] = {}
            raw: dict[str, Any] = {}
            good = True
            for column in self.kind.columns:
                if column.key not in self.positions:
                    continue
                index = self.positions[column.key][0]
                cell = cells[index] if index < len(cells) else None
                raw[column.key] = cell
                if parsing.is_blank(cell):
                    if column.required:
                        self.error(number, column.key, _("this column is required"))
                        good = False
                    continue
                if isinstance(cell, Formula):
                    self.error(number, column.key, _("the cell contains a formula; type the value itself"), cell)
                    good = False
                    continue
                try:
                    values[column.key] = column.parse(cell)
                except CellError as exc:
                    self.error(number, column.key, str(exc), cell)
                    good = False
            if good:
                parsed.append((number, values, raw))
            else:
                self.unparsed.append((number, values, raw))
        return parsed

    # Matching -----------------------------------------------------------------------------

    def match_key(self, values: dict[str, Any]) -> tuple:
        key = tuple(values.get(key) for key in self.kind.match)
        return self.kind.normalise_key(key) if self.kind.normalise_key else key

    def existing(self, rows: list[tuple[int, dict[str, Any], dict[str, Any]]]) -> dict[tuple, models.Model]:
        """Records the file's rows will update, keyed like :meth:`match_key`, in one query."""
        model = self.kind.model
        first = self.kind.match[0]
        wanted = {values[first] for _n, values, _r in rows if first in values}
        if not wanted:
            return {}
        column = self.kind.columns_by_key[first]
        if column.ref is None:  # matched by its own code or reference
            queryset = self.locked(model._default_manager.filter(**{f"{first}__in": wanted}))
            return self.note_versions({(getattr(obj, first),): obj for obj in queryset})
        # Composite keys: (household_code, year), (unit_code, group_code, start), …
        paths = {}
        for key in self.kind.match:
            col = self.kind.columns_by_key[key]
            paths[key] = f"{col.field}__{col.ref[1]}" if col.ref else col.field
        related = [self.kind.columns_by_key[key].field for key in self.kind.match if self.kind.columns_by_key[key].ref]
        queryset = (
            model._default_manager.filter(**self.kind.match_filter)
            .filter(**{f"{paths[first]}__in": wanted})
            .select_related(*related)
        )
        found = {}
        queryset = self.locked(queryset)
        for obj in queryset:
            key = []
            for name in self.kind.match:
                col = self.kind.columns_by_key[name]
                if col.ref:
                    target = getattr(obj, col.field)
                    key.append(getattr(target, col.ref[1]) if target else None)
                else:
                    key.append(getattr(obj, col.field))
            found[self.kind.normalise_key(tuple(key)) if self.kind.normalise_key else tuple(key)] = obj
        return self.note_versions(found)

    def locked(self, queryset: models.QuerySet) -> models.QuerySet:
        """When confirming a preview, the matched records are locked until the import ends, so that
        nobody's save slips in between the comparison of their versions and the import's write."""
        return queryset if self.seen is None else queryset.select_for_update(of=("self",))

    def note_versions(self, found: dict[tuple, models.Model]) -> dict[tuple, models.Model]:
        """Remember the version of every matched record (one query), by its key: see :data:`Versions`."""
        if found and tracks_versions(self.kind.model):
            versions = current_versions(self.kind.model, [obj.pk for obj in found.values()])
            for key, obj in found.items():
                self.version_keys[obj.pk] = _version_key(key)
                self.versions[self.version_keys[obj.pk]] = versions.get(obj.pk, 0)
        return found

    def unchanged_since_preview(self, number: int, values: dict[str, Any], obj: models.Model) -> bool:
        """False (with the row's error naming who changed what) if the record changed after the preview."""
        if self.seen is None or not tracks_versions(self.kind.model):
            return True
        key = self.version_keys[obj.pk]
        seen = self.seen.get(key, 0)  # not found by the preview: someone created it since
        if self.versions.get(key, 0) <= seen:
            return True
        try:
            refuse_stale_edit(obj, seen, message=STALE_IMPORT)
        except ValidationError as exc:
            first = self.kind.match[0]
            for message in exc.messages:
                self.error(number, first, message, values.get(first))
            return False
        return True

    def prefetch_references(self, rows: list[tuple[int, dict[str, Any], dict[str, Any]]]) -> None:
        wanted: dict[tuple[type[models.Model], str], set[str]] = defaultdict(set)
        for _number, values, _raw in rows:
            for column in self.kind.columns:
                if column.ref and column.key in values:
                    wanted[column.ref].add(values[column.key])
            if self.kind.has_beneficiary and "beneficiary_code" in values and "beneficiary_kind" in values:
                wanted[(BENEFICIARY_MODELS[values["beneficiary_kind"]], "code")].add(values["beneficiary_code"])
        for (model, by), values in wanted.items():
            self.lookups.prefetch(model, by, values)

    # Writing ------------------------------------------------------------------------------

    def run(self) -> KindResult:
        first_error = len(self.report.errors)
        self._run()
        # Parsing and writing find problems in two passes; people read them in row order.
        self.report.errors[first_error:] = sorted(self.report.errors[first_error:], key=lambda e: e.row or 0)
        self.result.rows = len(self.table.rows)
        self.take_sample({problem.row for problem in self.report.errors[first_error:]})
        return self.result

    def take_sample(self, bad_rows: set[int | None]) -> None:
        """The first rows as the file holds them (known columns only), each with what the import does with it."""
        keys = [column.key for column in self.kind.columns if column.key in self.positions]
        self.result.sample_headers = [self.positions[key][1] for key in keys]
        actions = {number: action for number, action, _key in self.result.actions[: SAMPLE_ROWS * 2]}
        for number, cells in self.table.rows[:SAMPLE_ROWS]:
            values = []
            for key in keys:
                index = self.positions[key][0]
                values.append(_display_cell(cells[index] if index < len(cells) else None))
            action = "error" if number in bad_rows else actions.get(number, "")
            self.result.sample.append((number, action, values))

    def _run(self) -> None:
        rows = self.parse_rows()
        self.prefetch_references(rows + self.unparsed)
        for number, values, _raw in self.unparsed:
            self.resolve(number, values)
        existing = self.existing(rows)
        seen: dict[tuple, int] = {}
        if self.kind.model is Household:
            self.warn_duplicate_households(rows)
        self.counter.step(len(self.unparsed))
        for number, values, raw in rows:
            self.counter.step()
            key = self.match_key(values)
            if key in seen:
                self.error(
                    number,
                    self.kind.match[0],
                    _("this row repeats row %(row)s (same %(key)s)")
                    % {"row": seen[key], "key": ", ".join(self.kind.match)},
                    values.get(self.kind.match[0]),
                )
                continue
            seen[key] = number
            self.import_row(number, values, raw, existing.get(key))
        self.flush()
        if self.written_in_bulk:
            # Records inserted many per statement send no post_save: those listening for writes (the
            # portal, which marks its cached pages stale) hear of them once for the whole file.
            records_written_in_bulk.send(sender=self.kind.model)

    def import_row(self, number: int, values: dict[str, Any], raw: dict[str, Any], obj: models.Model | None) -> None:
        is_new = obj is None
        if is_new:
            obj = self.kind.model()
        elif not self.may_write(number, values, obj):
            return
        targets = self.resolve(number, values)
        if targets is None:
            return
        changed = self.apply(obj, values, targets)
        if not is_new and not changed:
            self.record(number, UNCHANGED, obj)
            return
        if not self.may_write(number, values, obj):
            return
        if not is_new and not self.unchanged_since_preview(number, values, obj):
            return
        if is_new and self.kind.bulk:
            if not self.check(number, values, raw, obj):
                return
            self.pending.append((number, values, raw, obj))
            if len(self.pending) >= BATCH_ROWS:
                self.flush()
        elif not self.save(number, values, raw, obj):
            return
        self.record(number, CREATED if is_new else UPDATED, obj)
        # Later rows of the file may refer to this record by its code.
        _register_created(self.lookups, self.kind.model, obj)

    def apply(self, obj: models.Model, values: dict[str, Any], targets: dict[str, models.Model]) -> bool:
        """Set the row's values and records on ``obj``; whether anything differed from what it held."""
        changed = False
        for column in self.kind.columns:
            if column.key not in values or column.field is None:
                continue  # not given: a new record takes the default, an existing one keeps its value
            if column.ref:
                target = targets[column.key]
                if getattr(obj, f"{column.field}_id") != target.pk:
                    setattr(obj, column.field, target)
                    changed = True
            elif getattr(obj, column.field) != values[column.key]:
                setattr(obj, column.field, values[column.key])
                changed = True
        if "beneficiary_code" in targets:
            target = targets["beneficiary_code"]
            if (
                obj.beneficiary_kind != values["beneficiary_kind"]
                or getattr(obj, f"{values['beneficiary_kind']}_id") != target.pk
            ):
                obj.beneficiary = target
                changed = True
        return changed

    def save(self, number: int, values: dict[str, Any], raw: dict[str, Any], obj: models.Model) -> bool:
        """Write the record through the kind's service; False (with the row's errors) if it was refused."""
        try:
            # The model's constraints are left to the database (it refuses the row inside the
            # service's savepoint): validating each in Python costs a query per constraint and row.
            self.kind.save(obj, validate_constraints=False, exclude=self.linked_fields(values))
        except ValidationError as exc:
            self.validation_errors(number, exc, raw)
            return False
        except DatabaseError as exc:
            key, reason = self.refusal(obj, exc)
            self.error(number, key, reason, raw.get(key))
            return False
        return True

    def check(self, number: int, values: dict[str, Any], raw: dict[str, Any], obj: models.Model) -> bool:
        """What the kind's service checks before its save (texts in NFC, full_clean), for a record written in bulk."""
        normalise_texts(obj)
        exclude = self.linked_fields(values)
        # Whether any uniqueness is left to check (none when the unique fields are the codes just looked
        # up): found once per set of columns, not built again for every row.
        key = frozenset(exclude)
        if key not in self.unique_left:
            self.unique_left[key] = bool(obj._get_unique_checks(exclude=exclude, include_meta_constraints=False)[0])
        try:
            obj.full_clean(exclude=exclude, validate_unique=self.unique_left[key], validate_constraints=False)
        except ValidationError as exc:
            self.validation_errors(number, exc, raw)
            return False
        return True

    def flush(self) -> None:
        """Insert the checked new records in one statement; the database's constraints and triggers judge them.

        If the database refuses the batch, it is written again row by row through the service, so the
        refused rows are named (the import fails anyway, nothing is written).
        """
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        try:
            with transaction.atomic():
                _insert_rows(self.kind.model, [obj for _n, _v, _r, obj in batch])
        except DatabaseError:
            for number, values, raw, obj in batch:
                obj.pk = None
                obj._state.adding = True
                self.save(number, values, raw, obj)
            return
        self.written_in_bulk = True

    def may_write(self, number: int, values: dict[str, Any], obj: models.Model) -> bool:
        if self.user is None or may_write(self.user, obj):
            return True
        key = next(
            (
                c.key
                for c in self.kind.columns
                if c.key in ("unit_code", "loan_reference", "commune_code", "village_code", "household_code")
            ),
            self.kind.match[0],
        )
        self.error(number, key, _("you may only import records of your own unit or commune"), values.get(key))
        return False

    def resolve(self, number: int, values: dict[str, Any]) -> dict[str, models.Model] | None:
        """The records the row's codes name, or None (with an error per unknown code)."""
        targets: dict[str, models.Model] = {}
        good = True
        for column in self.kind.columns:
            if column.ref and column.key in values:
                target = self.lookups.get(column.ref[0], column.ref[1], values[column.key])
                if target is None:
                    self.error(
                        number,
                        column.key,
                        _("no %(kind)s with code “%(code)s”")
                        % {"kind": column.ref[0]._meta.verbose_name, "code": values[column.key]},
                        values[column.key],
                    )
                    good = False
                else:
                    targets[column.key] = target
        if self.kind.has_beneficiary and "beneficiary_code" in values and "beneficiary_kind" in values:
            target_model = BENEFICIARY_MODELS[values["beneficiary_kind"]]
            target = self.lookups.get(target_model, "code", values["beneficiary_code"])
            if target is None:
                self.error(
                    number,
                    "beneficiary_code",
                    _("no %(kind)s with code “%(code)s”")
                    % {"kind": target_model._meta.verbose_name, "code": values["beneficiary_code"]},
                    values["beneficiary_code"],
                )
                good = False
            else:
                targets["beneficiary_code"] = target
        if any(target.pk is None for target in targets.values()):
            self.flush()  # the row names a record of this file still waiting for its INSERT
        return targets if good else None

    def linked_fields(self, values: dict[str, Any]) -> list[str]:
        """Links and own codes just looked up: validating them again would cost a query each."""
        fields = [c.field for c in self.kind.columns if c.key in values and (c.ref or c.key in self.kind.match)]
        if self.kind.has_beneficiary and "beneficiary_kind" in values:
            fields.append(values["beneficiary_kind"])
        return fields

    def refusal(self, obj: models.Model, exc: DatabaseError) -> tuple[str, str]:
        """The column and the message of a row the database refused, named by its constraint."""
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        for constraint in obj._meta.constraints:
            if constraint.name not in detail:
                continue
            fields = list(getattr(constraint, "fields", ()) or ())
            key = self.kind.column_for_field(fields[-1]) if fields else self.kind.match[0]
            if isinstance(constraint, models.UniqueConstraint) and fields:
                return key, obj.unique_error_message(type(obj), fields).messages[0]
            return key, str(constraint.get_violation_error_message())
        if REPAYMENT_WITHIN_LOAN in detail:
            return self.kind.match[0], _("the repaid total would be above the amount lent")
        # A rule only the database knows, or a race with another clerk.
        return self.kind.match[0], _("the database refused this row: %(error)s") % {"error": detail}

    def record(self, number: int, action: str, obj: models.Model) -> None:
        setattr(self.result, action, getattr(self.result, action) + 1)
        key = " / ".join(
            str(getattr(obj, self.kind.columns_by_key[k].field) or "")
            for k in self.kind.match
            if self.kind.columns_by_key[k].ref is None
        )
        self.result.actions.append((number, action, key or str(obj.pk or "")))

    def validation_errors(self, number: int, exc: ValidationError, raw: dict[str, Any]) -> None:
        for field_name, messages in exc.message_dict.items():
            key = self.kind.match[0] if field_name == NON_FIELD_ERRORS else self.kind.column_for_field(field_name)
            for message in messages:
                self.error(number, key, message, raw.get(key))

    def warn_duplicate_households(self, rows: list[tuple[int, dict[str, Any], dict[str, Any]]]) -> None:
        """Same village and head name (ignoring case, spacing, diacritics), or the same ID number."""
        villages = {values["village_code"] for _n, values, _r in rows if "village_code" in values}
        id_numbers = {values["id_number"] for _n, values, _r in rows if values.get("id_number")}
        by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
        by_id: dict[str, list[str]] = defaultdict(list)
        # Compared in Python: folding Vietnamese diacritics is not something PostgreSQL does unaided.
        known = Household.objects.filter(village__code__in=villages).values_list("code", "village__code", "head_name")
        for code, village, head_name in known:
            by_name[(village, parsing.fold(head_name))].append(code)
        for code, id_number in Household.objects.filter(id_number__in=id_numbers).values_list("code", "id_number"):
            by_id[id_number].append(code)
        in_file_name: dict[tuple[str, str], int] = {}
        in_file_id: dict[str, int] = {}
        for number, values, _raw in rows:
            code = values.get("code")
            name_key = (values.get("village_code"), parsing.fold(values.get("head_name", "")))
            others = [other for other in by_name.get(name_key, []) if other != code]
            if others:
                self.warn(
                    number,
                    "head_name",
                    _("likely the same household as %(codes)s (same village and head name)")
                    % {"codes": ", ".join(sorted(others))},
                )
            if name_key in in_file_name:
                self.warn(
                    number,
                    "head_name",
                    _("likely the same household as row %(row)s (same village and head name)")
                    % {"row": in_file_name[name_key]},
                )
            else:
                in_file_name[name_key] = number
            id_number = values.get("id_number")
            if id_number:
                others = [other for other in by_id.get(id_number, []) if other != code]
                if others:
                    self.warn(
                        number,
                        "id_number",
                        _("likely the same household as %(codes)s (same ID number)")
                        % {"codes": ", ".join(sorted(others))},
                    )
                if id_number in in_file_id:
                    self.warn(
                        number,
                        "id_number",
                        _("likely the same household as row %(row)s (same ID number)") % {"row": in_file_id[id_number]},
                    )
                else:
                    in_file_id[id_number] = number

    def warn(self, row: int, key: str, reason: str) -> None:
        header = self.positions.get(key, (0, key))[1]
        self.report.warnings.append(Problem(row, header, reason, sheet=self.sheet))


# Field types whose Python value (as full_clean left it) is what PostgreSQL is sent, unprepared.
_PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DecimalField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
}


def _insert_rows(model: type[models.Model], objs: list[models.Model]) -> None:
    """INSERT ``objs`` (new, validated records) in one statement, one array per column, and give them their ids.

    What ``bulk_create`` does, without preparing each of the rows × columns values through the ORM's
    generic path (a third of an import's time): the values are the ones full_clean left on the records.
    The database sees an ordinary INSERT of every row, so each row fires its triggers (the audit's, with
    the import's context) and the statement-level ones see them all, as with ``bulk_create``.
    """
    connection = transaction.get_connection()
    meta = model._meta
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    pk = meta.pk
    fields = [
        column_field
        for column_field in meta.local_concrete_fields
        if not (column_field is pk and pk.db_returning and all(obj.pk is None for obj in objs))
    ]
    columns, arrays, casts = [], [], []
    for column_field in fields:
        stamped = getattr(column_field, "auto_now", False) or getattr(column_field, "auto_now_add", False)
        if column_field.get_internal_type() in _PLAIN_TYPES and not stamped:
            values = [getattr(obj, column_field.attname) for obj in objs]
        else:  # as bulk_create prepares it (times stamped now, JSON, …)
            values = [column_field.get_db_prep_save(column_field.pre_save(obj, True), connection) for obj in objs]
        columns.append(connection.ops.quote_name(column_field.column))
        arrays.append(values)
        casts.append(f"%s::{column_field.db_type(connection)}[]")
    names = ", ".join(columns)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({names}) "
        f"SELECT {names} FROM unnest({', '.join(casts)}) WITH ORDINALITY AS r({names}, _row) ORDER BY _row "
        f"RETURNING {connection.ops.quote_name(pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, arrays)
        ids = [row[0] for row in cursor.fetchall()]
    for obj, pk_value in zip(objs, ids, strict=True):
        obj.pk = pk_value
        obj._state.adding = False
        obj._state.db = connection.alias


def _register_created(lookups: _Lookups, model: type[models.Model], obj: models.Model) -> None:
    for name in ("code", "reference"):
        if hasattr(obj, name):
            lookups.add(model, name, obj)


def _version_key(key: tuple) -> str:
    """A record's match key as text, the same in the preview and in the confirmation (dates, numbers)."""
    return json.dumps([None if part is None else str(part) for part in key], ensure_ascii=False)


def _display_cell(value: Any) -> str:
    """A cell as the clerk typed it; a date cell as dd/mm/yyyy."""
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value:%d/%m/%Y}"
    return _display(value)


def _display(value: Any) -> str:
    if value is None:
        return ""
    return str(value)[:200]


def kinds_in(content: bytes, file_name: str, kind_name: str) -> list[Kind]:
    """The KINDs a file would write (for permission checks before anything is imported)."""
    if kind_name != WORKBOOK:
        return [KINDS[kind_name]] if kind_name in KINDS else []
    try:
        tables = parsing.read_file(content, file_name)
    except ImportFileError:
        return []
    return [kind for kind in (kind_for_sheet(table.name) for table in tables) if kind is not None]
