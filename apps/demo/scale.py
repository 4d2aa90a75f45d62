"""Invents a whole programme at district or province scale and writes it with COPY, deterministically.

The structure (communes, villages, groups, units, memberships, assignments, members, households,
students, pledges) is built first; help then follows it: a unit gives only while it is in a group,
to the commune (or village) its group is assigned to on that day, or to the beneficiary of one of
its pledges within the pledge's period. Rows are written in date order, as staff would have
entered them, with ids chosen here (the tables are empty), so no row needs a second pass.

The audit trail is what pghistory's triggers would have written, one "insert" event per row of a
tracked table, attached to an import context per kind and year as the programme's yearly imports
would have made: the insert triggers are ignored while copying and the events are written with one
INSERT … SELECT per tracked table (per-row triggers would take hours at province scale).
"""

from __future__ import annotations

import bisect
import datetime
import io
import itertools
import json
import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pghistory
import pgtrigger
from django.db import connection, models, transaction
from pghistory.trigger import Event

from apps.bodies.models import IssuingBody
from apps.bodies.services import save_issuing_body
from apps.communes.models import Commune, Village
from apps.core.models import ProgrammeSettings
from apps.donations.models import Donation, Item, Repayment
from apps.donations.services import figures_rebuilt_at_the_end
from apps.households.models import Household, HouseholdStatus, PovertyStandard, Student
from apps.pledges.models import Pledge
from apps.portal.models import Article, ReviewPeriod, WebsiteLink
from apps.units.models import Assignment, GroupMembership, Member, Unit, UnitGroup

SEED = 2025_07_01  # the day the merged communes began


@dataclass(frozen=True)
class Scale:
    communes: int  # including those merged away in the 2025 reform
    merged_away: int
    villages: int
    groups: int
    units: int
    members: int
    households: int
    students: int
    pledges: int
    donations: int


SCALES = {
    # About the size of the reference district (the demo): quick to generate, quick to test.
    "district": Scale(
        communes=15,
        merged_away=3,
        villages=90,
        groups=12,
        units=62,
        members=620,
        households=1_000,
        students=300,
        pledges=850,
        donations=9_000,
    ),
    # A province after the 2025 reform (issue 10).
    "province": Scale(
        communes=100,
        merged_away=25,
        villages=1_000,
        groups=200,
        units=2_000,
        members=20_000,
        households=100_000,
        students=30_000,
        pledges=50_000,
        donations=1_000_000,
    ),
}

PROGRAMME_START = datetime.date(2014, 2, 14)
TERM_CHANGE = datetime.date(2020, 1, 1)  # units move group and groups change commune with the new term
MERGER = datetime.date(2025, 7, 1)  # communes merged away existed until the day before
LAST_DAY = datetime.date(2026, 6, 30)
STATUS_YEARS = range(2016, 2026)  # ten yearly poverty reviews

# Share of each kind of help, per kind of beneficiary (loans go to households only).
KIND_WEIGHTS = {
    "household": (("money", 58), ("goods", 26), ("labour", 10), ("loan", 6)),
    "student": (("money", 35), ("goods", 65)),
    "village": (("money", 55), ("labour", 35), ("goods", 10)),
    "commune": (("money", 70), ("labour", 20), ("goods", 10)),
}
BENEFICIARY_WEIGHTS = (("household", 80), ("student", 10), ("village", 6), ("commune", 4))
ITEMS_FOR = {
    "household": ("gao", "gao", "duong", "quan_ao"),
    "student": ("sach", "vo", "vo", "quan_ao", "xe_dap"),
    "village": ("gao", "quan_ao"),
    "commune": ("gao", "sach"),
}
QUANTITIES = {  # item -> (smallest, largest) whole quantity handed over on one visit
    "gao": (10, 50),
    "duong": (2, 10),
    "sach": (1, 3),
    "vo": (5, 20),
    "quan_ao": (1, 3),
    "xe_dap": (1, 1),
}
SHARE_FOLLOWING_PLEDGES = 0.5
SHARE_WITH_MEMBER = 0.4
SHARE_SECOND_ITEM = 0.3  # goods: a second item handed over on the same visit
SHARE_REPAID = 0.4
SHARE_REVOLVING = 0.1  # loans passed on from an earlier loan's livestock

