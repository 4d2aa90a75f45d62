"""The 2025 merger as the records tell it, written after the demo rows: villages move to the new commune.

The generator writes each village under the commune it was created in. This module then records what
happened on the day after a commune ended: its villages move to the commune it was merged into (villages
that would share a name there are numbered, their old name kept in their history). It reads the
database rather than the demo tables, and does only what
is not done yet, so running ``load_demo`` again changes nothing and an edit made in the admin stays.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction

from apps.communes.models import Commune, Village
from apps.communes.services import move_villages, rename

ONE_DAY = datetime.timedelta(days=1)


@transaction.atomic
def record_merger() -> dict[str, int]:
    """Move the villages of every merged commune to the commune it merged into; idempotent.

    The groups of 2018 ended with the district units on 30/06/2025 and keep their names; the provincial
    groups that help the new communes are named after them (apps.demo.tables).
    """
    renamed_villages = 0
    moved_villages = 0
    merged = Commune.objects.filter(successor__isnull=False, villages__isnull=False).distinct()
    for successor_id, communes in _by_successor(merged).items():
        successor = Commune.objects.get(pk=successor_id)
        renamed_villages += _number_shared_names(successor, communes)
        for commune in communes:
            moved_villages += len(move_villages(from_commune=commune, to_commune=successor, on=_first_day(commune)))
    return {
        "villages moved": moved_villages,
        "villages renamed": renamed_villages,
    }


def _first_day(commune: Commune) -> datetime.date:
    return commune.valid_to + ONE_DAY


def _by_successor(merged) -> dict[int, list[Commune]]:
    by_successor: dict[int, list[Commune]] = defaultdict(list)
    for commune in merged.order_by("name", "code"):
        by_successor[commune.successor_id].append(commune)
    return by_successor


def _number_shared_names(successor: Commune, communes: list[Commune]) -> int:
    """Two merging communes each had a "Thôn Mỹ Hòa": one commune cannot have two villages of one name.

    As the provinces did in 2025, the villages that would share a name are numbered from the merger
    day ("Mỹ Hòa 1", "Mỹ Hòa 2", in the order of their old communes' names); their old name stays in
    their history, so pages and documents about earlier days still say "Mỹ Hòa". A village already in
    the successor keeps its name and the incoming ones take the next numbers.
    """
    staying = set(successor.villages.values_list("name", flat=True))
    incoming: dict[str, list[Village]] = defaultdict(list)
    for commune in communes:
        for village in commune.villages.order_by("name", "code"):
            incoming[village.name].append(village)
    renamed = 0
    for name, villages in incoming.items():
        if len(villages) + (name in staying) < 2:
            continue
        first_number = 2 if name in staying else 1
        for number, village in enumerate(villages, start=first_number):
            rename(village, name=f"{name} {number}", on=_first_day(village.commune))
            renamed += 1
    return renamed
