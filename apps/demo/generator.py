"""Invents the demo district's records from ``tables``, deterministically (one seeded Random).

The output is plain rows (dicts) whose links are codes, not database ids, so the loader can
write only what is missing. The donations of 14/02/2014-24/10/2018 are built to reproduce the
4-year review's figures exactly (``REVIEW_FIGURES``) when counted by the contract's rules;
:func:`build` checks that before returning, so a change here cannot silently break them.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from apps.demo import tables as t

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

Row = dict[str, Any]


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


class _Builder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.data = DemoData()
        self.villages_of: dict[str, list[Row]] = defaultdict(list)
        self.households_of_village: dict[str, list[Row]] = defaultdict(list)
        self.status: dict[str, dict[int, str]] = {}
        self.commune_of_village: dict[str, str] = {}
        self.students_of: dict[str, list[Row]] = defaultdict(list)
        self.village_of_household: dict[str, str] = {}
        self.members_of: dict[str, list[Row]] = defaultdict(list)
        self.units_of_group: dict[str, list[str]] = defaultdict(list)
        self.group_commune: dict[str, str] = {}
        self.group_villages: dict[str, list[str]] = {}
        self.committee_of: dict[str, str] = {}
        self.visits: set[tuple[str, datetime.date, str]] = set()
        self.pending: list[Row] = []  # donations before references are given

    # --- places, units and people ----------------------------------------------------

    def build(self) -> DemoData:
        self._communes()
        self._units()
        self._groups()
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
        self._number_donations()
        return self.data

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
        for code, name in t.DISTRICT_UNITS:
            self.data.units.append({"code": code, "name": name, "kind": "district_unit", "commune": None})
        for code, name, kind, *_rest in t.COMMUNES:
            label = "thị trấn" if kind == "thi_tran" else "xã"
            unit_code = f"DU_{code}"
            self.data.units.append(
                {"code": unit_code, "name": f"Đảng ủy {label} {name}", "kind": "commune_committee", "commune": code}
            )
            self.committee_of[code] = unit_code
        for code, commune, name in t.NEW_COMMITTEES:
            self.data.units.append({"code": code, "name": name, "kind": "commune_committee", "commune": commune})
            self.committee_of[commune] = code
        for code, name in t.OTHER_UNITS:
            self.data.units.append({"code": code, "name": name, "kind": "other", "commune": None})

    def _groups(self) -> None:
        district_units = [code for code, _name in t.DISTRICT_UNITS]
        # 2014-2018: every district unit in one of seven groups, each helping a disadvantaged commune.
        for index, code in enumerate(district_units):
            group = t.GROUPS_2014[index % len(t.GROUPS_2014)][0]
            self.units_of_group[group].append(code)
            self.data.group_memberships.append(
                {"unit": code, "group": group, "start": t.PLAN_DATE, "end": t.REVIEW_DATE}
            )
        for group, name, commune in t.GROUPS_2014:
            self.data.unit_groups.append({"code": group, "name": name})
            self.group_commune[group] = commune
            villages = [v["code"] for v in self.villages_of[commune]]
            chosen = sorted(self.rng.sample(villages, 3))
            self.group_villages[group] = chosen
            self.data.assignments.append(
                {"group": group, "commune": commune, "village": None, "start": t.PLAN_DATE, "end": t.REVIEW_DATE}
            )
            for village in chosen:
                self.data.assignments.append(
                    {"group": group, "commune": commune, "village": village, "start": t.PLAN_DATE, "end": t.REVIEW_DATE}
                )
        # From 01/11/2018: eleven groups, every district unit in exactly one, each helping one commune.
        shuffled = district_units[:]
        self.rng.shuffle(shuffled)
        old_communes = [row[0] for row in t.COMMUNES]
        for index, (commune, name, *_rest) in enumerate(t.COMMUNES, start=1):
            group = f"NHOM_2018_{index:02d}"
            self.data.unit_groups.append({"code": group, "name": f"Nhóm {index} giúp đỡ {name} (từ 2018)"})
            self.group_commune[group] = commune
            self.data.assignments.append(
                {
                    "group": group,
                    "commune": commune,
                    "village": None,
                    "start": t.ELEVEN_GROUPS_START,
                    "end": t.MERGER_LAST_DAY,
                }
            )
            # After the merger the group keeps helping the same people, now in the new commune.
            successor = next(row[4] for row in t.COMMUNES if row[0] == commune)
            self.data.assignments.append(
                {"group": group, "commune": successor, "village": None, "start": t.MERGER_FIRST_DAY, "end": None}
            )
        for index, unit in enumerate(shuffled):
            group = f"NHOM_2018_{index % len(old_communes) + 1:02d}"
            self.units_of_group[group].append(unit)
            self.data.group_memberships.append(
                {"unit": unit, "group": group, "start": t.ELEVEN_GROUPS_START, "end": None}
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
        number = 0
        for unit in self.data.units:
            committee = unit["kind"] == "commune_committee"
            positions = t.COMMITTEE_POSITIONS if committee else t.POSITIONS
            for index in range(self.rng.randint(4, 12)):
                number += 1
                position = positions[0] if index == 0 else self.rng.choice(positions[1:])
                member = {
                    "code": f"CB-{number:04d}",
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
        number = student_number = 0
        for village in self.data.villages:
            ethnic = village["kind"] == "buon"
            count = self.rng.randint(16, 24) if ethnic or village["disadvantaged"] else self.rng.randint(10, 17)
            commune_name = next(c["name"] for c in self.data.communes if c["code"] == village["commune"])
            for _ in range(count):
                number += 1
                code = f"HO-{number:05d}"
                household = {
                    "code": code,
                    "village": village["code"],
                    "head_name": self._person(ethnic=ethnic),
                    # Invented 12-digit numbers under the unused prefix 0991: never a real person's.
                    "id_number": f"0991{self.rng.randrange(10**8):08d}" if self.rng.random() < 0.6 else "",
                    "size": self.rng.randint(1, 8),
                }
                self.data.households.append(household)
                self.households_of_village[village["code"]].append(household)
                self.village_of_household[code] = village["code"]
                # Most were on the 2014 list; others fell into poverty later (2022: the new standard).
                first_year = (
                    2014
                    if self.rng.random() < 0.72
                    else self.rng.choice([2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2022, 2022, 2023])
                )
                yearly, status = {}, "poor" if self.rng.random() < 0.8 else "near_poor"
                for year in range(first_year, t.HISTORY_LAST_DAY.year + 1):
                    yearly[year] = status
                    self.data.household_statuses.append({"household": code, "year": year, "status": status})
                    status = self._next_status(status)
                self.status[code] = yearly
                for _ in range(self.rng.choices([0, 1, 2, 3], weights=[22, 35, 30, 13])[0]):
                    student_number += 1
                    age_grade = self.rng.randint(1, 12)
                    if age_grade <= 5:
                        school = t.PRIMARY_SCHOOL.format(commune=commune_name)
                    elif age_grade <= 9:
                        school = t.LOWER_SECONDARY_SCHOOL.format(commune=commune_name)
                    else:
                        school = self.rng.choice(t.HIGH_SCHOOLS)
                    student = {
                        "code": f"HS-{student_number:05d}",
                        "name": self._person(ethnic=ethnic),
                        "household": code,
                        "school": school,
                        "grade": f"Lớp {age_grade}",
                    }
                    self.data.students.append(student)
                    self.students_of[code].append(student)

    def _helped(self, household: str, year: int) -> bool:
        return self.status[household].get(year) in HELPED

    # --- dates and amounts -----------------------------------------------------------

    def _date(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

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

    def _review_period(self) -> None:
        """Donations of 14/02/2014-24/10/2018, shaped to the review's figures."""
        start, end = t.PLAN_DATE, t.REVIEW_DATE
        figures = REVIEW_FIGURES
        rng = self.rng
        regulars: dict[str, list[str]] = {}

        # District units: visits to households of the villages their group was assigned.
        groups = [g for g, _n, _c in t.GROUPS_2014]
        plan = ["loan"] * len(DISTRICT_LOANS) + ["duong"] * 2 + ["money+duong"] * 4 + ["money+gao"] * 3
        plan += ["money"] * (DISTRICT_VISITS - len(plan))
        rng.shuffle(plan)
        du_money, du_goods, du_loans = [], {"gao": [], "duong": []}, []
        for what in plan:
            group = rng.choice(groups)
            unit = rng.choice(self.units_of_group[group])
            commune_villages = [v["code"] for v in self.villages_of[self.group_commune[group]]]
            villages = self.group_villages[group] if rng.random() < 0.8 else commune_villages
            household, day = self._visit(unit, villages, start, end, regulars)
            common = {"date": day, "unit": unit, "household": household}
            if what == "loan":
                du_loans.append(self._donation(kind="loan", note="Cho mượn vốn mua bò giống", **common))
                continue
            if "money" in what:
                du_money.append(self._donation(kind="money", note=rng.choice(t.HOUSEHOLD_NOTES), **common))
            for item in ("gao", "duong"):
                if item in what:
                    du_goods[item].append(self._donation(kind="goods", item=item, **common))
        for row, amount in zip(du_loans, DISTRICT_LOANS, strict=True):
            row["amount_vnd"] = amount
            row["due_date"] = _years_later(row["date"], 3)
        # A revolving loan: the calf of the first cow was passed on to the next family.
        first, passed_on = sorted(du_loans, key=lambda r: r["date"])[:2]
        passed_on["previous_loan"] = first
        passed_on["note"] = "Bò giống luân chuyển từ hộ trước"
        for item, rows in du_goods.items():
            quantities = self._split(figures["district_units"]["goods"][item], len(rows), 5, 12)
            for row, quantity in zip(rows, quantities, strict=True):
                row["quantity"] = Decimal(quantity)
                row["amount_vnd"] = quantity * (15_000 if item == "gao" else 20_000)  # estimated value

        # Commune party committees: visits to households of their own commune.
        plan = ["gao"] * 40 + ["quan_ao"] * 15 + ["labour"] * 12 + ["money+gao"] * 45 + ["money+quan_ao"] * 20
        plan += ["money"] * (COMMITTEE_VISITS - len(plan))
        rng.shuffle(plan)
        sizes = {
            code: sum(len(self.households_of_village[v["code"]]) for v in villages)
            for code, villages in self.villages_of.items()
        }
        communes = list(sizes)
        cc_money, cc_goods, cc_labour = [], defaultdict(list), []
        for what in plan:
            commune = rng.choices(communes, weights=[sizes[c] for c in communes])[0]
            unit = self.committee_of[commune]
            household, day = self._visit(unit, [v["code"] for v in self.villages_of[commune]], start, end, regulars)
            common = {"date": day, "unit": unit, "household": household}
            if what == "labour":
                cc_labour.append(self._donation(kind="labour", note="Giúp ngày công sửa nhà", **common))
                continue
            if "money" in what:
                cc_money.append(self._donation(kind="money", note=rng.choice(t.HOUSEHOLD_NOTES), **common))
            for item in ("gao", "quan_ao"):
                if item in what:
                    cc_goods[item].append(self._donation(kind="goods", item=item, **common))
        for row, days in zip(cc_labour, self._split(40, len(cc_labour), 2, 5), strict=True):
            row["labour_days"] = Decimal(days)
        for item, low, high in (("gao", 5, 20), ("quan_ao", 1, 3)):
            rows = cc_goods[item]
            quantities = self._split(figures["commune_committees"]["goods"][item], len(rows), low, high)
            for row, quantity in zip(rows, quantities, strict=True):
                row["quantity"] = Decimal(quantity)

        # Students: 796 children of helped households, each given something at least once.
        pool = []
        for student in self.data.students:
            years = [y for y in range(2014, 2019) if self._helped(student["household"], y)]
            if years:
                pool.append((student, years))
        rng.shuffle(pool)
        if len(pool) < REVIEW_STUDENTS:
            raise RuntimeError(f"only {len(pool)} students in helped households")
        chosen = pool[:REVIEW_STUDENTS]
        du_communes = {self.group_commune[g]: g for g in groups}
        du_students = [s for s in chosen if self._commune_of_household(s[0]["household"]) in du_communes]
        du_students = du_students[:DISTRICT_STUDENTS]
        du_codes = {s[0]["code"] for s in du_students}
        cc_students = [s for s in chosen if s[0]["code"] not in du_codes]

        def student_donation(student: Row, years: list[int], unit: str, **row: Any) -> Row:
            year = rng.choice(years)
            day = self._school_date(year, start, end)
            return self._donation(date=day, unit=unit, student=student["code"], **row)

        du_student_money = []
        for student, years in du_students + rng.sample(du_students, 20):
            group = du_communes[self._commune_of_household(student["household"])]
            unit = rng.choice(self.units_of_group[group])
            du_student_money.append(student_donation(student, years, unit, kind="money", note="Học bổng vượt khó"))

        packages = ["xe_dap"] * 17 + ["sach+vo"] * 70 + ["sach"] * 20 + ["vo"] * 30
        packages += ["money"] * (len(cc_students) - len(packages))
        cc_student_money, student_goods = [], defaultdict(list)
        for (student, years), package in zip(cc_students, packages, strict=True):
            unit = self.committee_of[self._commune_of_household(student["household"])]
            if package == "money":
                cc_student_money.append(student_donation(student, years, unit, kind="money", note="Học bổng vượt khó"))
                continue
            first = student_donation(student, years, unit, kind="goods", item=package.split("+")[0])
            student_goods[first["item"]].append(first)
            if "+" in package:  # books and notebooks handed over together
                second = self._donation(**{k: first[k] for k in ("date", "unit", "student")}, kind="goods", item="vo")
                student_goods["vo"].append(second)
        for student, years in rng.sample(cc_students, 60):
            unit = self.committee_of[self._commune_of_household(student["household"])]
            cc_student_money.append(student_donation(student, years, unit, kind="money", note="Hỗ trợ đầu năm học"))
        # Bicycles were handed over at the review conference itself: the period's last day counts.
        for row in student_goods["xe_dap"][:5]:
            row["date"] = end
            row["note"] = "Trao tại Hội nghị sơ kết 4 năm"
        for item, low, high in (("sach", 1, 2), ("vo", 5, 20), ("xe_dap", 1, 1)):
            rows = student_goods[item]
            quantities = self._split(figures["commune_committees"]["goods"][item], len(rows), low, high)
            for row, quantity in zip(rows, quantities, strict=True):
                row["quantity"] = Decimal(quantity)

        # Money: households and students get round amounts; villages get what remains of the total.
        for sector, household_rows, student_rows, household_choices, village_count in (
            (
                "district_units",
                du_money,
                du_student_money,
                ([200_000, 300_000, 500_000, 1_000_000, 2_000_000], [2, 6, 8, 4, 1]),
                25,
            ),
            ("commune_committees", cc_money, cc_student_money, ([200_000, 300_000, 500_000], [3, 4, 2]), 40),
        ):
            for row, amount in zip(household_rows, self._amounts(len(household_rows), *household_choices), strict=True):
                row["amount_vnd"] = amount
            scholarships = self._amounts(len(student_rows), [200_000, 300_000, 500_000, 1_000_000], [2, 3, 3, 1])
            for row, amount in zip(student_rows, scholarships, strict=True):
                row["amount_vnd"] = amount
            remaining = figures[sector]["money_vnd"] - sum(r["amount_vnd"] for r in household_rows + student_rows)
            amounts = self._split(remaining, village_count, 2_000_000, 40_000_000, 500_000)
            for amount in amounts:
                if sector == "district_units":
                    group = rng.choice(groups)
                    unit = rng.choice(self.units_of_group[group])
                    village = rng.choice(self.group_villages[group])
                else:
                    commune = rng.choice(communes)
                    unit = self.committee_of[commune]
                    village = rng.choice(self.villages_of[commune])["code"]
                self._donation(
                    date=self._date(start, end),
                    unit=unit,
                    village=village,
                    kind="money",
                    amount_vnd=amount,
                    note=rng.choice(t.VILLAGE_PROJECTS),
                )

        self._link_members_and_pledges([r for r in self.pending if r["household"]], start, end, "DK-2014")
        # Some loans were paid back in instalments, some in full, one not yet.
        for loan in sorted(du_loans, key=lambda r: r["date"]):
            self._repayments(loan)

        # A few donations after the review but before the eleven groups: outside the review's figures.
        for commune in communes[:4]:
            unit = self.committee_of[commune]
            household, day = self._visit(
                unit,
                [v["code"] for v in self.villages_of[commune]],
                end + datetime.timedelta(days=2),
                t.ELEVEN_GROUPS_START - datetime.timedelta(days=1),
            )
            self._donation(
                date=day, unit=unit, household=household, kind="money", amount_vnd=500_000, note="Thăm hỏi, động viên"
            )

    def _commune_of_household(self, household: str) -> str:
        return self.commune_of_village[self.village_of_household[household]]

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

    def _link_members_and_pledges(self, rows: list[Row], start: datetime.date, end: datetime.date, prefix: str) -> None:
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

    def _after_review(self) -> None:
        """From 01/11/2018: eleven groups, then the 2025 merger; plausible yearly figures."""
        rng = self.rng
        start_all = t.ELEVEN_GROUPS_START
        regulars: dict[str, list[str]] = {}
        first_row = len(self.pending)
        successor = {row[0]: row[4] for row in t.COMMUNES}
        for year in range(2018, t.HISTORY_LAST_DAY.year + 1):
            year_start = max(datetime.date(year, 1, 1), start_all)
            year_end = datetime.date(year, 12, 31)
            for commune, *_rest in t.COMMUNES:
                villages = [v["code"] for v in self.villages_of[commune]]
                group = f"NHOM_2018_{[c[0] for c in t.COMMUNES].index(commune) + 1:02d}"
                visits = rng.randint(18, 28) if year > 2018 else rng.randint(4, 8)
                for actor in ("group", "committee"):
                    for _ in range(visits):
                        if actor == "group":
                            unit = rng.choice(self.units_of_group[group])
                            span = (year_start, year_end)
                        else:
                            # The old committees stop with their communes; the new ones take over.
                            before = year_end <= t.MERGER_LAST_DAY or rng.random() < 0.5
                            span = (
                                (year_start, min(year_end, t.MERGER_LAST_DAY))
                                if before
                                else (max(year_start, t.MERGER_FIRST_DAY), year_end)
                            )
                            unit = self.committee_of[commune] if before else self.committee_of[successor[commune]]
                        try:
                            household, day = self._visit(unit, villages, *span, regulars)
                        except RuntimeError:
                            continue
                        self._gift(unit, household, day, actor)
                # Students: the start of the school year and Tết.
                students = [
                    s
                    for v in villages
                    for h in self.households_of_village[v]
                    for s in self.students_of[h["code"]]
                    if self._helped(h["code"], year)
                ]
                for student in rng.sample(students, min(len(students), rng.randint(6, 12) if year > 2018 else 2)):
                    day = self._school_date(year, year_start, year_end)
                    if day >= t.MERGER_FIRST_DAY:
                        unit = rng.choice([self.committee_of[successor[commune]], *self.units_of_group[group]])
                    else:
                        unit = rng.choice([self.committee_of[commune], *self.units_of_group[group]])
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
                            date=day,
                            unit=unit,
                            student=student["code"],
                            kind="goods",
                            item=item,
                            quantity=Decimal(quantity),
                        )
                if year > 2018 and rng.random() < 0.6:
                    unit = rng.choice(self.units_of_group[group])
                    self._donation(
                        date=self._date(year_start, year_end),
                        unit=unit,
                        village=rng.choice(villages),
                        kind="money",
                        amount_vnd=rng.randint(4, 30) * 1_000_000,
                        note=rng.choice(t.VILLAGE_PROJECTS),
                    )
            # Enterprises joined after 2018: scholarships and rice.
            if year > 2018:
                for code, _name in t.OTHER_UNITS:
                    for student in rng.sample(self.data.students, 6):
                        if not self._helped(student["household"], year):
                            continue
                        self._donation(
                            date=self._school_date(year, year_start, year_end),
                            unit=code,
                            student=student["code"],
                            kind="money",
                            amount_vnd=500_000,
                            note="Học bổng doanh nghiệp",
                        )
        # After the merger: help addressed to the new communes themselves.
        for code, commune, _name in t.NEW_COMMITTEES:
            self._donation(
                date=self._date(t.MERGER_FIRST_DAY, t.HISTORY_LAST_DAY),
                unit=code,
                commune=commune,
                kind="money",
                amount_vnd=rng.randint(10, 40) * 1_000_000,
                note="Ủng hộ Quỹ Vì người nghèo xã mới",
            )
        later = self.pending[first_row:]
        self._link_members_and_pledges(
            [r for r in later if r["household"] and r["date"] < datetime.date(2021, 1, 1)],
            start_all,
            datetime.date(2020, 12, 31),
            "DK-2019",
        )
        self._link_members_and_pledges(
            [r for r in later if r["household"] and r["date"] >= datetime.date(2021, 1, 1)],
            datetime.date(2021, 1, 1),
            t.HISTORY_LAST_DAY,
            "DK-2021",
        )
        for loan in [r for r in later if r["kind"] == "loan"]:
            self._repayments(loan)
        # Pledges to villages: every group to one village of its commune for 2021-2025.
        for index, (commune, *_rest) in enumerate(t.COMMUNES, start=1):
            group = f"NHOM_2018_{index:02d}"
            self.data.pledges.append(
                {
                    "code": f"DK-THON-{index:02d}",
                    "unit": self.units_of_group[group][0],
                    "member": None,
                    "beneficiary_kind": "village",
                    "village": rng.choice(self.villages_of[commune])["code"],
                    "start": datetime.date(2021, 1, 1),
                    "end": datetime.date(2025, 12, 31),
                    "money_vnd": rng.randint(10, 50) * 1_000_000,
                    "labour_days": Decimal(rng.choice([0, 20, 50])),
                    "description": "Đăng ký giúp thôn đạt chuẩn thôn kiểu mẫu",
                }
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

    # --- the current year (2026) and how the pledges turned out -------------------------

    def _current_year(self) -> None:
        """2026 up to :data:`tables.LAST_DEMO_DAY`: the same groups, the four new communes' committees."""
        rng = self.rng
        year, start, end = t.CURRENT_PHASE_START.year, t.CURRENT_PHASE_START, t.LAST_DEMO_DAY
        for household in self.data.households:
            yearly = self.status[household["code"]]
            status = self._next_status(yearly[year - 1])
            yearly[year] = status
            self.data.household_statuses.append({"household": household["code"], "year": year, "status": status})
        first_row = len(self.pending)
        regulars: dict[str, list[str]] = {}
        successor = {row[0]: row[4] for row in t.COMMUNES}
        for index, (commune, *_rest) in enumerate(t.COMMUNES, start=1):
            villages = [v["code"] for v in self.villages_of[commune]]
            group = f"NHOM_2018_{index:02d}"
            new_committee = self.committee_of[successor[commune]]
            for actor in ("group", "committee"):
                for _ in range(rng.randint(15, 23)):  # ten months of a year like 2025
                    unit = rng.choice(self.units_of_group[group]) if actor == "group" else new_committee
                    try:
                        household, day = self._visit(unit, villages, start, end, regulars)
                    except RuntimeError:
                        continue
                    self._gift(unit, household, day, actor)
            students = [
                s
                for v in villages
                for h in self.households_of_village[v]
                for s in self.students_of[h["code"]]
                if self._helped(h["code"], year)
            ]
            for student in rng.sample(students, min(len(students), rng.randint(6, 12))):
                self._donation(
                    date=self._school_date(year, start, end),
                    unit=rng.choice([new_committee, *self.units_of_group[group]]),
                    student=student["code"],
                    kind="money",
                    amount_vnd=rng.choice([300_000, 500_000, 1_000_000]),
                    note="Học bổng vượt khó",
                )
            if rng.random() < 0.6:
                self._donation(
                    date=self._date(start, end),
                    unit=rng.choice(self.units_of_group[group]),
                    village=rng.choice(villages),
                    kind="money",
                    amount_vnd=rng.randint(4, 30) * 1_000_000,
                    note=rng.choice(t.VILLAGE_PROJECTS),
                )
        # Both enterprises keep their scholarships: only students of helped households are drawn.
        helped_students = [s for s in self.data.students if self._helped(s["household"], year)]
        for code, _name in t.OTHER_UNITS:
            for student in rng.sample(helped_students, 6):
                self._donation(
                    date=self._school_date(year, start, end),
                    unit=code,
                    student=student["code"],
                    kind="money",
                    amount_vnd=500_000,
                    note="Học bổng doanh nghiệp",
                )
        for code, commune, _name in t.NEW_COMMITTEES:
            self._donation(
                date=self._date(start, end),
                unit=code,
                commune=commune,
                kind="money",
                amount_vnd=rng.randint(10, 40) * 1_000_000,
                note="Ủng hộ Quỹ Vì người nghèo xã mới",
            )
        this_year = self.pending[first_row:]
        self._link_members_and_pledges(
            [r for r in this_year if r["household"]], t.CURRENT_PHASE_START, t.CURRENT_PHASE_END, "DK-2026"
        )
        # Pledges to villages for the current phase: every group to one village it helps.
        for index, (commune, *_rest) in enumerate(t.COMMUNES, start=1):
            group = f"NHOM_2018_{index:02d}"
            self.data.pledges.append(
                {
                    "code": f"DK-THON-2026-{index:02d}",
                    "unit": rng.choice(self.units_of_group[group]),
                    "member": None,
                    "beneficiary_kind": "village",
                    "village": rng.choice(self.villages_of[commune])["code"],
                    "start": t.CURRENT_PHASE_START,
                    "end": t.CURRENT_PHASE_END,
                    "money_vnd": 0,
                    "labour_days": Decimal(0),  # set from what was given by _settle_pledges
                    "description": "Đăng ký giúp thôn đạt chuẩn thôn kiểu mẫu",
                }
            )
        self._current_targets()

    def _current_targets(self) -> None:
        rng = self.rng
        year = t.CURRENT_PHASE_START.year
        for index, (commune, *_rest) in enumerate(t.COMMUNES, start=1):
            group = f"NHOM_2018_{index:02d}"
            village = rng.choice(self.villages_of[commune])
            status = rng.choices(["achieved", "in_progress", "planned"], weights=[2, 5, 2])[0]
            self.data.targets.append(
                {
                    "code": f"MT-TKM-{len(self.data.targets) + 1:03d}",
                    "kind": "model_village",
                    "village": village["code"],
                    "household": None,
                    "unit": rng.choice(self.units_of_group[group]),
                    "target_year": year,
                    "status": status,
                    "achieved_on": self._date(datetime.date(year, 6, 1), t.LAST_DEMO_DAY)
                    if status == "achieved"
                    else None,
                    "note": "",
                }
            )
        gardens = [h for h in self.data.households if self.status[h["code"]].get(year) in ("near_poor", "escaped")]
        for household in rng.sample(gardens, min(15, len(gardens))):
            commune = self._commune_of_household(household["code"])
            status = rng.choices(["achieved", "in_progress", "planned"], weights=[3, 5, 2])[0]
            group = f"NHOM_2018_{[c[0] for c in t.COMMUNES].index(commune) + 1:02d}"
            self.data.targets.append(
                {
                    "code": f"MT-VKM-{len(self.data.targets) + 1:03d}",
                    "kind": "model_garden",
                    "village": None,
                    "household": household["code"],
                    "unit": rng.choice(self.units_of_group[group]),
                    "target_year": year,
                    "status": status,
                    "achieved_on": self._date(datetime.date(year, 5, 1), t.LAST_DEMO_DAY)
                    if status == "achieved"
                    else None,
                    "note": "Vườn kiểu mẫu gắn với nâng cao thu nhập",
                }
            )

    def _settle_pledges(self, rng: random.Random) -> None:
        """Make most pledges kept: each promises what its unit did give by its end (or, for the current
        phase, a little more than by :data:`tables.LAST_DEMO_DAY`, so it is on track). A few units are
        left behind on a current pledge, and a few with an ended pledge never fulfilled, so monitoring
        and the portal show the realistic mix leaders see. Review-period donations are never touched:
        an old pledge is settled by what it promised, not by adding gifts.
        """
        by_pledge: dict[str, list[Row]] = defaultdict(list)
        for row in self.pending:
            if row["pledge"]:
                by_pledge[row["pledge"]].append(row)
        # Sponsors' later gifts to their student, within the pledge, count towards it.
        for pledge in self.data.pledges:
            if pledge["beneficiary_kind"] != "student":
                continue
            for row in self.pending:
                if (
                    row["student"] == pledge["student"]
                    and row["unit"] == pledge["unit"]
                    and row["pledge"] is None
                    and row["kind"] == "money"
                    and pledge["start"] <= row["date"] <= pledge["end"]
                ):
                    row["pledge"], row["member"] = pledge["code"], pledge["member"]
                    by_pledge[pledge["code"]].append(row)
        # Village pledges: the group's unit worked for the village over the pledge's years.
        for pledge in self.data.pledges:
            if pledge["beneficiary_kind"] != "village":
                continue
            last = min(pledge["end"], t.LAST_DEMO_DAY)
            money = pledge["money_vnd"] or rng.randint(10, 40) * 1_000_000
            labour = int(pledge["labour_days"]) or rng.choice([0, 10, 20])
            parts = rng.randint(2, 4)
            for amount in self._split_with(rng, money, parts, 500_000):
                by_pledge[pledge["code"]].append(
                    self._donation(
                        date=_day_between(rng, pledge["start"], last),
                        unit=pledge["unit"],
                        village=pledge["village"],
                        kind="money",
                        amount_vnd=amount,
                        pledge=pledge["code"],
                        note=pledge["description"],
                    )
                )
            if labour:
                for days in self._split_with(rng, labour, 2, 1):
                    by_pledge[pledge["code"]].append(
                        self._donation(
                            date=_day_between(rng, pledge["start"], last),
                            unit=pledge["unit"],
                            village=pledge["village"],
                            kind="labour",
                            labour_days=Decimal(days),
                            pledge=pledge["code"],
                            note="Giúp ngày công làm đường, sửa nhà văn hóa thôn",
                        )
                    )
        units = sorted({p["unit"] for p in self.data.pledges})
        current_units = sorted({p["unit"] for p in self.data.pledges if p["end"] > t.HISTORY_LAST_DAY})
        behind = set(rng.sample(current_units, 5))
        overdue = set(rng.sample([u for u in units if u not in behind], 3))
        for pledge in self.data.pledges:
            current = pledge["end"] > t.HISTORY_LAST_DAY
            last = min(pledge["end"], t.LAST_DEMO_DAY)
            rows = [r for r in by_pledge[pledge["code"]] if r["date"] <= last]
            money = sum(r["amount_vnd"] for r in rows if r["kind"] == "money")
            labour = sum((r["labour_days"] for r in rows if r["kind"] == "labour"), Decimal(0))
            if pledge["unit"] in overdue and not current:
                overdue.discard(pledge["unit"])  # one unkept old promise for each of these units
                pledge["money_vnd"] = max(pledge["money_vnd"], money + rng.choice([1, 2, 3]) * 1_000_000)
                continue
            if pledge["unit"] in behind and current and money:
                behind.discard(pledge["unit"])  # given well under half of what the year asks
                pledge["money_vnd"] = _round_up(money * rng.uniform(1.8, 2.6), 500_000)
                pledge["labour_days"] = labour
                continue
            pledge["labour_days"] = labour
            pledge["money_vnd"] = money
            if current and money >= 1_000_000 and rng.random() < 0.5:
                # Still to give: a small remainder, within the margin of the year elapsed.
                pledge["money_vnd"] += money * rng.randint(2, 8) // 100 // 100_000 * 100_000

    def _split_with(self, rng: random.Random, total: int, count: int, step: int) -> list[int]:
        """``count`` positive multiples of ``step`` adding up to ``total`` (a multiple of ``step``)."""
        units = total // step
        cuts = sorted(rng.sample(range(1, units), count - 1)) if units > count else list(range(1, count))
        bounds = [0, *cuts, units]
        return [(b - a) * step for a, b in zip(bounds, bounds[1:], strict=False) if b > a]

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

    # --- targets and references --------------------------------------------------------

    def _targets(self) -> None:
        rng = self.rng
        for index, (commune, *_rest) in enumerate(t.COMMUNES, start=1):
            group = f"NHOM_2018_{index:02d}"
            for village in rng.sample(self.villages_of[commune], 2 if len(self.villages_of[commune]) > 5 else 1):
                year = rng.randint(2020, 2025)
                status = rng.choices(["achieved", "in_progress", "planned", "abandoned"], weights=[5, 4, 2, 1])[0]
                if year >= 2025 and status == "achieved":
                    status = "in_progress"
                self.data.targets.append(
                    {
                        "code": f"MT-TKM-{len(self.data.targets) + 1:03d}",
                        "kind": "model_village",
                        "village": village["code"],
                        "household": None,
                        "unit": rng.choice(self.units_of_group[group]),
                        "target_year": year,
                        "status": status,
                        "achieved_on": (
                            datetime.date(year, rng.randint(9, 12), rng.randint(1, 28))
                            if status == "achieved"
                            else None
                        ),
                        "note": "",
                    }
                )
        gardens = [h for h in self.data.households if self.status[h["code"]].get(2020) in ("near_poor", "escaped")]
        for household in rng.sample(gardens, min(60, len(gardens))):
            commune = self._commune_of_household(household["code"])
            year = rng.randint(2020, 2025)
            status = rng.choices(["achieved", "in_progress", "planned", "abandoned"], weights=[6, 4, 2, 1])[0]
            if year >= 2025 and status == "achieved":
                status = "in_progress"
            group = f"NHOM_2018_{[c[0] for c in t.COMMUNES].index(commune) + 1:02d}"
            self.data.targets.append(
                {
                    "code": f"MT-VKM-{len(self.data.targets) + 1:03d}",
                    "kind": "model_garden",
                    "village": None,
                    "household": household["code"],
                    "unit": rng.choice(self.units_of_group[group]),
                    "target_year": year,
                    "status": status,
                    "achieved_on": (
                        datetime.date(year, rng.randint(6, 12), rng.randint(1, 28)) if status == "achieved" else None
                    ),
                    "note": "Vườn kiểu mẫu gắn với nâng cao thu nhập",
                }
            )

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


def _day_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


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