FAMILY = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
)
MIDDLE = ("Văn", "Thị", "Công", "Minh", "Hữu", "Đức", "Ngọc", "Thanh", "Quốc", "Xuân", "Kim", "Bảo")
GIVEN = (
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hùng", "Hương", "Khánh", "Lan",
    "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Nhung", "Phong", "Phúc", "Quang", "Sơn", "Tâm", "Thảo", "Thắng",
    "Thu", "Trang", "Trung", "Tuấn", "Vân", "Việt", "Yến",
)  # fmt: skip
PLACE = (
    "Hòa An", "Hòa Bình", "Hòa Đồng", "Hòa Mỹ", "Hòa Phong", "Hòa Phú", "Hòa Tân", "Hòa Thịnh", "Sơn Thành",
    "Sơn Hòa", "Phú Thứ", "Xuân Lộc", "Xuân Phước", "An Nghiệp", "Ea Bia", "Ea Trol", "Đức Bình", "Suối Trai",
    "Cà Lúi", "Krông Pa",
)  # fmt: skip
POSITIONS = ("Đảng viên", "Công chức", "Viên chức", "Trưởng phòng", "Phó trưởng phòng", "Chuyên viên")
SCHOOLS = ("Trường Tiểu học", "Trường THCS", "Trường THPT")


@dataclass
class Tables:
    """Rows per model, as tuples in the order of ``columns``; ids are the rows' positions from 1."""

    rows: dict[type[models.Model], list[tuple]] = field(default_factory=dict)
    columns: dict[type[models.Model], tuple[str, ...]] = field(default_factory=dict)

    def add(self, model: type[models.Model], columns: Sequence[str], rows: list[tuple]) -> None:
        self.columns[model] = ("id", *columns)
        self.rows[model] = [(number, *row) for number, row in enumerate(rows, start=1)]

    def counts(self) -> dict[str, int]:
        return {model._meta.db_table: len(rows) for model, rows in self.rows.items()}


def _weighted(pairs: Sequence[tuple[str, int]]) -> tuple[list[str], list[int]]:
    values = [value for value, _weight in pairs]
    return values, list(itertools.accumulate(weight for _value, weight in pairs))


def _pick(rng: random.Random, weighted: tuple[list[str], list[int]]) -> str:
    values, cumulative = weighted
    return rng.choices(values, cum_weights=cumulative)[0]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


