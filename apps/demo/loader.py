"""Writes the generated demo rows that are not in the database yet, and nothing else.

A row is matched by its record kind's natural key (``apps.imports.records``, which the importer uses
too); an existing row is never updated, so re-running keeps every edit a person made in the admin.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pgtrigger
from django.db import models, transaction
from django.utils import timezone
from pghistory.models import Context
from pghistory.trigger import Event

from apps.bodies.reference import load_reference_bodies
from apps.core.models import ProgrammeSettings
from apps.demo.generator import DemoData, Row
from apps.demo.merger import record_merger
from apps.imports.records import RECORDS, Record, reference_field
from apps.units.models import Assignment, GroupMembership

BATCH_SIZE = 2000
# Who runs the demo's public website today and what it covers; the documents' issuers are apps.bodies'.
DEMO_SITE = {
    "site_owner": "Ban Tuyên giáo và Dân vận Tỉnh ủy Đắk Lắk",
    "area_name": "khu vực Tây Hòa (cũ), tỉnh Đắk Lắk",
}


@dataclass(frozen=True)
class _Table:
    """One record kind of the registry as the loader writes it: the demo rows name linked records by code."""

    model: type[models.Model]
    key: tuple[str, ...]  # the record's natural key as database columns: a ForeignKey by its id
    links: dict[str, type[models.Model]]  # every ForeignKey: row field -> the model whose code it holds
    self_link: str | None  # rows linking to their own table are written in a second pass

    @classmethod
    def of(cls, record: Record) -> _Table:
        model = record.model
        links = {f.name: f.related_model for f in model._meta.concrete_fields if f.many_to_one}
        return cls(
            model=model,
            key=tuple(model._meta.get_field(name).attname for name in record.key),
            links=links,
            self_link=next((name for name, linked in links.items() if linked is model), None),
        )


class _Ids:
    """code -> id of each linked table, read once and again after that table grows."""

    def __init__(self) -> None:
        self._cache: dict[type[models.Model], dict[str, int]] = {}

    def of(self, model: type[models.Model]) -> dict[str, int]:
        if model not in self._cache:
            self._cache[model] = dict(model.objects.values_list(reference_field(model), "id"))
        return self._cache[model]

    def forget(self, model: type[models.Model]) -> None:
        self._cache.pop(model, None)


def _resolved(row: Row, table: _Table, ids: _Ids) -> dict[str, Any]:
    values = {}
    for name, value in row.items():
        model = table.links.get(name)
        if model is None:
            values[name] = value
        else:
            values[f"{name}_id"] = None if value is None else ids.of(model)[value]
    return values


# Records without a code are matched by their natural key; an edited period or group would
# not match, so a generated row is also skipped when it overlaps an existing row of the same
# holder. A person who moved a unit to another group, or a group to another commune, keeps it.
OVERLAP_HOLDERS: dict[type[models.Model], tuple[str, ...]] = {
    GroupMembership: ("unit_id",),  # a unit is in one group at a time
    Assignment: ("group_id", "village_id__isnull"),  # a group helps one commune (and its villages) at a time
}


def _holder(values: dict[str, Any], fields: tuple[str, ...]) -> tuple:
    return tuple(values[f[: -len("__isnull")]] is None if f.endswith("__isnull") else values[f] for f in fields)


def _existing_periods(model: type[models.Model]) -> dict[tuple, list[tuple[datetime.date, datetime.date]]]:
    fields = OVERLAP_HOLDERS.get(model)
    periods: dict[tuple, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    if fields:
        for values in model.objects.values(*{f.removesuffix("__isnull") for f in fields}, "start", "end"):
            periods[_holder(values, fields)].append((values["start"], values["end"] or datetime.date.max))
    return periods


def _overlaps(values: dict[str, Any], model: type[models.Model], periods: dict) -> bool:
    fields = OVERLAP_HOLDERS.get(model)
    if not fields:
        return False
    end = values["end"] or datetime.date.max
    return any(start <= end and values["start"] <= other_end for start, other_end in periods[_holder(values, fields)])


class _History:
    """The audit trail's "created" events for the demo rows, written in bulk.

    pghistory's per-row insert triggers would triple the time of every test session's start;
    the loader switches them off and writes the same events itself, under one context that
    says they came from load_demo.
    """

    def __init__(self) -> None:
        self.triggers = {
            model: trigger
            for model, trigger in pgtrigger.registry.registered()
            if isinstance(trigger, Event) and trigger.label == "insert"
        }
        self._context: Context | None = None

    def ignored(self) -> pgtrigger.ignore:
        return pgtrigger.ignore(*(f"{model._meta.label}:{trigger.name}" for model, trigger in self.triggers.items()))

    def record(self, model: type[models.Model], created: list[models.Model]) -> None:
        trigger = self.triggers.get(model)
        if trigger is None or not created:
            return
        if self._context is None:
            self._context = Context.objects.create(id=uuid.uuid4(), metadata={"source": "load_demo"})
        tracked = [f.attname for f in trigger.event_model._meta.concrete_fields if not f.name.startswith("pgh_")]
        now = timezone.now()
        trigger.event_model.objects.bulk_create(
            [
                trigger.event_model(
                    pgh_created_at=now,
                    pgh_label=trigger.label,
                    pgh_obj_id=row.pk,
                    pgh_context=self._context,
                    **{name: getattr(row, name) for name in tracked},
                )
                for row in created
            ],
            batch_size=BATCH_SIZE,
        )


def _write(table: _Table, rows: list[Row], ids: _Ids, history: _History) -> int:
    existing = set(table.model.objects.values_list(*table.key))
    periods = _existing_periods(table.model)
    many = {field.name: field for field in table.model._meta.many_to_many}
    new, links = [], []
    for row in rows:
        values = _resolved({k: v for k, v in row.items() if k not in many}, table, ids)
        if tuple(values[k] for k in table.key) in existing or _overlaps(values, table.model, periods):
            continue
        new.append(table.model(**values))
        links.append({name: row[name] for name in many if row.get(name)})
    created = table.model.objects.bulk_create(new, batch_size=BATCH_SIZE)
    _write_links(many, created, links, ids)
    history.record(table.model, created)
    ids.forget(table.model)
    return len(created)


def _write_links(many: dict[str, models.ManyToManyField], created: list, links: list[dict], ids: _Ids) -> None:
    """The many-to-many links of the rows just created (a classification's deprivations, causes), by code."""
    for name, field in many.items():
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        codes = ids.of(field.related_model)
        through.objects.bulk_create(
            [
                through(**{f"{source}_id": obj.pk, f"{target}_id": codes[code]})
                for obj, row_links in zip(created, links, strict=True)
                for code in row_links.get(name, [])
            ],
            batch_size=BATCH_SIZE,
        )


@transaction.atomic
def load(data: DemoData) -> dict[str, int]:
    """Create every missing demo record; return how many rows of each record kind were created."""
    ProgrammeSettings.objects.get_or_create(pk=1, defaults=DEMO_SITE)
    ids = _Ids()
    history = _History()
    created = {}
    with history.ignored():
        for record in RECORDS.values():  # in dependency order: a row's links are written before it
            rows = getattr(data, record.name, None)
            if rows is None:  # a kind the generator does not make: the issuing bodies, loaded below
                continue
            table = _Table.of(record)
            if table.self_link:
                # Rows pointing into their own table go after the rows they point to.
                first = [r for r in rows if r.get(table.self_link) is None]
                then = [r for r in rows if r.get(table.self_link) is not None]
                created[record.name] = _write(table, first, ids, history) + _write(table, then, ids, history)
            else:
                created[record.name] = _write(table, rows, ids, history)
    created["issuing_bodies"] = load_reference_bodies()
    # Written through the services (with their history), after the rows they change.
    record_merger()
    return created
