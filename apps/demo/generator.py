"""Invents the demo district's records from ``tables``, deterministically (one seeded Random).

The output is plain rows (dicts) whose links are codes, not database ids, so the loader can
write only what is missing. The donations of 14/02/2014-24/10/2018 are built to reproduce the
4-year review's figures exactly (``REVIEW_FIGURES``) when counted by the contract's rules;
:func:`build` checks that before returning, so a change here cannot silently break them.

From 01/07/2025 the district level is gone: its units' help after that day, drawn as theirs so that
nothing before it changes, is given by the bodies that carried them on (``_after_the_reform``).

Every row depends on the order in which the seeded Random is drawn from: a change that draws
once more, or in another order, changes every row after it. Reorder nothing without comparing
the rows :func:`build` returns before and after.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from apps.demo import tables as t
from apps.demo.classifications import classify

SEED = 68_2014  # Kế hoạch số 68-KH/HU, 2014

# What the review reported (PROGRAMME.md); the demo uses a figure just under 500 million and
# just over 745 million where the review said "nearly" and "over".
REVIEW_FIGURES: dict[str, dict[str, Any]] = {
    "district_units": {
        "money_vnd": 499_650_000,
        "loans_vnd": 49_000_000,
        "labour_days": 0,
        "goods": {"gao": 30, "duong": 48},
    },
    "commune_committees": {
        "money_vnd": 745_320_000,
        "loans_vnd": 0,
        "labour_days": 40,
        "goods": {"gao": 1009, "sach": 97, "vo": 1075, "quan_ao": 59, "xe_dap": 17},
    },
    "other": {"money_vnd": 0, "loans_vnd": 0, "labour_days": 0, "goods": {}},
}
REVIEW_HOUSEHOLD_VISITS = 1325
REVIEW_STUDENTS = 796

# How the review's visits are shared out; each row of a visit is one item handed over.
DISTRICT_VISITS = 480
DISTRICT_LOANS = [8_000_000, 7_000_000, 6_000_000, 6_000_000, 6_000_000, 6_000_000, 5_000_000, 5_000_000]
COMMITTEE_VISITS = REVIEW_HOUSEHOLD_VISITS - DISTRICT_VISITS
DISTRICT_STUDENTS = 120
HELPED = ("poor", "near_poor", "at_risk")

# What one visit hands over, as (how many visits, what): money, a loan, labour or items of goods.
# The visits not planned here hand over money alone.
DISTRICT_VISIT_PLAN = [
    (len(DISTRICT_LOANS), ("loan",)),
    (2, ("duong",)),
    (4, ("money", "duong")),
    (3, ("money", "gao")),
]
COMMITTEE_VISIT_PLAN = [
    (40, ("gao",)),
    (15, ("quan_ao",)),
    (12, ("labour",)),
    (45, ("money", "gao")),
    (20, ("money", "quan_ao")),
]
# What the commune committees gave the review period's students; the others got a scholarship.
SCHOOL_PACKAGES = [(17, ("xe_dap",)), (70, ("sach", "vo")), (20, ("sach",)), (30, ("vo",))]
# The review period's notes for a visit's loan or labour (money draws from ``tables.HOUSEHOLD_NOTES``).
REVIEW_VISIT_NOTES = {"loan": "Cho mượn vốn mua bò giống", "labour": "Giúp ngày công sửa nhà"}
ESTIMATED_VALUE = {"gao": 15_000, "duong": 20_000}  # đồng per kg of the district units' goods
SCHOLARSHIPS = ([200_000, 300_000, 500_000, 1_000_000], [2, 3, 3, 1])  # amounts and their weights
# Code prefix and note of the targets of each kind.
TARGET_KINDS = {
    "model_village": ("MT-TKM", ""),
    "model_garden": ("MT-VKM", "Vườn kiểu mẫu gắn với nâng cao thu nhập"),
}

OLD_COMMUNES = [row[0] for row in t.COMMUNES]  # the eleven communes before the 2025 merger
SUCCESSOR_OF = {row[0]: row[4] for row in t.COMMUNES}  # old commune -> the new commune it merged into
DISTRICT_UNIT_CODES = [code for code, _name in t.DISTRICT_UNITS]
# The units that ended with the district level on 30/06/2025: its offices and the old communes' committees.
ENDED_AT_THE_REFORM = frozenset([*DISTRICT_UNIT_CODES, *(f"DU_{code}" for code in OLD_COMMUNES)])
GROUPS_2014_CODES = [code for code, _name, _commune in t.GROUPS_2014]

Row = dict[str, Any]
Handed = tuple[str, ...]  # what one visit hands over: "money", "loan", "labour" or item codes


@dataclass
class DemoData:
    """One list of rows per record kind of ``apps.imports.records.RECORDS``, named and ordered alike."""

    communes: list[Row] = field(default_factory=list)
    villages: list[Row] = field(default_factory=list)
    unit_groups: list[Row] = field(default_factory=list)
    units: list[Row] = field(default_factory=list)
    group_memberships: list[Row] = field(default_factory=list)
    assignments: list[Row] = field(default_factory=list)
    members: list[Row] = field(default_factory=list)
    households: list[Row] = field(default_factory=list)
    household_statuses: list[Row] = field(default_factory=list)
    students: list[Row] = field(default_factory=list)
    pledges: list[Row] = field(default_factory=list)
    targets: list[Row] = field(default_factory=list)
    donations: list[Row] = field(default_factory=list)
    repayments: list[Row] = field(default_factory=list)


def build() -> DemoData:
    """The whole demo district; the same rows on every call."""
    data = _Builder(random.Random(SEED)).build()
    _check_review_figures(data)
    return data


@dataclass
class _Sector:
    """One sector's help in the review period: drawn visit by visit, given its amounts once all are drawn."""

    name: str  # a sector of REVIEW_FIGURES
    choose_visit: Callable[[], tuple[str, list[str]]]  # -> the visiting unit, the villages it may visit
    choose_project: Callable[[], tuple[str, str]]  # -> the unit, the village of a village project
    gift_amounts: tuple[list[int], list[int]]  # a household's money: amounts and their weights
    village_projects: int  # how many projects share the money households and students did not get
    household_money: list[Row] = field(default_factory=list)
    student_money: list[Row] = field(default_factory=list)
    goods: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    loans: list[Row] = field(default_factory=list)
    labour: list[Row] = field(default_factory=list)

    @property
    def figures(self) -> dict[str, Any]:
        return REVIEW_FIGURES[self.name]