class Generator:
    """Builds every table of one scale from one seeded Random; see the module docstring."""

    def __init__(
        self, scale: Scale, items: dict[str, int], seed: int = SEED, standards: dict[int, int] | None = None
    ) -> None:
        self.scale = scale
        self.items = items
        self.standards = standards or {}  # list year -> id of the poverty standard in force
        self.rng = random.Random(seed)
        self.tables = Tables()
        self._beneficiary_kinds = _weighted(BENEFICIARY_WEIGHTS)

    def build(self) -> Tables:
        self._communes_and_villages()
        self._groups_units_and_members()
        self._households_and_students()
        self._pledges()
        self._donations_and_repayments()
        return self.tables

    # --- Places -----------------------------------------------------------------------------------

    def _communes_and_villages(self) -> None:
        s, rng = self.scale, self.rng
        current = s.communes - s.merged_away
        communes = []
        for number in range(1, s.communes + 1):
            name = f"{PLACE[(number - 1) % len(PLACE)]} {(number - 1) // len(PLACE) + 1}"
            kind = "thi_tran" if number % 25 == 1 else "xa"
            merged = number > current
            # The merged-away communes join a current neighbour: the one with the same number modulo.
            successor = ((number - 1) % current) + 1 if merged else None
            communes.append(
                (f"XA_{number:03d}", name, kind, rng.random() < 0.4, successor, MERGER - _DAY if merged else None)
            )
        self.tables.add(Commune, ("code", "name", "kind", "disadvantaged", "successor", "valid_to"), communes)
        self.current_communes = list(range(1, current + 1))
        self.merged_into = {n: row[4] for n, row in enumerate(communes, start=1) if row[4]}

        villages = []
        self.villages_of: dict[int, list[int]] = {n: [] for n in range(1, s.communes + 1)}
        for number in range(1, s.villages + 1):
            commune = (number - 1) % s.communes + 1
            within = len(self.villages_of[commune]) + 1
            kind = "buon" if commune % 7 == 0 else "thon"
            name = f"{'Buôn' if kind == 'buon' else 'Thôn'} {within}"
            villages.append((f"TH_{number:05d}", commune, name, kind, rng.random() < 0.3))
            self.villages_of[commune].append(number)
        self.tables.add(Village, ("code", "commune", "name", "kind", "disadvantaged"), villages)
        self.commune_of_village = {n: row[1] for n, row in enumerate(villages, start=1)}

    # --- Who helps ------------------------------------------------------------------------------------

    def _groups_units_and_members(self) -> None:
        s, rng = self.scale, self.rng
        self.tables.add(
            UnitGroup,
            ("code", "name"),
            [(f"NHOM_{number:03d}", f"Nhóm {number}") for number in range(1, s.groups + 1)],
        )
        # Each group helps one commune per term (and sometimes one village of it); a group helping a
        # commune merged away in 2025 goes on helping the commune it was merged into.
        assignments = []
        self.assigned: dict[int, list[tuple[int, int, int, int | None]]] = {}  # group -> (from, to, commune, village)
        for group in range(1, s.groups + 1):
            periods = []
            for start, end, pool in (
                (PROGRAMME_START, TERM_CHANGE - _DAY, range(1, s.communes + 1)),
                (TERM_CHANGE, None, range(1, s.communes + 1)),
            ):
                commune = rng.choice(pool)
                village = (
                    rng.choice(self.villages_of[commune]) if self.villages_of[commune] and rng.random() < 0.3 else None
                )
                if end is None and commune in self.merged_into:
                    periods.append((start, MERGER - _DAY, commune, village))
                    periods.append((MERGER, None, self.merged_into[commune], None))
                else:
                    periods.append((start, end, commune, village))
            for start, end, commune, village in periods:
                assignments.append((start, end, group, commune, village))
            self.assigned[group] = [(a.toordinal(), _ordinal(b), c, v) for a, b, c, v in periods]
        self.tables.add(Assignment, ("start", "end", "group", "commune", "village"), assignments)

        units = []
        committees = min(s.communes, s.units // 4)  # one per commune, merged-away communes' included
        commune_names = [row[2] for row in self.tables.rows[Commune]]
        for number in range(1, s.units + 1):
            if number <= committees:
                name = f"Đảng ủy {commune_names[number - 1]}"
                units.append((f"DU_{number:04d}", name, "commune_committee", number))
            elif number % 20 == 0:
                units.append((f"DV_{number:04d}", f"Hội, đoàn thể {number}", "other", None))
            else:
                units.append((f"DV_{number:04d}", f"Cơ quan, đơn vị {number}", "district_unit", None))
        self.tables.add(Unit, ("code", "name", "kind", "commune"), units)

        # One group per term for each unit; a merged-away commune's committee ends with its commune.
        memberships = []
        self.unit_terms: dict[int, list[tuple[int, int, int]]] = {}  # unit -> (from, to, group) as ordinals
        for unit, row in enumerate(units, start=1):
            ends = MERGER - _DAY if row[3] in self.merged_into else None
            terms = [
                (PROGRAMME_START, TERM_CHANGE - _DAY, rng.randint(1, s.groups)),
                (TERM_CHANGE, ends, rng.randint(1, s.groups)),
            ]
            memberships += [(start, end, unit, group) for start, end, group in terms]
            self.unit_terms[unit] = [(a.toordinal(), _ordinal(b), g) for a, b, g in terms]
        self.tables.add(GroupMembership, ("start", "end", "unit", "group"), memberships)

        members = []
        self.members_of: dict[int, list[int]] = {unit: [] for unit in range(1, s.units + 1)}
        for number in range(1, s.members + 1):
            unit = (number - 1) % s.units + 1
            members.append((f"CB_{number:06d}", _person(rng), unit, rng.choice(POSITIONS)))
            self.members_of[unit].append(number)
        self.tables.add(Member, ("code", "name", "unit", "position"), members)
        self._slots()

    def _slots(self) -> None:
        """For each unit, the stretches of days in which it helps one commune (and perhaps one village)."""
        last = LAST_DAY.toordinal()
        self.slots: dict[int, list[tuple[int, int, int, int | None]]] = {}
        for unit, terms in self.unit_terms.items():
            slots = []
            for term_from, term_to, group in terms:
                for a_from, a_to, commune, village in self.assigned[group]:
                    start, end = max(term_from, a_from), min(term_to, a_to, last)
                    if start <= end:
                        slots.append((start, end, commune, village))
            self.slots[unit] = slots
        self.slot_lengths = {
            unit: list(itertools.accumulate(end - start + 1 for start, end, _c, _v in slots))
            for unit, slots in self.slots.items()
        }

    def _slot_day(self, unit: int) -> tuple[int, int, int, int | None]:
        """A day on which ``unit`` helps (weighted by the length of each stretch): the day, the stretch's
        last day, its commune and village."""
        slots, lengths = self.slots[unit], self.slot_lengths[unit]
        pick = self.rng.randrange(lengths[-1])
        index = bisect.bisect_right(lengths, pick)
        start, end, commune, village = slots[index]
        return start + pick - (lengths[index - 1] if index else 0), end, commune, village

    # --- Who is helped --------------------------------------------------------------------------------

    def _households_and_students(self) -> None:
        s, rng = self.scale, self.rng
        households = []
        self.households_of: dict[int, list[int]] = {v: [] for v in range(1, s.villages + 1)}
        for number in range(1, s.households + 1):
            village = (number - 1) % s.villages + 1
            id_number = f"0{rng.randrange(10**10, 10**11)}" if rng.random() < 0.7 else ""
            households.append((f"HO_{number:06d}", village, _person(rng), id_number, rng.randint(1, 8), ""))
            self.households_of[village].append(number)
        self.tables.add(Household, ("code", "village", "head_name", "id_number", "size", "national_code"), households)

        # Ten yearly reviews per household: most poor households climb out slowly, a few fall back.
        moves = {
            "poor": (("poor", 60), ("near_poor", 25), ("escaped", 15)),
            "near_poor": (("near_poor", 55), ("poor", 10), ("escaped", 35)),
            "escaped": (("none", 70), ("escaped", 15), ("at_risk", 15)),
            "at_risk": (("near_poor", 40), ("none", 40), ("poor", 20)),
            "none": (("none", 95), ("at_risk", 5)),
        }
        chains = {status: _weighted(pairs) for status, pairs in moves.items()}
        first = _weighted((("poor", 50), ("near_poor", 30), ("at_risk", 10), ("none", 10)))
        # Drawn as yearly statuses; stored as classifications (a list, the at-risk flag, the year's standard).
        statuses = []
        for household in range(1, s.households + 1):
            status = _pick(rng, first)
            for year in STATUS_YEARS:
                listed = "none" if status in ("escaped", "at_risk") else status
                statuses.append((household, year, listed, status == "at_risk", self.standards.get(year)))
                status = _pick(rng, chains[status])
        self.tables.add(
            HouseholdStatus,
            (
                "household",
                "year",
                "status",
                "at_risk",
                "standard",
                "review_round",
                "decision_number",
                "no_labour_capacity",
                "ethnic_minority",
                "policy_household",
            ),
            [(*row, "yearly", "", False, False, False) for row in statuses],
        )

        students = []
        self.students_of_village: dict[int, list[int]] = {v: [] for v in range(1, s.villages + 1)}
        for number in range(1, s.students + 1):
            household = rng.randint(1, s.households)
            grade = rng.randint(1, 12)
            school = SCHOOLS[0 if grade <= 5 else 1 if grade <= 9 else 2]
            students.append((f"HS_{number:06d}", _person(rng), household, f"{school} {rng.randint(1, 40)}", str(grade)))
            self.students_of_village[households[household - 1][1]].append(number)
        self.tables.add(Student, ("code", "name", "household", "school", "grade"), students)

    def _beneficiary(self, commune: int, village: int | None) -> tuple[str, int]:
        """Someone in the commune (or the assigned village) to help: mostly households, sometimes students."""
        rng = self.rng
        kind = _pick(rng, self._beneficiary_kinds)
        villages = [village] if village else self.villages_of[commune]
        if not villages or kind == "commune":
            return "commune", commune
        place = rng.choice(villages)
        if kind == "village":
            return "village", place
        if kind == "student" and self.students_of_village[place]:
            return "student", rng.choice(self.students_of_village[place])
        if self.households_of[place]:
            return "household", rng.choice(self.households_of[place])
        return "village", place

    # --- Help promised and given ----------------------------------------------------------------------

    def _pledges(self) -> None:
        s, rng = self.scale, self.rng
        pledges = []
        for number in range(1, s.pledges + 1):
            unit = (number - 1) % s.units + 1
            day, last_day, commune, village = self._slot_day(unit)
            kind, beneficiary = self._beneficiary(commune, village)
            # A pledge runs one to three years, within the term in which the unit helps that commune.
            start = datetime.date.fromordinal(day)
            end = datetime.date.fromordinal(min(day + rng.choice((364, 729, 1094)), last_day))
            members = self.members_of[unit]
            member = rng.choice(members) if members and rng.random() < 0.7 else None
            money = rng.randint(2, 40) * 500_000
            labour = Decimal(rng.randint(0, 10)) if kind in ("household", "village") else Decimal(0)
            pledges.append(
                (
                    f"DK_{number:06d}",
                    unit,
                    member,
                    start,
                    end,
                    money,
                    labour,
                    "Gạo, sách vở và ngày công" if labour else "",
                    *_beneficiary_columns(kind, beneficiary),
                )
            )
        self.tables.add(
            Pledge,
            ("code", "unit", "member", "start", "end", "money_vnd", "labour_days", "description", *BENEFICIARY_COLUMNS),
            pledges,
        )

    def _giver_and_beneficiary(self, pledges: list, last: int) -> tuple:
        """Who gives on which day to whom: following a pledge, or a unit helping where its group is assigned."""
        rng = self.rng
        if rng.random() < SHARE_FOLLOWING_PLEDGES:
            pledge = pledges[rng.randrange(len(pledges))]
            start, end = pledge[4].toordinal(), min(pledge[5].toordinal(), last)
            day = start + rng.randrange(end - start + 1)
            beneficiary = next(value for value in pledge[10:] if value is not None)
            return day, pledge[2], pledge[3], pledge[0], pledge[9], beneficiary
        unit = rng.randrange(self.scale.units) + 1
        day, _last_day, commune, village = self._slot_day(unit)
        beneficiary_kind, beneficiary = self._beneficiary(commune, village)
        members = self.members_of[unit]
        member = rng.choice(members) if members and rng.random() < SHARE_WITH_MEMBER else None
        return day, unit, member, None, beneficiary_kind, beneficiary

    def _gifts(self, kind: str, beneficiary_kind: str) -> list[tuple]:
        """What one visit hands over, as (kind, amount, item, quantity, labour days) rows."""
        rng = self.rng
        if kind == "money":
            return [(kind, rng.randrange(4, 100) * 50_000, None, None, None)]
        if kind == "loan":
            return [(kind, rng.randrange(5, 31) * 1_000_000, None, None, None)]
        if kind == "labour":
            return [(kind, 0, None, None, Decimal(rng.randrange(1, 11)) / 2)]
        handed = ITEMS_FOR[beneficiary_kind]
        first = rng.choice(handed)
        gifts = []
        for item in (first, rng.choice(handed)) if rng.random() < SHARE_SECOND_ITEM else (first,):
            low, high = QUANTITIES[item]
            gifts.append((kind, 0, self.items[item], Decimal(rng.randint(low, high)), None))
        return gifts

    def _donations_and_repayments(self) -> None:
        s, rng = self.scale, self.rng
        random_, randrange = rng.random, rng.randrange
        last = LAST_DAY.toordinal()
        pledges = self.tables.rows[Pledge]
        kinds = {beneficiary: _weighted(pairs) for beneficiary, pairs in KIND_WEIGHTS.items()}
        visits = []  # (day, unit, member, kind, amount, item, quantity, labour, pledge, beneficiary kind, id)
        while len(visits) < s.donations:
            day, unit, member, pledge_id, beneficiary_kind, beneficiary = self._giver_and_beneficiary(pledges, last)
            kind = _pick(rng, kinds[beneficiary_kind])
            for gift_kind, amount, item, quantity, labour in self._gifts(kind, beneficiary_kind):
                visits.append(
                    (
                        day,
                        unit,
                        member,
                        gift_kind,
                        amount,
                        item,
                        quantity,
                        labour,
                        pledge_id,
                        beneficiary_kind,
                        beneficiary,
                    )
                )
        del visits[s.donations :]
        visits.sort(key=lambda visit: visit[0])  # entered in date order, as the programme went along

        donations, loans = [], []
        for number, (day, unit, member, kind, amount, item, quantity, labour, pledge, b_kind, b_id) in enumerate(
            visits, 1
        ):
            date = datetime.date.fromordinal(day)
            due, previous = None, None
            if kind == "loan":
                due = date + datetime.timedelta(days=730)
                if loans and random_() < SHARE_REVOLVING:
                    previous = loans[randrange(len(loans))][0]
                loans.append((number, day, amount))
            donations.append(
                (
                    f"UH_{number:07d}",
                    date,
                    unit,
                    member,
                    kind,
                    amount,
                    item,
                    quantity,
                    labour,
                    pledge,
                    due,
                    previous,
                    "",
                    *_beneficiary_columns(b_kind, b_id),
                )
            )
        self.tables.add(
            Donation,
            (
                "reference",
                "date",
                "unit",
                "member",
                "kind",
                "amount_vnd",
                "item",
                "quantity",
                "labour_days",
                "pledge",
                "due_date",
                "previous_loan",
                "note",
                *BENEFICIARY_COLUMNS,
            ),
            donations,
        )

        # Part of the loans are paid back in one to three instalments, never above the amount lent.
        repayments = []
        for loan, day, amount in loans:
            if random_() >= SHARE_REPAID:
                continue
            paid, when = 0, day
            for _instalment in range(rng.randint(1, 3)):
                when += rng.randint(90, 365)
                if when > last:
                    break
                part = min(amount - paid, randrange(1, 11) * 1_000_000)
                if part <= 0:
                    break
                paid += part
                repayments.append((f"TN_{len(repayments) + 1:07d}", loan, datetime.date.fromordinal(when), part, ""))
        self.tables.add(Repayment, ("reference", "loan", "date", "amount_vnd", "note"), repayments)


_DAY = datetime.timedelta(days=1)
BENEFICIARY_COLUMNS = ("beneficiary_kind", "commune", "village", "household", "student")


def _beneficiary_columns(kind: str, beneficiary: int) -> tuple:
    return (kind, *(beneficiary if kind == column else None for column in BENEFICIARY_COLUMNS[1:]))


def _ordinal(day: datetime.date | None) -> int:
    return (day or datetime.date.max).toordinal()


# --- Writing ----------------------------------------------------------------------------------------

# Tables in the order their rows may be linked to (every foreign key points up the list).
WRITE_ORDER: list[type[models.Model]] = [
    Commune,
    Village,
    UnitGroup,
    Assignment,
    Unit,
    GroupMembership,
    Member,
    Household,
    HouseholdStatus,
    Student,
    Pledge,
    Donation,
    Repayment,
]

# When the staff entered each tracked record, as SQL over its own row: the audit trail's timestamps.
ENTERED_ON = {
    Household: "TIMESTAMPTZ '2014-01-15 08:00+07' + id * INTERVAL '1 second'",
    HouseholdStatus: "MAKE_TIMESTAMPTZ(year, 12, 15, 8, 0, 0, 'Asia/Ho_Chi_Minh') + id * INTERVAL '10 ms'",
    Pledge: "(start + TIME '08:00') AT TIME ZONE 'Asia/Ho_Chi_Minh' + id * INTERVAL '10 ms'",
    Donation: "(date + TIME '09:00') AT TIME ZONE 'Asia/Ho_Chi_Minh' + id * INTERVAL '1 ms'",
    Repayment: "(date + TIME '10:00') AT TIME ZONE 'Asia/Ho_Chi_Minh' + id * INTERVAL '1 ms'",
}
IMPORT_KINDS = {
    Household: "households",
    HouseholdStatus: "household_statuses",
    Pledge: "pledges",
    Donation: "donations",
    Repayment: "repayments",
}


def _text(value) -> str:
    if value is None:
        return r"\N"
    if value is True or value is False:
        return "t" if value else "f"
    return str(value)


def _copy_text(rows: Iterable[tuple]) -> Iterator[str]:
    for row in rows:
        yield "\t".join(map(_text, row)) + "\n"


def _copy(cursor, model: type[models.Model], columns: Sequence[str], rows: list[tuple], chunk: int = 100_000) -> None:
    """COPY the rows into the model's table, ``chunk`` rows at a time to keep the buffer small."""
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    statement = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN"
    for first in range(0, len(rows), chunk):
        buffer = io.StringIO("".join(_copy_text(rows[first : first + chunk])))
        cursor.cursor.copy_expert(statement, buffer)
    if rows:
        # Never move a sequence back: ids it handed out before (and that a rollback restored) stay taken.
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
        sequence = cursor.fetchone()[0]
        cursor.execute(f"SELECT setval(%s, GREATEST(%s, (SELECT last_value FROM {sequence})))", [sequence, len(rows)])


class _ForeignKeysCheckedOnce:
    """Drops a table's foreign keys and adds them back, unchanged, after the rows are in.

    Adding a foreign key checks every row in one join; kept in place, each key queues a check per row
    that runs at COMMIT, which for a million donations costs about a minute more. Either way no row
    that breaks a key is ever committed.
    """

    def __init__(self, cursor, model: type[models.Model]) -> None:
        self.cursor, self.table = cursor, connection.ops.quote_name(model._meta.db_table)

    def __enter__(self) -> None:
        self.cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
            "AND contype = 'f' ORDER BY conname",
            [self.table],
        )
        self.keys = self.cursor.fetchall()
        for name, _definition in self.keys:
            self.cursor.execute(f"ALTER TABLE {self.table} DROP CONSTRAINT {connection.ops.quote_name(name)}")

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            for name, definition in self.keys:
                self.cursor.execute(
                    f"ALTER TABLE {self.table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
                )


