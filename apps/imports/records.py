"""The kinds of record the programme keeps, their natural keys and their dependency order, written once.

The importer gives each importable kind its columns (``kinds.py``); the demo loader writes the demo's
rows kind by kind in the same order. A natural key finds a record again without its database id, so a
re-imported file or a re-loaded demo updates or skips a record instead of adding it twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from apps.bodies.models import IssuingBody
from apps.communes.models import Commune, CommuneName, Village, VillageCommune, VillageName
from apps.donations.models import Donation, Repayment
from apps.households.models import Household, HouseholdStatus, Student, Target
from apps.pledges.models import Pledge
from apps.units.models import Assignment, GroupMembership, Member, Unit, UnitGroup, UnitGroupName, UnitName


@dataclass(frozen=True)
class Record:
    name: str  # the KIND of CONTRACT.md "Import format", for the kinds that can be imported
    model: type[models.Model]
    # The model fields that identify one record; a ForeignKey in it is matched by the code of what it links to.
    key: tuple[str, ...]


# Dependency order: a record links only to records of the kinds above it, or of its own kind (a commune to
# the commune it merged into, a loan to the loan it continues), so a workbook's sheets and the demo's tables
# can be written top to bottom.
RECORDS: dict[str, Record] = {
    record.name: record
    for record in [
        Record("communes", Commune, ("code",)),
        Record("issuing_bodies", IssuingBody, ("code",)),
        Record("villages", Village, ("code",)),
        Record("unit_groups", UnitGroup, ("code",)),
        Record("units", Unit, ("code",)),
        Record("group_memberships", GroupMembership, ("unit", "group", "start")),
        Record("assignments", Assignment, ("group", "commune", "village", "start")),
        Record("members", Member, ("code",)),
        Record("households", Household, ("code",)),
        Record("household_statuses", HouseholdStatus, ("household", "year")),
        Record("students", Student, ("code",)),
        Record("pledges", Pledge, ("code",)),
        Record("targets", Target, ("code",)),  # kept in the admin only: not a KIND of the import format
        Record("donations", Donation, ("reference",)),
        Record("repayments", Repayment, ("reference",)),
    ]
}
_BY_MODEL = {record.model: record for record in RECORDS.values()}

# Histories the importer takes but the demo does not generate as rows (it writes them through the
# services of the 2025 merger, apps.demo.merger): each follows the kind it records the history of.
_HISTORIES = {
    "communes": [Record("commune_names", CommuneName, ("commune", "start"))],
    "villages": [
        Record("village_names", VillageName, ("village", "start")),
        Record("village_communes", VillageCommune, ("village", "start")),
    ],
    "unit_groups": [Record("unit_group_names", UnitGroupName, ("group", "start"))],
    "units": [Record("unit_names", UnitName, ("unit", "start"))],
    # Not a history: the full classification of a review, which the demo writes as household_statuses rows.
    "household_statuses": [
        Record("classifications", HouseholdStatus, ("household", "year", "review_round", "decided_on"))
    ],
}
IMPORTABLE: dict[str, Record] = {}
for _name, _record in RECORDS.items():
    IMPORTABLE[_name] = _record
    for _history in _HISTORIES.get(_name, []):
        IMPORTABLE[_history.name] = _history


def reference_field(model: type[models.Model]) -> str:
    """The field by which other records name one of ``model``: its code, or its reference for money records.

    Models outside the registry (the items of goods) are named by their code.
    """
    record = _BY_MODEL.get(model)
    return record.key[0] if record and len(record.key) == 1 else "code"