class _Builder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.data = DemoData()
        self.villages_of: dict[str, list[Row]] = defaultdict(list)
        self.households_of_village: dict[str, list[Row]] = defaultdict(list)
        self.status: dict[str, dict[int, str]] = {}  # household -> year -> status
        self.commune_of_village: dict[str, str] = {}
        self.students_of: dict[str, list[Row]] = defaultdict(list)
        self.village_of_household: dict[str, str] = {}
        self.household_of_student: dict[str, str] = {}
        self.members_of: dict[str, list[Row]] = defaultdict(list)
        self.units_of_group: dict[str, list[str]] = defaultdict(list)
        self.commune_of_group: dict[str, str] = {}
        self.villages_of_group: dict[str, list[str]] = {}  # the 2014 groups' three villages each
        self.group_since_2018: dict[str, str] = {}  # old commune -> the group helping it from 2018
        self.committee_of: dict[str, str] = {}
        self._successors: dict[tuple[str, str], str] = {}  # (district unit, new commune) -> who carried it on
        self._successor_members: dict[tuple[str, str], str] = {}  # (member, successor unit) -> its member
        self.visits: set[tuple[str, datetime.date, str]] = set()
        self.pending: list[Row] = []  # donations before references are given

    def build(self) -> DemoData:
        self._communes()
        self._units()
        self._groups_2014()
        self._groups_2018()
        self._members()
        self._households()
        self._review_period()
        self._after_review()
        self._targets()
        # Later additions draw from their own Random, so every row above stays exactly as it was.
        self._sponsorships(random.Random(SEED + 1))
        # The current year and the pledges' outcome, likewise from Randoms of their own.
        self.rng = random.Random(SEED + 2)
        self._current_year()
        self._settle_pledges(random.Random(SEED + 3))
        self._after_the_reform(random.Random(SEED + 4))
        self._number_donations()
        self._classify()
        return self.data

    def _classify(self) -> None:
        """The yearly statuses drawn above as what a commune's review records (their own Random)."""
        kind_of_village = {village["code"]: village["kind"] for village in self.data.villages}
        classify(
            self.data.household_statuses,
            commune_of_household={h: self.commune_of_village[v] for h, v in self.village_of_household.items()},
            ethnic={h for h, v in self.village_of_household.items() if kind_of_village[v] == "buon"},
            seed=SEED + 15,
        )

    # --- places, units and people ----------------------------------------------------

    def _communes(self) -> None:
        for code, name in t.NEW_COMMUNES.items():
            self.data.communes.append(
                {"code": code, "name": name, "kind": "xa", "disadvantaged": False, "successor": None, "valid_to": None}
            )
        for code, name, kind, disadvantaged, successor, villages in t.COMMUNES:
            self.data.communes.append(
                {
                    "code": code,
                    "name": name,
                    "kind": kind,
                    "disadvantaged": disadvantaged,
                    "successor": successor,
                    "valid_to": t.MERGER_LAST_DAY,
                }
            )
            for index, (village_kind, village_name) in enumerate(villages, start=1):
                village = {
                    "code": f"{code}_{index:02d}",
                    "commune": code,
                    "name": village_name,
                    "kind": village_kind,
                    # Ethnic villages and a share of the others in disadvantaged communes.
                    "disadvantaged": village_kind == "buon" or (disadvantaged and self.rng.random() < 0.4),
                }
                self.data.villages.append(village)
                self.villages_of[code].append(village)
                self.commune_of_village[village["code"]] = code

    def _units(self) -> None:
        # The district's offices and the old communes' party committees ended with the district level.
        ended = t.MERGER_LAST_DAY
        for code, name in t.DISTRICT_UNITS:
            self.data.units.append(
                {"code": code, "name": name, "kind": "district_unit", "commune": None, "valid_to": ended}
            )
        for code, name, kind, *_rest in t.COMMUNES:
            label = "thị trấn" if kind == "thi_tran" else "xã"
            unit_code = f"DU_{code}"
            self.data.units.append(
                {
                    "code": unit_code,
                    "name": f"Đảng ủy {label} {name}",
                    "kind": "commune_committee",
                    "commune": code,
                    "valid_to": ended,
                }
            )
            self.committee_of[code] = unit_code
        for code, commune, name in t.NEW_COMMITTEES:
            self.data.units.append(
                {"code": code, "name": name, "kind": "commune_committee", "commune": commune, "valid_to": None}
            )
            self.committee_of[commune] = code
        for code, name in t.OTHER_UNITS:
            self.data.units.append({"code": code, "name": name, "kind": "other", "commune": None, "valid_to": None})

    def _groups_2014(self) -> None:
        """2014-2018: every district unit in one of seven groups, each helping a disadvantaged commune."""
        for index, code in enumerate(DISTRICT_UNIT_CODES):
            group = GROUPS_2014_CODES[index % len(GROUPS_2014_CODES)]
            self.units_of_group[group].append(code)
            self.data.group_memberships.append(
                {"unit": code, "group": group, "start": t.PLAN_DATE, "end": t.REVIEW_DATE}
            )
        for group, name, commune in t.GROUPS_2014:
            self.data.unit_groups.append({"code": group, "name": name})
            self.commune_of_group[group] = commune
            villages = [v["code"] for v in self.villages_of[commune]]
            chosen = sorted(self.rng.sample(villages, 3))
            self.villages_of_group[group] = chosen
            for village in [None, *chosen]:  # the commune, then three of its villages
                self.data.assignments.append(
                    {"group": group, "commune": commune, "village": village, "start": t.PLAN_DATE, "end": t.REVIEW_DATE}
                )

    def _groups_2018(self) -> None:
        """01/11/2018-30/06/2025: eleven groups, every district unit in exactly one, each helping one commune."""
        shuffled = DISTRICT_UNIT_CODES[:]
        self.rng.shuffle(shuffled)
        for index, (commune, name, *_rest) in enumerate(t.COMMUNES, start=1):
            group = f"NHOM_2018_{index:02d}"
            self.data.unit_groups.append({"code": group, "name": f"Nhóm {index} giúp đỡ {name} (từ 2018)"})
            self.commune_of_group[group] = commune
            self.group_since_2018[commune] = group
            # The groups end with the district level; provincial groups take over (_after_the_reform).
            self.data.assignments.append(
                {
                    "group": group,
                    "commune": commune,
                    "village": None,
                    "start": t.ELEVEN_GROUPS_START,
                    "end": t.MERGER_LAST_DAY,
                }
            )
        for index, unit in enumerate(shuffled):
            group = f"NHOM_2018_{index % len(OLD_COMMUNES) + 1:02d}"
            self.units_of_group[group].append(unit)
            self.data.group_memberships.append(
                {"unit": unit, "group": group, "start": t.ELEVEN_GROUPS_START, "end": t.MERGER_LAST_DAY}
            )

    def _person(self, *, ethnic: bool = False, female: bool | None = None) -> str:
        rng = self.rng
        female = rng.random() < 0.45 if female is None else female
        if ethnic:
            given = rng.choice(t.ETHNIC_GIVEN_FEMALE if female else t.ETHNIC_GIVEN_MALE)
            return f"{rng.choice(t.ETHNIC_FAMILY)} {given}"
        middle = rng.choice(t.MIDDLE_FEMALE if female else t.MIDDLE_MALE)
        given = rng.choice(t.GIVEN_FEMALE if female else t.GIVEN_MALE)
        return f"{rng.choice(t.FAMILY_NAMES)} {middle} {given}"

    def _members(self) -> None:
        for unit in self.data.units:
            committee = unit["kind"] == "commune_committee"
            positions = t.COMMITTEE_POSITIONS if committee else t.POSITIONS
            for index in range(self.rng.randint(4, 12)):
                position = positions[0] if index == 0 else self.rng.choice(positions[1:])
                member = {
                    "code": f"CB-{len(self.data.members) + 1:04d}",
                    "name": self._person(),
                    "unit": unit["code"],
                    "position": position,
                }
                self.data.members.append(member)
                self.members_of[unit["code"]].append(member)

    # --- households, their yearly review, students -------------------------------------

    # Chance of next year's status given this year's, from the annual reviews' usual shape.
    TRANSITIONS = {
        "poor": [("poor", 0.62), ("near_poor", 0.22), ("escaped", 0.16)],
        "near_poor": [("poor", 0.06), ("near_poor", 0.5), ("escaped", 0.32), ("at_risk", 0.12)],
        "escaped": [("none", 0.75), ("at_risk", 0.15), ("poor", 0.10)],
        "at_risk": [("poor", 0.2), ("at_risk", 0.35), ("none", 0.45)],
        "none": [("none", 0.95), ("at_risk", 0.04), ("poor", 0.01)],
    }

    def _next_status(self, status: str) -> str:
        roll, acc = self.rng.random(), 0.0
        for nxt, chance in self.TRANSITIONS[status]:
            acc += chance
            if roll < acc:
                return nxt
        return self.TRANSITIONS[status][-1][0]

    def _households(self) -> None:
        for village in self.data.villages:
            ethnic = village["kind"] == "buon"
            count = self.rng.randint(16, 24) if ethnic or village["disadvantaged"] else self.rng.randint(10, 17)
            commune_name = next(c["name"] for c in self.data.communes if c["code"] == village["commune"])
            for _ in range(count):
                household = self._household(village["code"], ethnic=ethnic)
                self._yearly_statuses(household["code"])
                self._children_at_school(household["code"], ethnic=ethnic, commune_name=commune_name)

    def _household(self, village: str, *, ethnic: bool) -> Row:
        code = f"HO-{len(self.data.households) + 1:05d}"
        household = {
            "code": code,
            "village": village,
            "head_name": self._person(ethnic=ethnic),
            # Invented 12-digit numbers under the unused prefix 0991: never a real person's.
            "id_number": f"0991{self.rng.randrange(10**8):08d}" if self.rng.random() < 0.6 else "",
            "size": self.rng.randint(1, 8),
        }
        self.data.households.append(household)
        self.households_of_village[village].append(household)
        self.village_of_household[code] = village
        return household

    def _yearly_statuses(self, household: str) -> None:
        """Most were on the 2014 list; others fell into poverty later (2022: the new standard)."""
        rng = self.rng
        first_year = (
            2014
            if rng.random() < 0.72
            else rng.choice([2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2022, 2022, 2023])
        )
        yearly, status = {}, "poor" if rng.random() < 0.8 else "near_poor"
        for year in range(first_year, t.HISTORY_LAST_DAY.year + 1):
            yearly[year] = status
            self.data.household_statuses.append({"household": household, "year": year, "status": status})
            status = self._next_status(status)
        self.status[household] = yearly

    def _children_at_school(self, household: str, *, ethnic: bool, commune_name: str) -> None:
        for _ in range(self.rng.choices([0, 1, 2, 3], weights=[22, 35, 30, 13])[0]):
            grade = self.rng.randint(1, 12)
            school = self._school(grade, commune_name)
            student = {
                "code": f"HS-{len(self.data.students) + 1:05d}",
                "name": self._person(ethnic=ethnic),
                "household": household,
                "school": school,
                "grade": f"Lớp {grade}",
            }
            self.data.students.append(student)
            self.students_of[household].append(student)
            self.household_of_student[student["code"]] = household

    def _school(self, grade: int, commune_name: str) -> str:
        if grade <= 5:
            return t.PRIMARY_SCHOOL.format(commune=commune_name)
        if grade <= 9:
            return t.LOWER_SECONDARY_SCHOOL.format(commune=commune_name)
        return self.rng.choice(t.HIGH_SCHOOLS)

    def _helped(self, household: str, year: int) -> bool:
        return self.status[household].get(year) in HELPED

    def _commune_of_household(self, household: str) -> str:
        return self.commune_of_village[self.village_of_household[household]]

    def _students_helped_in(self, villages: list[str], year: int) -> list[Row]:
        """The students of the households of ``villages`` that the programme helps in ``year``."""
        return [
            student
            for village in villages
            for household in self.households_of_village[village]
            for student in self.students_of[household["code"]]
            if self._helped(household["code"], year)
        ]

    def _committee_on(self, commune: str, day: datetime.date) -> str:
        """The party committee in charge of an old commune's people on ``day``: the new commune's after the merger."""
        return self.committee_of[SUCCESSOR_OF[commune]] if day >= t.MERGER_FIRST_DAY else self.committee_of[commune]

    # --- dates and amounts -----------------------------------------------------------

    def _date(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return _day_between(self.rng, start, end)

    def _visit_date(self, start: datetime.date, end: datetime.date) -> datetime.date:
        """Units visit most in the weeks before Tết, the rest of the year evenly."""
        day = self._date(start, end)
        tet = t.TET.get(day.year)
        if tet and self.rng.random() < 0.4:
            before_tet = tet - datetime.timedelta(days=self.rng.randint(3, 25))
            if start <= before_tet <= end:
                return before_tet
        return day

    def _school_date(self, year: int, start: datetime.date, end: datetime.date) -> datetime.date:
        """Students get help at the start of the school year, or before Tết."""
        if year not in t.TET or self.rng.random() < 0.65:
            day = datetime.date(year, 8, 15) + datetime.timedelta(days=self.rng.randint(0, 30))
        else:
            day = (t.TET.get(year) or datetime.date(year, 1, 25)) - datetime.timedelta(days=self.rng.randint(3, 20))
        return min(max(day, start), end)

    def _amounts(self, count: int, choices: list[int], weights: list[int]) -> list[int]:
        return self.rng.choices(choices, weights=weights, k=count)

    def _split(self, total: int, count: int, low: int, high: int, step: int = 1) -> list[int]:
        """``count`` amounts between ``low`` and ``high``, in multiples of ``step``, adding up to ``total``.

        A remainder below ``step`` goes to the first amount.
        """
        if not low * count <= total <= high * count:
            raise ValueError(f"cannot split {total} into {count} amounts within [{low}, {high}]")
        weights = [self.rng.uniform(0.5, 1.5) for _ in range(count)]
        scale = total / sum(weights)
        amounts = [min(max(round(w * scale / step) * step, low), high) for w in weights]
        gap = total - sum(amounts)
        while abs(gap) >= step:
            index = self.rng.randrange(count)
            move = step if gap > 0 else -step
            if low <= amounts[index] + move <= high:
                amounts[index] += move
                gap -= move
        amounts[0] += gap
        return amounts

    def _give_quantities(self, rows: list[Row], total: int, low: int, high: int) -> None:
        """Share ``total`` of an item among the rows that hand it over, between ``low`` and ``high`` each."""
        for row, quantity in zip(rows, self._split(total, len(rows), low, high), strict=True):
            row["quantity"] = Decimal(quantity)

    # --- donations -----------------------------------------------------------------

    def _donation(self, **row: Any) -> Row:
        base = {
            "member": None,
            "amount_vnd": 0,
            "item": None,
            "quantity": None,
            "labour_days": None,
            "commune": None,
            "village": None,
            "household": None,
            "student": None,
            "pledge": None,
            "due_date": None,
            "previous_loan": None,
            "note": "",
        }
        base.update(row)
        base["beneficiary_kind"] = next(k for k in ("commune", "village", "household", "student") if base[k])
        self.pending.append(base)
        return base

    def _visit(
        self,
        unit: str,
        villages: list[str],
        start: datetime.date,
        end: datetime.date,
        regulars: dict[str, list[str]] | None = None,
    ) -> tuple[str, datetime.date]:
        """A new (household, date) for ``unit``: a household helped that year, never a visit twice."""
        for _attempt in range(200):
            day = self._visit_date(start, end)
            known = [h for h in (regulars or {}).get(unit, []) if self._helped(h, day.year)]
            if known and self.rng.random() < 0.3:
                household = self.rng.choice(known)  # units keep going back to the families they know
            else:
                village = self.rng.choice(villages)
                candidates = [
                    h["code"] for h in self.households_of_village[village] if self._helped(h["code"], day.year)
                ]
                if not candidates:
                    continue
                household = self.rng.choice(candidates)
            if (household, day, unit) not in self.visits:
                self.visits.add((household, day, unit))
                if regulars is not None:
                    regulars.setdefault(unit, []).append(household)
                return household, day
        raise RuntimeError(f"no household left to visit for {unit}")

    def _visit_with_gift(
        self, actor: str, unit: str, villages: list[str], span: tuple[datetime.date, datetime.date], regulars: dict
    ) -> None:
        """A visit with a gift after the review period; none when every helped household was visited that day."""
        try:
            household, day = self._visit(unit, villages, *span, regulars)
        except RuntimeError:
            return
        self._gift(unit, household, day, actor)

    def _gift(self, unit: str, household: str, day: datetime.date, actor: str) -> None:
        rng = self.rng
        common = {"date": day, "unit": unit, "household": household}
        roll = rng.random()
        if roll < 0.04 and actor == "group":
            self._donation(
                kind="loan",
                amount_vnd=rng.choice([5, 6, 8, 10]) * 1_000_000,
                due_date=_years_later(day, 3),
                note="Cho mượn vốn chăn nuôi",
                **common,
            )
            return
        if roll < 0.10:
            self._donation(kind="labour", labour_days=Decimal(rng.randint(1, 5)), note="Giúp ngày công", **common)
            return
        self._donation(
            kind="money",
            amount_vnd=rng.choice([300_000, 500_000, 500_000, 1_000_000, 2_000_000]),
            note=rng.choice(t.HOUSEHOLD_NOTES),
            **common,
        )
        if rng.random() < 0.3:
            item = rng.choice(["gao", "gao", "duong", "quan_ao"])
            quantity = {
                "gao": rng.choice([10, 15, 20]),
                "duong": rng.choice([2, 5]),
                "quan_ao": rng.randint(1, 3),
            }[item]
            self._donation(kind="goods", item=item, quantity=Decimal(quantity), **common)

    def _village_project(self, day: datetime.date, unit: str, villages: list[str]) -> None:
        self._donation(
            date=day,
            unit=unit,
            village=self.rng.choice(villages),
            kind="money",
            amount_vnd=self.rng.randint(4, 30) * 1_000_000,
            note=self.rng.choice(t.VILLAGE_PROJECTS),
        )

    def _scholarship_from_enterprise(
        self, unit: str, student: Row, year: int, span: tuple[datetime.date, datetime.date]
    ) -> None:
        self._donation(
            date=self._school_date(year, *span),
            unit=unit,
            student=student["code"],
            kind="money",
            amount_vnd=500_000,
            note="Học bổng doanh nghiệp",
        )

    def _funds_of_new_communes(self, start: datetime.date, end: datetime.date) -> None:
        """After the merger: help addressed to the new communes themselves."""
        for code, commune, _name in t.NEW_COMMITTEES:
            self._donation(
                date=self._date(start, end),
                unit=code,
                commune=commune,
                kind="money",
                amount_vnd=self.rng.randint(10, 40) * 1_000_000,
                note="Ủng hộ Quỹ Vì người nghèo xã mới",
            )

    def _repayments(self, loan: Row) -> None:
        number = len(self.data.repayments)
        plan = self.rng.choice(["full", "full", "partial", "none"])
        if plan == "none":
            return
        instalments = 2 if plan == "partial" else 3
        share = loan["amount_vnd"] // 4 if plan == "partial" else loan["amount_vnd"] // instalments
        paid = 0
        for index in range(instalments):
            amount = share if plan == "partial" or index < instalments - 1 else loan["amount_vnd"] - paid
            paid += amount
            number += 1
            day = loan["date"] + datetime.timedelta(days=365 * (index + 1) - self.rng.randint(0, 60))
            if day > t.HISTORY_LAST_DAY:
                return  # not due yet
            self.data.repayments.append(
                {
                    "reference": f"HT-{day.year}-{number:05d}",
                    "loan": loan,
                    "date": day,
                    "amount_vnd": amount,
                    "note": "Hoàn trả vốn vay chăn nuôi",
                }
            )

    def _link_members_and_pledges(self, rows: list[Row], end: datetime.date, prefix: str) -> None:
        """Where a unit went back to one household, one of its people had pledged to help it."""
        by_pair: dict[tuple[str, str], list[Row]] = defaultdict(list)
        for row in rows:
            by_pair[(row["unit"], row["household"])].append(row)
        number = sum(1 for p in self.data.pledges if p["code"].startswith(prefix))
        for (unit, household), visits in by_pair.items():
            member = self.rng.choice(self.members_of[unit])
            if len(visits) >= 2 and self.rng.random() < 0.5:
                number += 1
                pledge = {
                    "code": f"{prefix}-{number:04d}",
                    "unit": unit,
                    "member": member["code"],
                    "beneficiary_kind": "household",
                    "household": household,
                    "start": min(r["date"] for r in visits),
                    "end": end,
                    "money_vnd": self.rng.choice([1, 2, 3, 5]) * 1_000_000,
                    "labour_days": Decimal(0),
                    "description": "Đăng ký giúp đỡ hộ nghèo thoát nghèo bền vững",
                }
                self.data.pledges.append(pledge)
                for row in visits:
                    row["member"], row["pledge"] = member["code"], pledge["code"]
            elif self.rng.random() < 0.25:
                for row in visits:
                    row["member"] = member["code"]

    def _village_pledge(
        self,
        code: str,
        *,
        unit: str,
        village: str,
        start: datetime.date,
        end: datetime.date,
        money_vnd: int,
        labour_days: Decimal,
    ) -> None:
        self.data.pledges.append(
            {
                "code": code,
                "unit": unit,
                "member": None,
                "beneficiary_kind": "village",
                "village": village,
                "start": start,
                "end": end,
                "money_vnd": money_vnd,
                "labour_days": labour_days,
                "description": "Đăng ký giúp thôn đạt chuẩn thôn kiểu mẫu",
            }
        )

    # --- the review period, 14/02/2014-24/10/2018 --------------------------------------

    def _review_period(self) -> None:
        """Donations of 14/02/2014-24/10/2018, shaped to the review's figures."""
        regulars: dict[str, list[str]] = {}
        district = self._district_units_visits(regulars)
        committees = self._committees_visits(regulars)
        self._review_students(district, committees)
        for sector in (district, committees):
            self._share_out_money(sector)
        self._link_members_and_pledges([r for r in self.pending if r["household"]], t.REVIEW_DATE, "DK-2014")
        # Some loans were paid back in instalments, some in full, one not yet.
        for loan in sorted(district.loans, key=lambda r: r["date"]):
            self._repayments(loan)
        self._between_review_and_eleven_groups()

    def _district_units_visits(self, regulars: dict[str, list[str]]) -> _Sector:
        """District units visit households of the villages their group was assigned, now and then of its commune."""
        district = _Sector(
            "district_units",
            choose_visit=self._district_unit_visit,
            choose_project=self._district_unit_project,
            gift_amounts=([200_000, 300_000, 500_000, 1_000_000, 2_000_000], [2, 6, 8, 4, 1]),
            village_projects=25,
        )
        self._household_visits(district, _planned(DISTRICT_VISIT_PLAN, DISTRICT_VISITS), regulars)
        for row, amount in zip(district.loans, DISTRICT_LOANS, strict=True):
            row["amount_vnd"] = amount
            row["due_date"] = _years_later(row["date"], 3)
        # A revolving loan: the calf of the first cow was passed on to the next family.
        first, passed_on = sorted(district.loans, key=lambda r: r["date"])[:2]
        passed_on["previous_loan"] = first
        passed_on["note"] = "Bò giống luân chuyển từ hộ trước"
        for item, value in ESTIMATED_VALUE.items():
            self._give_quantities(district.goods[item], district.figures["goods"][item], 5, 12)
            for row in district.goods[item]:
                row["amount_vnd"] = int(row["quantity"]) * value  # estimated value
        return district

    def _district_unit_visit(self) -> tuple[str, list[str]]:
        group = self.rng.choice(GROUPS_2014_CODES)
        unit = self.rng.choice(self.units_of_group[group])
        commune_villages = [v["code"] for v in self.villages_of[self.commune_of_group[group]]]
        return unit, self.villages_of_group[group] if self.rng.random() < 0.8 else commune_villages

    def _district_unit_project(self) -> tuple[str, str]:
        group = self.rng.choice(GROUPS_2014_CODES)
        unit = self.rng.choice(self.units_of_group[group])
        return unit, self.rng.choice(self.villages_of_group[group])

    def _committees_visits(self, regulars: dict[str, list[str]]) -> _Sector:
        """Commune party committees visit households of their own commune, the larger communes more often."""
        committees = _Sector(
            "commune_committees",
            choose_visit=self._committee_visit,
            choose_project=self._committee_project,
            gift_amounts=([200_000, 300_000, 500_000], [3, 4, 2]),
            village_projects=40,
        )
        self._household_visits(committees, _planned(COMMITTEE_VISIT_PLAN, COMMITTEE_VISITS), regulars)
        labour_days = self._split(committees.figures["labour_days"], len(committees.labour), 2, 5)
        for row, days in zip(committees.labour, labour_days, strict=True):
            row["labour_days"] = Decimal(days)
        for item, low, high in (("gao", 5, 20), ("quan_ao", 1, 3)):
            self._give_quantities(committees.goods[item], committees.figures["goods"][item], low, high)
        return committees

    def _committee_visit(self) -> tuple[str, list[str]]:
        households = [  # in each old commune
            sum(len(self.households_of_village[v["code"]]) for v in self.villages_of[c]) for c in OLD_COMMUNES
        ]
        commune = self.rng.choices(OLD_COMMUNES, weights=households)[0]
        return self.committee_of[commune], [v["code"] for v in self.villages_of[commune]]

    def _committee_project(self) -> tuple[str, str]:
        commune = self.rng.choice(OLD_COMMUNES)
        return self.committee_of[commune], self.rng.choice(self.villages_of[commune])["code"]

    def _household_visits(self, sector: _Sector, plan: list[Handed], regulars: dict[str, list[str]]) -> None:
        """The sector's household visits of the review period, in a random order, each handing over its plan."""
        self.rng.shuffle(plan)
        for handed in plan:
            unit, villages = sector.choose_visit()
            household, day = self._visit(unit, villages, t.PLAN_DATE, t.REVIEW_DATE, regulars)
            for what in handed:
                self._hand_over(sector, what, date=day, unit=unit, household=household)

    def _hand_over(self, sector: _Sector, what: str, **visit: Any) -> None:
        """One row of a review-period visit; amounts and quantities are given once the sector's rows are drawn."""
        if what == "loan":
            sector.loans.append(self._donation(kind="loan", note=REVIEW_VISIT_NOTES["loan"], **visit))
        elif what == "labour":
            sector.labour.append(self._donation(kind="labour", note=REVIEW_VISIT_NOTES["labour"], **visit))
        elif what == "money":
            sector.household_money.append(
                self._donation(kind="money", note=self.rng.choice(t.HOUSEHOLD_NOTES), **visit)
            )
        else:
            sector.goods[what].append(self._donation(kind="goods", item=what, **visit))

    def _review_students(self, district: _Sector, committees: _Sector) -> None:
        """796 children of helped households, each given something at least once, 120 of them by district units."""
        chosen = self._students_to_help()
        group_2014_of = {self.commune_of_group[g]: g for g in GROUPS_2014_CODES}  # commune -> 2014 group
        by_district = [s for s in chosen if self._commune_of_household(s[0]["household"]) in group_2014_of]
        by_district = by_district[:DISTRICT_STUDENTS]
        district_codes = {student["code"] for student, _years in by_district}
        by_committees = [s for s in chosen if s[0]["code"] not in district_codes]
        for student, years in by_district + self.rng.sample(by_district, 20):
            group = group_2014_of[self._commune_of_household(student["household"])]
            unit = self.rng.choice(self.units_of_group[group])
            district.student_money.append(
                self._review_school_help(student, years, unit, kind="money", note="Học bổng vượt khó")
            )
        self._committees_school_help(committees, by_committees)

    def _students_to_help(self) -> list[tuple[Row, list[int]]]:
        """796 students, each with the review years in which their household was helped."""
        pool = []
        for student in self.data.students:
            years = [y for y in range(2014, 2019) if self._helped(student["household"], y)]
            if years:
                pool.append((student, years))
        self.rng.shuffle(pool)
        if len(pool) < REVIEW_STUDENTS:
            raise RuntimeError(f"only {len(pool)} students in helped households")
        return pool[:REVIEW_STUDENTS]

    def _committees_school_help(self, committees: _Sector, students: list[tuple[Row, list[int]]]) -> None:
        """Bicycles, books and notebooks, or a scholarship; sixty students got a second scholarship."""
        for (student, years), package in zip(students, _planned(SCHOOL_PACKAGES, len(students)), strict=True):
            unit = self.committee_of[self._commune_of_household(student["household"])]
            if package == ("money",):
                committees.student_money.append(
                    self._review_school_help(student, years, unit, kind="money", note="Học bổng vượt khó")
                )
                continue
            first = self._review_school_help(student, years, unit, kind="goods", item=package[0])
            committees.goods[package[0]].append(first)
            for item in package[1:]:  # books and notebooks handed over together
                committees.goods[item].append(
                    self._donation(date=first["date"], unit=unit, student=student["code"], kind="goods", item=item)
                )
        for student, years in self.rng.sample(students, 60):
            unit = self.committee_of[self._commune_of_household(student["household"])]
            committees.student_money.append(
                self._review_school_help(student, years, unit, kind="money", note="Hỗ trợ đầu năm học")
            )
        # Bicycles were handed over at the review conference itself: the period's last day counts.
        for row in committees.goods["xe_dap"][:5]:
            row["date"] = t.REVIEW_DATE
            row["note"] = "Trao tại Hội nghị sơ kết 4 năm"
        for item, low, high in (("sach", 1, 2), ("vo", 5, 20), ("xe_dap", 1, 1)):
            self._give_quantities(committees.goods[item], committees.figures["goods"][item], low, high)

    def _review_school_help(self, student: Row, years: list[int], unit: str, **row: Any) -> Row:
        day = self._school_date(self.rng.choice(years), t.PLAN_DATE, t.REVIEW_DATE)
        return self._donation(date=day, unit=unit, student=student["code"], **row)

    def _share_out_money(self, sector: _Sector) -> None:
        """Households and students get round amounts; village projects get what remains of the sector's money."""
        households, students = sector.household_money, sector.student_money
        for row, amount in zip(households, self._amounts(len(households), *sector.gift_amounts), strict=True):
            row["amount_vnd"] = amount
        for row, amount in zip(students, self._amounts(len(students), *SCHOLARSHIPS), strict=True):
            row["amount_vnd"] = amount
        remaining = sector.figures["money_vnd"] - sum(r["amount_vnd"] for r in households + students)
        for amount in self._split(remaining, sector.village_projects, 2_000_000, 40_000_000, 500_000):
            unit, village = sector.choose_project()
            self._donation(
                date=self._date(t.PLAN_DATE, t.REVIEW_DATE),
                unit=unit,
                village=village,
                kind="money",
                amount_vnd=amount,
                note=self.rng.choice(t.VILLAGE_PROJECTS),
            )

    def _between_review_and_eleven_groups(self) -> None:
        """A few donations after the review but before the eleven groups: outside the review's figures."""
        for commune in OLD_COMMUNES[:4]:
            unit = self.committee_of[commune]
            household, day = self._visit(
                unit,
                [v["code"] for v in self.villages_of[commune]],
                t.REVIEW_DATE + datetime.timedelta(days=2),
                t.ELEVEN_GROUPS_START - datetime.timedelta(days=1),
            )
            self._donation(
                date=day, unit=unit, household=household, kind="money", amount_vnd=500_000, note="Thăm hỏi, động viên"
            )

    # --- after the review, 01/11/2018-31/12/2025 ----------------------------------------

    def _after_review(self) -> None:
        """From 01/11/2018: eleven groups, then the 2025 merger; plausible yearly figures."""
        regulars: dict[str, list[str]] = {}
        first_row = len(self.pending)
        for year in range(2018, t.HISTORY_LAST_DAY.year + 1):
            span = (max(datetime.date(year, 1, 1), t.ELEVEN_GROUPS_START), datetime.date(year, 12, 31))
            for commune in OLD_COMMUNES:
                self._commune_year(commune, year, span, regulars)
            # Enterprises joined after 2018: scholarships.
            if year > 2018:
                for code, _name in t.OTHER_UNITS:
                    for student in self.rng.sample(self.data.students, 6):
                        if self._helped(student["household"], year):
                            self._scholarship_from_enterprise(code, student, year, span)
        self._funds_of_new_communes(t.MERGER_FIRST_DAY, t.HISTORY_LAST_DAY)
        later = [r for r in self.pending[first_row:] if r["household"]]
        self._link_members_and_pledges(
            [r for r in later if r["date"] < datetime.date(2021, 1, 1)], datetime.date(2020, 12, 31), "DK-2019"
        )
        self._link_members_and_pledges(
            [r for r in later if r["date"] >= datetime.date(2021, 1, 1)], t.HISTORY_LAST_DAY, "DK-2021"
        )
        for loan in [r for r in self.pending[first_row:] if r["kind"] == "loan"]:
            self._repayments(loan)
        # Pledges to villages: every group to one village of its commune for 2021-2025.
        for index, commune in enumerate(OLD_COMMUNES, start=1):
            self._village_pledge(
                f"DK-THON-{index:02d}",
                unit=self.units_of_group[self.group_since_2018[commune]][0],
                village=self.rng.choice(self.villages_of[commune])["code"],
                start=datetime.date(2021, 1, 1),
                end=datetime.date(2025, 12, 31),
                money_vnd=self.rng.randint(10, 50) * 1_000_000,
                labour_days=Decimal(self.rng.choice([0, 20, 50])),
            )

    def _commune_year(
        self, commune: str, year: int, span: tuple[datetime.date, datetime.date], regulars: dict[str, list[str]]
    ) -> None:
        """A year of one old commune: its group's and its committee's visits, its students, a village project."""
        rng = self.rng
        villages = [v["code"] for v in self.villages_of[commune]]
        group = self.group_since_2018[commune]
        visits = rng.randint(18, 28) if year > 2018 else rng.randint(4, 8)
        for _ in range(visits):
            self._visit_with_gift("group", rng.choice(self.units_of_group[group]), villages, span, regulars)
        for _ in range(visits):
            committee, committee_span = self._committee_in_year(commune, span)
            self._visit_with_gift("committee", committee, villages, committee_span, regulars)
        # Students: the start of the school year and Tết.
        students = self._students_helped_in(villages, year)
        for student in rng.sample(students, min(len(students), rng.randint(6, 12) if year > 2018 else 2)):
            day = self._school_date(year, *span)
            self._school_help(student, day, rng.choice([self._committee_on(commune, day), *self.units_of_group[group]]))
        if year > 2018 and rng.random() < 0.6:
            unit = rng.choice(self.units_of_group[group])
            self._village_project(self._date(*span), unit, villages)

    def _committee_in_year(
        self, commune: str, span: tuple[datetime.date, datetime.date]
    ) -> tuple[str, tuple[datetime.date, datetime.date]]:
        """The committee visiting the commune's households, and when: in 2025 the old one or the new one."""
        start, end = span
        # The old committees stop with their communes; the new ones take over.
        if end <= t.MERGER_LAST_DAY or self.rng.random() < 0.5:
            return self.committee_of[commune], (start, min(end, t.MERGER_LAST_DAY))
        return self.committee_of[SUCCESSOR_OF[commune]], (max(start, t.MERGER_FIRST_DAY), end)

    def _school_help(self, student: Row, day: datetime.date, unit: str) -> None:
        rng = self.rng
        item = rng.choice(["money", "money", "sach", "vo", "xe_dap"])
        if item == "money":
            self._donation(
                date=day,
                unit=unit,
                student=student["code"],
                kind="money",
                amount_vnd=rng.choice([300_000, 500_000, 1_000_000]),
                note="Học bổng vượt khó",
            )
        else:
            quantity = {"sach": 1, "vo": rng.choice([10, 15, 20]), "xe_dap": 1}[item]
            self._donation(
                date=day, unit=unit, student=student["code"], kind="goods", item=item, quantity=Decimal(quantity)
            )

    def _sponsorships(self, rng: random.Random) -> None:
        """Sponsoring students (nhận đỡ đầu) from 2019, and labour promised alongside money.

        Each sponsorship pledges a few school years of help; the sponsor's first gift is linked to
        it, and the pledge promises more than was given so far, so monitoring has someone to urge.
        """
        after = [r for r in self.pending if r["student"] and r["kind"] == "money" and r["date"].year >= 2019]
        for number, row in enumerate(sorted(rng.sample(after, 40), key=lambda r: r["date"]), start=1):
            member = rng.choice(self.members_of[row["unit"]]) if rng.random() < 0.6 else None
            years = rng.randint(2, 4)
            pledge = {
                "code": f"DK-HS-{number:03d}",
                "unit": row["unit"],
                "member": member and member["code"],
                "beneficiary_kind": "student",
                "student": row["student"],
                "start": row["date"],
                "end": min(_years_later(row["date"], years), t.HISTORY_LAST_DAY),
                "money_vnd": row["amount_vnd"] * years,
                "labour_days": Decimal(0),
                "description": "Nhận đỡ đầu học sinh nghèo vượt khó học giỏi",
            }
            if pledge["end"] <= pledge["start"]:
                pledge["end"] = t.HISTORY_LAST_DAY
            self.data.pledges.append(pledge)
            row["pledge"], row["member"] = pledge["code"], pledge["member"]
        for pledge in self.data.pledges:
            if pledge["beneficiary_kind"] == "household" and rng.random() < 0.3:
                pledge["labour_days"] = Decimal(rng.choice([2, 3, 5, 10]))
                pledge["description"] += "; giúp ngày công sửa nhà, làm vườn"

    # --- targets: model villages and model gardens --------------------------------------

    def _targets(self) -> None:
        """Model villages and model gardens of 2020-2025, some achieved, a few abandoned."""
        rng = self.rng
        for commune in OLD_COMMUNES:
            group = self.group_since_2018[commune]
            villages = self.villages_of[commune]
            for village in rng.sample(villages, 2 if len(villages) > 5 else 1):
                year = rng.randint(2020, 2025)
                status = self._target_status(year, weights=[5, 4, 2, 1])
                self._target(
                    "model_village",
                    village=village["code"],
                    unit=rng.choice(self.units_of_group[group]),
                    year=year,
                    status=status,
                    achieved_on=(
                        datetime.date(year, rng.randint(9, 12), rng.randint(1, 28)) if status == "achieved" else None
                    ),
                )
        gardens = [h for h in self.data.households if self.status[h["code"]].get(2020) in ("near_poor", "escaped")]
        for household in rng.sample(gardens, min(60, len(gardens))):
            group = self.group_since_2018[self._commune_of_household(household["code"])]
            year = rng.randint(2020, 2025)
            status = self._target_status(year, weights=[6, 4, 2, 1])
            self._target(
                "model_garden",
                household=household["code"],
                unit=rng.choice(self.units_of_group[group]),
                year=year,
                status=status,
                achieved_on=(
                    datetime.date(year, rng.randint(6, 12), rng.randint(1, 28)) if status == "achieved" else None
                ),
            )

    def _target_status(self, year: int, *, weights: list[int]) -> str:
        status = self.rng.choices(["achieved", "in_progress", "planned", "abandoned"], weights=weights)[0]
        return "in_progress" if year >= 2025 and status == "achieved" else status

    def _target(
        self,
        kind: str,
        *,
        unit: str,
        year: int,
        status: str,
        achieved_on: datetime.date | None,
        village: str | None = None,
        household: str | None = None,
    ) -> None:
        prefix, note = TARGET_KINDS[kind]
        self.data.targets.append(
            {
                "code": f"{prefix}-{len(self.data.targets) + 1:03d}",
                "kind": kind,
                "village": village,
                "household": household,
                "unit": unit,
                "target_year": year,
                "status": status,
                "achieved_on": achieved_on,
                "note": note,
            }
        )

    # --- the current year (2026) and how the pledges turned out -------------------------

    def _current_year(self) -> None:
        """2026 up to :data:`tables.LAST_DEMO_DAY` in the four new communes: their committees, and the old groups'
        draws, which :meth:`_after_the_reform` passes to the bodies that carried the district units on."""
        year, span = t.CURRENT_PHASE_START.year, (t.CURRENT_PHASE_START, t.LAST_DEMO_DAY)
        self._statuses_of_year(year)
        first_row = len(self.pending)
        regulars: dict[str, list[str]] = {}
        for commune in OLD_COMMUNES:
            self._commune_in_current_year(commune, year, span, regulars)
        # Both enterprises keep their scholarships: only students of helped households are drawn.
        helped_students = [s for s in self.data.students if self._helped(s["household"], year)]
        for code, _name in t.OTHER_UNITS:
            for student in self.rng.sample(helped_students, 6):
                self._scholarship_from_enterprise(code, student, year, span)
        self._funds_of_new_communes(*span)
        this_year = [r for r in self.pending[first_row:] if r["household"]]
        self._link_members_and_pledges(this_year, t.CURRENT_PHASE_END, "DK-2026")
        # Pledges to villages for the current phase: every group to one village it helps.
        for index, commune in enumerate(OLD_COMMUNES, start=1):
            self._village_pledge(
                f"DK-THON-2026-{index:02d}",
                unit=self.rng.choice(self.units_of_group[self.group_since_2018[commune]]),
                village=self.rng.choice(self.villages_of[commune])["code"],
                start=t.CURRENT_PHASE_START,
                end=t.CURRENT_PHASE_END,
                money_vnd=0,
                labour_days=Decimal(0),  # set from what was given by _settle_pledges
            )
        self._current_targets()

    def _statuses_of_year(self, year: int) -> None:
        for household in self.data.households:
            yearly = self.status[household["code"]]
            status = self._next_status(yearly[year - 1])
            yearly[year] = status
            self.data.household_statuses.append({"household": household["code"], "year": year, "status": status})

    def _commune_in_current_year(
        self, commune: str, year: int, span: tuple[datetime.date, datetime.date], regulars: dict[str, list[str]]
    ) -> None:
        rng = self.rng
        villages = [v["code"] for v in self.villages_of[commune]]
        units = self.units_of_group[self.group_since_2018[commune]]
        new_committee = self.committee_of[SUCCESSOR_OF[commune]]
        for _ in range(rng.randint(15, 23)):  # ten months of a year like 2025
            self._visit_with_gift("group", rng.choice(units), villages, span, regulars)
        for _ in range(rng.randint(15, 23)):
            self._visit_with_gift("committee", new_committee, villages, span, regulars)
        students = self._students_helped_in(villages, year)
        for student in rng.sample(students, min(len(students), rng.randint(6, 12))):
            self._donation(
                date=self._school_date(year, *span),
                unit=rng.choice([new_committee, *units]),
                student=student["code"],
                kind="money",
                amount_vnd=rng.choice([300_000, 500_000, 1_000_000]),
                note="Học bổng vượt khó",
            )
        if rng.random() < 0.6:
            self._village_project(self._date(*span), rng.choice(units), villages)

    def _current_targets(self) -> None:
        rng = self.rng
        year = t.CURRENT_PHASE_START.year
        for commune in OLD_COMMUNES:
            group = self.group_since_2018[commune]
            village = rng.choice(self.villages_of[commune])
            status = rng.choices(["achieved", "in_progress", "planned"], weights=[2, 5, 2])[0]
            self._target(
                "model_village",
                village=village["code"],
                unit=rng.choice(self.units_of_group[group]),
                year=year,
                status=status,
                achieved_on=self._date(datetime.date(year, 6, 1), t.LAST_DEMO_DAY) if status == "achieved" else None,
            )
        gardens = [h for h in self.data.households if self.status[h["code"]].get(year) in ("near_poor", "escaped")]
        for household in rng.sample(gardens, min(15, len(gardens))):
            group = self.group_since_2018[self._commune_of_household(household["code"])]
            status = rng.choices(["achieved", "in_progress", "planned"], weights=[3, 5, 2])[0]
            self._target(
                "model_garden",
                household=household["code"],
                unit=rng.choice(self.units_of_group[group]),
                year=year,
                status=status,
                achieved_on=self._date(datetime.date(year, 5, 1), t.LAST_DEMO_DAY) if status == "achieved" else None,
            )

    def _settle_pledges(self, rng: random.Random) -> None:
        """Make most pledges kept: each promises what its unit did give by its end (or, for the current
        phase, a little more than by :data:`tables.LAST_DEMO_DAY`, so it is on track). A few units are
        left behind on a current pledge, and a few with an ended pledge never fulfilled, so monitoring
        and the portal show the realistic mix leaders see. Review-period donations are never touched:
        an old pledge is settled by what it promised, not by adding gifts.
        """
        given: dict[str, list[Row]] = defaultdict(list)
        for row in self.pending:
            if row["pledge"]:
                given[row["pledge"]].append(row)
        # Sponsors' later gifts to their student, within the pledge, count towards it.
        for pledge in self.data.pledges:
            if pledge["beneficiary_kind"] == "student":
                given[pledge["code"]] += self._sponsors_gifts(pledge)
        # Village pledges: the group's unit worked for the village over the pledge's years.
        for pledge in self.data.pledges:
            if pledge["beneficiary_kind"] == "village":
                given[pledge["code"]] += self._work_for_village(rng, pledge)
        units = sorted({p["unit"] for p in self.data.pledges})
        current_units = sorted({p["unit"] for p in self.data.pledges if p["end"] > t.HISTORY_LAST_DAY})
        behind = set(rng.sample(current_units, 5))
        unkept = set(rng.sample([u for u in units if u not in behind], 3))
        for pledge in self.data.pledges:
            self._settle(rng, pledge, given[pledge["code"]], behind=behind, unkept=unkept)

    def _sponsors_gifts(self, pledge: Row) -> list[Row]:
        """The sponsor's money to the student within the pledge, linked to it."""
        gifts = []
        for row in self.pending:
            if (
                row["student"] == pledge["student"]
                and row["unit"] == pledge["unit"]
                and row["pledge"] is None
                and row["kind"] == "money"
                and pledge["start"] <= row["date"] <= pledge["end"]
            ):
                row["pledge"], row["member"] = pledge["code"], pledge["member"]
                gifts.append(row)
        return gifts

    def _work_for_village(self, rng: random.Random, pledge: Row) -> list[Row]:
        """Money in a few parts and perhaps labour, on days within the pledge (up to the demo's last day)."""
        last = min(pledge["end"], t.LAST_DEMO_DAY)
        money = pledge["money_vnd"] or rng.randint(10, 40) * 1_000_000
        labour = int(pledge["labour_days"]) or rng.choice([0, 10, 20])
        parts = rng.randint(2, 4)
        common = {"unit": pledge["unit"], "village": pledge["village"]}
        rows = [
            self._donation(
                date=_day_between(rng, pledge["start"], last),
                **common,
                kind="money",
                amount_vnd=amount,
                pledge=pledge["code"],
                note=pledge["description"],
            )
            for amount in _split_with(rng, money, parts, 500_000)
        ]
        if labour:
            rows += [
                self._donation(
                    date=_day_between(rng, pledge["start"], last),
                    **common,
                    kind="labour",
                    labour_days=Decimal(days),
                    pledge=pledge["code"],
                    note="Giúp ngày công làm đường, sửa nhà văn hóa thôn",
                )
                for days in _split_with(rng, labour, 2, 1)
            ]
        return rows

    def _settle(self, rng: random.Random, pledge: Row, given: list[Row], *, behind: set[str], unkept: set[str]) -> None:
        """What the pledge promises, from what its unit gave towards it by its end (or by the demo's last day)."""
        current = pledge["end"] > t.HISTORY_LAST_DAY
        rows = [r for r in given if r["date"] <= min(pledge["end"], t.LAST_DEMO_DAY)]
        money = sum(r["amount_vnd"] for r in rows if r["kind"] == "money")
        labour = sum((r["labour_days"] for r in rows if r["kind"] == "labour"), Decimal(0))
        if pledge["unit"] in unkept and not current:
            unkept.discard(pledge["unit"])  # one unkept old promise for each of these units
            pledge["money_vnd"] = max(pledge["money_vnd"], money + rng.choice([1, 2, 3]) * 1_000_000)
        elif pledge["unit"] in behind and current and money:
            behind.discard(pledge["unit"])  # given well under half of what the year asks
            pledge["money_vnd"] = _round_up(money * rng.uniform(1.8, 2.6), 500_000)
            pledge["labour_days"] = labour
        else:
            pledge["labour_days"] = labour
            pledge["money_vnd"] = money
            if current and money >= 1_000_000 and rng.random() < 0.5:
                # Still to give: a small remainder, within the margin of the year elapsed.
                pledge["money_vnd"] += money * rng.randint(2, 8) // 100 // 100_000 * 100_000

    # --- after the reform of 01/07/2025 -------------------------------------------------

    def _after_the_reform(self, rng: random.Random) -> None:
        """The district level ended on 30/06/2025: the bodies of the time carry on its units' help.

        The help after that day is drawn above as the district units' (the draws stay as they were, so
        every earlier row does too); here each such gift, pledge and target passes to the body that
        carried the unit's work on in that commune: the new commune's party committee or a provincial
        body of the commune's new group. Pledges of the ended units (the old communes' committees too)
        running past the reform end on its eve, promising what was given by then.
        """
        self.rng = rng
        self._provincial_groups()
        pledges = {p["code"]: p for p in self.data.pledges}
        moved: dict[str, list[Row]] = defaultdict(list)  # old pledge -> its gifts after the reform
        for row in self.pending:
            if row["date"] > t.MERGER_LAST_DAY and row["unit"] in ENDED_AT_THE_REFORM:
                pledge = pledges.get(row["pledge"] or "")
                if pledge is not None and pledge["start"] <= t.MERGER_LAST_DAY:
                    moved[pledge["code"]].append(row)
                    row["pledge"] = None
                self._carry_on(row, self._new_commune_of(row))
        for pledge in self.data.pledges:
            if pledge["unit"] not in ENDED_AT_THE_REFORM or pledge["end"] <= t.MERGER_LAST_DAY:
                continue
            if pledge["start"] > t.MERGER_LAST_DAY:
                self._carry_on(pledge, self._new_commune_of(pledge))
            else:
                self._end_at_the_reform(pledge, moved[pledge["code"]])
        for target in self.data.targets:
            if target["unit"] in ENDED_AT_THE_REFORM and target["target_year"] >= t.MERGER_LAST_DAY.year:
                self._carry_on(target, self._new_commune_of(target))
        self._early_repayments()

    def _provincial_groups(self) -> None:
        """Provincial bodies, each in the group of one new commune from 01/07/2025, with their people."""
        for commune, (group, group_name, units) in t.PROVINCIAL_GROUPS.items():
            self.data.unit_groups.append({"code": group, "name": group_name})
            self.data.assignments.append(
                {"group": group, "commune": commune, "village": None, "start": t.MERGER_FIRST_DAY, "end": None}
            )
            for code, name in units:
                unit = {"code": code, "name": name, "kind": "district_unit", "commune": None, "valid_to": None}
                self.data.units.append(unit)
                self.data.group_memberships.append(
                    {"unit": code, "group": group, "start": t.MERGER_FIRST_DAY, "end": None}
                )
                self.units_of_group[group].append(code)
                for index in range(self.rng.randint(4, 12)):
                    position = t.POSITIONS[0] if index == 0 else self.rng.choice(t.POSITIONS[1:])
                    member = {
                        "code": f"CB-{len(self.data.members) + 1:04d}",
                        "name": self._person(),
                        "unit": code,
                        "position": position,
                    }
                    self.data.members.append(member)
                    self.members_of[code].append(member)

    def _new_commune_of(self, row: Row) -> str:
        """The new commune of what a gift, pledge or target is for."""
        if row.get("student"):
            return SUCCESSOR_OF[self._commune_of_household(self.household_of_student[row["student"]])]
        if row.get("household"):
            return SUCCESSOR_OF[self._commune_of_household(row["household"])]
        if row.get("village"):
            return SUCCESSOR_OF[self.commune_of_village[row["village"]]]
        return row["commune"] if row["commune"] in t.NEW_COMMUNES else SUCCESSOR_OF[row["commune"]]

    def _carry_on(self, row: Row, commune: str) -> None:
        """Give an ended unit's gift, pledge or target to the body carrying the unit on in ``commune``."""
        key = (row["unit"], commune)
        if key not in self._successors:
            if row["unit"] not in DISTRICT_UNIT_CODES or self.rng.random() < t.CARRIED_ON_BY_COMMITTEE:
                self._successors[key] = self.committee_of[commune]
            else:
                group = t.PROVINCIAL_GROUPS[commune][0]
                self._successors[key] = self.rng.choice(self.units_of_group[group])
        successor = self._successors[key]
        if row.get("member"):
            person = (row["member"], successor)
            if person not in self._successor_members:
                self._successor_members[person] = self.rng.choice(self.members_of[successor])["code"]
            row["member"] = self._successor_members[person]
        row["unit"] = successor

    def _end_at_the_reform(self, pledge: Row, moved: list[Row]) -> None:
        """An ended unit's pledge running past the reform ends on its eve, without what was given after it.

        One that would promise nothing then (its unit had only lent money by the reform) keeps its promise,
        unfulfilled when the unit was dissolved.
        """
        pledge["end"] = t.MERGER_LAST_DAY
        money = pledge["money_vnd"] - sum(r["amount_vnd"] for r in moved if r["kind"] == "money")
        labour = pledge["labour_days"] - sum((r["labour_days"] for r in moved if r["kind"] == "labour"), Decimal(0))
        if money > 0 or labour > 0:
            pledge["money_vnd"], pledge["labour_days"] = max(money, 0), max(labour, Decimal(0))

    def _early_repayments(self) -> None:
        """Households pay back part of the loans of the new bodies after a harvest, before the demo's last day."""
        for loan in self.pending:
            if loan["kind"] != "loan" or loan["date"] <= t.MERGER_LAST_DAY or self.rng.random() < 0.4:
                continue
            day = loan["date"] + datetime.timedelta(days=self.rng.randint(150, 300))
            if day > t.LAST_DEMO_DAY:
                continue
            self.data.repayments.append(
                {
                    "reference": f"HT-{day.year}-{len(self.data.repayments) + 1:05d}",
                    "loan": loan,
                    "date": day,
                    "amount_vnd": loan["amount_vnd"] // 4,
                    "note": "Trả trước một phần vốn vay chăn nuôi sau vụ thu hoạch",
                }
            )

    # --- references --------------------------------------------------------------------

    def _number_donations(self) -> None:
        """References like UH-2015-00123, numbered by date within each year."""
        per_year: dict[int, int] = defaultdict(int)
        self.pending.sort(key=lambda r: r["date"])  # stable: same-day rows keep their creation order
        for row in self.pending:
            per_year[row["date"].year] += 1
            row["reference"] = f"UH-{row['date'].year}-{per_year[row['date'].year]:05d}"
        for row in self.pending:
            if row["previous_loan"] is not None:
                row["previous_loan"] = row["previous_loan"]["reference"]
        for repayment in self.data.repayments:
            repayment["loan"] = repayment["loan"]["reference"]
        self.data.donations = self.pending


def _planned(plan: list[tuple[int, Handed]], total: int) -> list[Handed]:
    """``total`` of what is handed over: the planned ones in their order, then money alone for the rest."""
    handed = [what for count, what in plan for _ in range(count)]
    return handed + [("money",)] * (total - len(handed))


def _day_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _split_with(rng: random.Random, total: int, count: int, step: int) -> list[int]:
    """``count`` positive multiples of ``step`` adding up to ``total`` (a multiple of ``step``)."""
    units = total // step
    cuts = sorted(rng.sample(range(1, units), count - 1)) if units > count else list(range(1, count))
    bounds = [0, *cuts, units]
    return [(b - a) * step for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _round_up(amount: float, step: int) -> int:
    return -(-int(amount) // step) * step


def _years_later(day: datetime.date, years: int) -> datetime.date:
    return day.replace(year=day.year + years, day=min(day.day, 28))


def _check_review_figures(data: DemoData) -> None:
    """Count the review period as the contract does, in Python, so a generator change cannot drift."""
    kind_of = {u["code"]: u["kind"] for u in data.units}
    sector_of = {"district_unit": "district_units", "commune_committee": "commune_committees", "other": "other"}
    counted: dict[str, dict[str, Any]] = {
        s: {"money_vnd": 0, "loans_vnd": 0, "labour_days": 0, "goods": defaultdict(int)} for s in REVIEW_FIGURES
    }
    visits, students = set(), set()
    for row in data.donations:
        if not t.PLAN_DATE <= row["date"] <= t.REVIEW_DATE:
            continue
        sector = counted[sector_of[kind_of[row["unit"]]]]
        if row["kind"] == "money":
            sector["money_vnd"] += row["amount_vnd"]
        elif row["kind"] == "loan":
            sector["loans_vnd"] += row["amount_vnd"]
        elif row["kind"] == "labour":
            sector["labour_days"] += row["labour_days"]
        else:
            sector["goods"][row["item"]] += row["quantity"]
        if row["household"]:
            visits.add((row["household"], row["date"], row["unit"]))
        if row["student"]:
            students.add(row["student"])
    for sector, expected in REVIEW_FIGURES.items():
        got = {**counted[sector], "goods": dict(counted[sector]["goods"])}
        if got != expected:
            raise AssertionError(f"demo data for {sector}: {got} instead of {expected}")
    if (len(visits), len(students)) != (REVIEW_HOUSEHOLD_VISITS, REVIEW_STUDENTS):
        raise AssertionError(f"demo data: {len(visits)} household visits, {len(students)} students")