def _insert_triggers() -> dict[type[models.Model], Event]:
    return {
        model: trigger
        for model, trigger in pgtrigger.registry.registered()
        if isinstance(trigger, Event) and trigger.label == "insert"
    }


def _write_history(cursor, model: type[models.Model], trigger: Event, contexts: dict[int, uuid.UUID]) -> None:
    """The "insert" events the trigger would have written, each in the import context of its year."""
    event_model = trigger.event_model
    tracked = [f.column for f in event_model._meta.concrete_fields if not f.name.startswith("pgh_")]
    quote = connection.ops.quote_name
    entered = ENTERED_ON.get(model, "NOW()")
    context_of_year = ", ".join(f"({year}, '{context}'::uuid)" for year, context in contexts.items())
    cursor.execute(
        f"""
        INSERT INTO {quote(event_model._meta.db_table)}
            (pgh_created_at, pgh_label, pgh_obj_id, pgh_context_id, {", ".join(map(quote, tracked))})
        SELECT entered, %s, tracked.id, context.id, {", ".join(f"tracked.{quote(c)}" for c in tracked)}
        FROM (SELECT *, {entered} AS entered FROM {quote(model._meta.db_table)}) AS tracked
        LEFT JOIN (VALUES {context_of_year}) AS context (year, id)
            ON context.year = EXTRACT(YEAR FROM tracked.entered AT TIME ZONE 'Asia/Ho_Chi_Minh')
        ORDER BY entered, tracked.id
        """,
        [trigger.label],
    )


