"""The demo's yearly statuses as classifications: a list under the standard of the year, the decision of the
commune's review, the deprivations found, the main causes and the flags.

The generator's status chain (poor, near-poor, at risk, escaped, none) is kept exactly as it was, so every
other demo row is unchanged; this turns each row into what a commune records, from a Random of its own.
Deprivations follow the standard in force: none under the income-only 2011-2015 standard, the 10 indicators of
2016-2021, the 12 of 2022 on (employment appears). Each commune has its own profile of what its poor households
lack (the mountain communes housing, water and information; the plain ones schooling and health insurance), a
household keeps what it lacks from year to year, and fewer lack water and information as years go by.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import Any

# Per list year, the standard in force (apps/households/migrations/0007_load_poverty_standards.py).
STANDARD_OF_YEAR = [
    (2011, 2015, "CN_2011_2015"),
    (2016, 2020, "CN_2016_2020"),
    (2021, 2021, "CN_2016_2020_NAM_2021"),
    (2022, 2025, "CN_2022_2025"),
    (2026, 2026, "CN_2022_2025_NAM_2026"),
]
MULTIDIMENSIONAL_FROM = 2016
NEW_INDICATORS_FROM = 2022

# What a household may lack, with the indicator code under each standard (None: not measured then).
CONCEPTS: dict[str, tuple[str | None, str | None]] = {
    "viec_lam": (None, "2022_viec_lam"),
    "nguoi_phu_thuoc": (None, "2022_nguoi_phu_thuoc"),
    "y_te": ("2016_y_te_dich_vu", "2022_dinh_duong"),
    "bao_hiem_y_te": ("2016_bao_hiem_y_te", "2022_bao_hiem_y_te"),
    "giao_duc_nguoi_lon": ("2016_giao_duc_nguoi_lon", "2022_giao_duc_nguoi_lon"),
    "tre_em_di_hoc": ("2016_tre_em_di_hoc", "2022_tre_em_di_hoc"),
    "chat_luong_nha": ("2016_chat_luong_nha", "2022_chat_luong_nha"),
    "dien_tich_nha": ("2016_dien_tich_nha", "2022_dien_tich_nha"),
    "nuoc_sinh_hoat": ("2016_nuoc_sinh_hoat", "2022_nuoc_sinh_hoat"),
    "nha_tieu": ("2016_nha_tieu", "2022_nha_tieu"),
    "vien_thong": ("2016_vien_thong", "2022_vien_thong"),
    "thong_tin": ("2016_tai_san_thong_tin", "2022_phuong_tien_thong_tin"),
}
# Lacks that improve over the years (roads, water schemes, phones): their weight falls by this much a year.
IMPROVING = {"nuoc_sinh_hoat": 0.08, "vien_thong": 0.12, "thong_tin": 0.1, "nha_tieu": 0.05}
# Communes whose buôn and hills make housing, water and information the main lacks; the others lack
# schooling, health insurance and work first.
UPLAND_COMMUNES = {"SON_THANH_TAY", "SON_THANH_DONG", "HOA_MY_TAY", "HOA_PHU"}
UPLAND_WEIGHTS = {"chat_luong_nha": 6, "nuoc_sinh_hoat": 6, "nha_tieu": 5, "thong_tin": 4, "vien_thong": 3}
PLAIN_WEIGHTS = {"tre_em_di_hoc": 6, "bao_hiem_y_te": 6, "giao_duc_nguoi_lon": 4, "viec_lam": 5, "y_te": 3}
CAUSES_WEIGHTS = {
    "upland": {
        "thieu_dat": 5,
        "thieu_von": 6,
        "thieu_ky_nang": 5,
        "thien_tai": 3,
        "om_dau": 2,
        "dong_nguoi_an_theo": 2,
    },
    "plain": {"thieu_von": 5, "om_dau": 5, "thieu_lao_dong": 4, "khong_viec_lam": 4, "thieu_ky_nang": 2, "khac": 1},
}
LEGACY = {"escaped": "none", "at_risk": "none"}

Row = dict[str, Any]


def standard_of(year: int) -> str | None:
    return next((code for first, last, code in STANDARD_OF_YEAR if first <= year <= last), None)


def classify(statuses: list[Row], *, commune_of_household: dict[str, str], ethnic: set[str], seed: int) -> None:
    """Turn the rows of ``statuses`` (household, year, status as the generator drew it) into classifications."""
    rng = random.Random(seed)
    households: dict[str, _Household] = {}
    history: dict[str, list[str]] = defaultdict(list)
    for row in sorted(statuses, key=lambda r: (r["household"], r["year"])):
        code = row["household"]
        if code not in households:
            households[code] = _Household(rng, commune_of_household[code], ethnic=code in ethnic)
        drawn = row["status"]
        row.update(households[code].classification(rng, row["year"], drawn, history[code]))
        history[code].append(drawn)


class _Household:
    def __init__(self, rng: random.Random, commune: str, *, ethnic: bool) -> None:
        self.commune = commune
        upland = commune in UPLAND_COMMUNES
        weights = {concept: (UPLAND_WEIGHTS if upland else PLAIN_WEIGHTS).get(concept, 1) for concept in CONCEPTS}
        self.weights = weights
        causes = CAUSES_WEIGHTS["upland" if upland else "plain"]
        self.causes = _weighted_sample(rng, causes, rng.choice([1, 2, 2, 3]))
        self.ethnic = ethnic
        self.no_labour_capacity = rng.random() < 0.08
        self.policy_household = rng.random() < 0.05
        # Weighted order without replacement (Efraimidis-Spirakis): a key per lack, drawn once, reweighed by year.
        self.draws = {concept: 1 - rng.random() for concept in CONCEPTS}

    def lacks(self, year: int) -> list[str]:
        """What the household lacks, most pressing first, as of ``year``."""
        keys = {}
        for concept, weight in self.weights.items():
            weight = max(weight * (1 - IMPROVING.get(concept, 0) * max(year - 2016, 0)), 0.2)
            keys[concept] = self.draws[concept] ** (1 / weight)
        return sorted(keys, key=keys.__getitem__, reverse=True)

    def classification(self, rng: random.Random, year: int, drawn: str, before: list[str]) -> Row:
        status = LEGACY.get(drawn, drawn)
        once_poor = any(s in ("poor", "near_poor") for s in before)
        if status == "none" and year >= NEW_INDICATORS_FROM and once_poor and rng.random() < 0.4:
            status = "average"  # the 2022-2025 standard's list for farming households just above the line
        standard = standard_of(year)
        count = {"poor": rng.randint(3, 5), "near_poor": rng.randint(1, 2)}.get(status, rng.choice([0, 0, 1]))
        poor_or_near = status in ("poor", "near_poor")
        return {
            "status": status,
            "at_risk": drawn == "at_risk",
            "standard": standard,
            "review_round": "yearly",
            **_decision(self.commune, year),
            "deprivations": self._indicators(year, count) if count and year >= MULTIDIMENSIONAL_FROM else [],
            "causes": list(self.causes) if poor_or_near else [],
            "no_labour_capacity": self.no_labour_capacity and poor_or_near,
            "ethnic_minority": self.ethnic,
            "policy_household": self.policy_household,
        }

    def _indicators(self, year: int, count: int) -> list[str]:
        column = 1 if year >= NEW_INDICATORS_FROM else 0
        codes = [CONCEPTS[concept][column] for concept in self.lacks(year)]
        return [code for code in codes if code][:count]


def _decision(commune: str, year: int) -> dict[str, Any]:
    """The commune's decision recognising the list of ``year``, taken in December of the year before."""
    rng = random.Random(f"{commune}-{year}")
    return {
        "decision_number": f"{rng.randint(150, 480)}/QĐ-UBND",
        "decided_on": datetime.date(year - 1, 12, rng.randint(10, 28)),
    }


def _weighted_sample(rng: random.Random, weights: dict[str, float], k: int) -> list[str]:
    pool = dict(weights)
    chosen = []
    for _ in range(min(k, len(pool))):
        pick = rng.choices(list(pool), weights=list(pool.values()))[0]
        chosen.append(pick)
        del pool[pick]
    return chosen