def _contexts(cursor, model: type[models.Model], scale_name: str) -> dict[int, uuid.UUID]:
    """One import context per year, as the yearly spreadsheet imports of this kind would have left."""
    kind = IMPORT_KINDS.get(model, model._meta.model_name)
    contexts = {
        year: uuid.UUID(int=random.Random(f"{SEED}{kind}{year}").getrandbits(128)) for year in range(2014, 2027)
    }
    _copy_contexts(cursor, kind, contexts, scale_name)
    return contexts


def _copy_contexts(cursor, kind: str, contexts: dict[int, uuid.UUID], scale_name: str) -> None:
    from pghistory.models import Context

    rows = []
    for year, context in contexts.items():
        metadata = {
            "source": "import",
            "import_kind": kind,
            "file": f"{kind}_{year}.xlsx",
            "via": "admin",
            "username": "can_bo_huyen",
            "generated": scale_name,
        }
        stamp = datetime.datetime(year, 12, 31, 17, 0, tzinfo=datetime.UTC)
        rows.append((context, stamp, stamp, json.dumps(metadata, ensure_ascii=False)))
    cursor.executemany(
        f"INSERT INTO {Context._meta.db_table} (id, created_at, updated_at, metadata) VALUES (%s, %s, %s, %s)",
        rows,
    )


def _portal_content() -> None:
    """A few news articles, website links and the reviewed period, so every public page has content."""
    ProgrammeSettings.load()
    articles = [
        Article(
            title=f"Kết quả giúp đỡ hộ nghèo năm {year}",
            slug=f"ket-qua-giup-do-ho-ngheo-nam-{year}",
            summary=f"Tổng kết công tác giúp đỡ xã, thôn khó khăn và hộ nghèo năm {year}.",
            body=f"Năm {year}, các cơ quan, đơn vị tiếp tục giúp đỡ các xã, thôn khó khăn.\n\n"
            "Cán bộ, đảng viên đã đến thăm, tặng quà và cho mượn vốn không lãi.",
            publisher="Ban Tuyên giáo",
            published_on=datetime.date(year, 12, 28),
            is_published=True,
        )
        for year in range(2014, 2026)
    ]
    Article.objects.bulk_create(articles)
    WebsiteLink.objects.bulk_create(
        [
            WebsiteLink(title="Cổng thông tin điện tử tỉnh", url="https://example.gov.vn/", position=1),
            WebsiteLink(title="Báo điện tử của tỉnh", url="https://example.vn/bao/", position=2),
        ]
    )
    ReviewPeriod.objects.bulk_create(
        [ReviewPeriod(title="Sơ kết 4 năm (2014 - 2018)", start=PROGRAMME_START, end=datetime.date(2018, 10, 24))]
    )


def ensure_issuing_body() -> None:
    """The province's party committee issues every report of the generated programme (whole installation)."""
    if IssuingBody.objects.exists():
        return
    body = IssuingBody(
        code="TU_THU",
        name="Tỉnh ủy tỉnh thử",
        superior_body="",
        symbol="TU",
        place_name="Tỉnh thử",
        signer_role="PHÓ BÍ THƯ",
        signer_name="Nguyễn Văn Thử",
        recipients="Các đảng bộ trực thuộc\nLưu Văn phòng Tỉnh ủy",
        plan_number="01-KH/TU",
        plan_date=PROGRAMME_START,
        plan_title="Cơ quan, đơn vị giúp đỡ xã, thôn khó khăn và cán bộ, đảng viên giúp đỡ hộ nghèo",
        start=PROGRAMME_START,
        whole_installation=True,
    )
    # Recorded as the generated rows are: by an import, as production would have it.
    with pghistory.context(source="import", kind="issuing_bodies", generated="generate_data"):
        save_issuing_body(body, communes=[])


class NotEmpty(Exception):
    """The database already holds programme records."""


# What makes a database "not empty": any record a person or the demo would have entered.
PROGRAMME_MODELS = [Commune, Village, UnitGroup, Unit, Member, Household, Pledge, Donation, Article]


def existing_records() -> dict[str, int]:
    return {str(m._meta.verbose_name_plural): n for m in PROGRAMME_MODELS if (n := m.objects.count())}


def generate(scale_name: str, *, seed: int = SEED, log: Callable[[str], None] = lambda _line: None) -> dict[str, int]:
    """Fill an empty database with the programme at ``scale_name``; return the rows written per table."""
    if found := existing_records():
        raise NotEmpty(found)
    started = time.monotonic()
    items = dict(Item.objects.values_list("code", "id"))
    standards = {
        year: standard.pk
        for standard in PovertyStandard.objects.all()
        for year in range(standard.first_year, standard.last_year + 1)
    }
    tables = Generator(SCALES[scale_name], items, seed, standards).build()
    log(f"built the rows in {time.monotonic() - started:.1f} s")
    triggers = _insert_triggers()
    with transaction.atomic(), connection.cursor() as cursor, figures_rebuilt_at_the_end():
        with pgtrigger.ignore(*(f"{model._meta.label}:{trigger.name}" for model, trigger in triggers.items())):
            # pgtrigger sets its variable for the transaction on each statement that Django runs;
            # COPY bypasses Django's cursor, so run one statement first to set it for all of them.
            cursor.execute("SELECT 1")
            for model in WRITE_ORDER:
                step = time.monotonic()
                with _ForeignKeysCheckedOnce(cursor, model):
                    _copy(cursor, model, tables.columns[model], tables.rows[model])
                log(f"{model._meta.db_table}: {len(tables.rows[model])} rows in {time.monotonic() - step:.1f} s")
        # The pledges' kept progress waits on the same setting as the figures: rebuilt once (apps.pledges, 0007).
        step = time.monotonic()
        cursor.execute("SELECT pledges_rebuild_progress()")
        log(f"pledge progress rebuilt in {time.monotonic() - step:.1f} s")
        for model, trigger in triggers.items():
            step = time.monotonic()
            _write_history(cursor, model, trigger, _contexts(cursor, model, scale_name))
            log(f"{trigger.event_model._meta.db_table}: history in {time.monotonic() - step:.1f} s")
        _portal_content()
        ensure_issuing_body()
    step = time.monotonic()
    with connection.cursor() as cursor:
        # Outside a transaction (the command) vacuum too, as autovacuum would have by now; a test only analyses.
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    log(f"analysed in {time.monotonic() - step:.1f} s")
    return tables.counts()
