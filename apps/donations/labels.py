"""What the figures of a TOTALS row (apps.donations.selectors) and the sectors are called on screen.

Two wordings on purpose: the period report uses the words of the district's printed reviews
("Household-visits", "Groups of district units"), which officials compare it with; the public
site says the same for readers who have never seen a review ("Poor households helped", counted in
household-visits). They sit side by side here so that a new figure is named for both at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Wording:
    report: Promise
    public: Promise


@dataclass(frozen=True)
class Figure:
    """One figure of TOTALS (goods aside, which are named by their item)."""

    report: Promise
    public: Promise
    # What a value counts, shown after it on the public site (money is written with its đ).
    measure: Promise | str
    money: bool = False


FIGURES = {
    "money_vnd": Figure(report=_("Money (VND)"), public=_("Money"), measure="đ", money=True),
    "loans_vnd": Figure(
        report=_("Capital lent (VND)"), public=_("Interest-free loans of capital"), measure="đ", money=True
    ),
    "labour_days": Figure(report=_("Labour days"), public=_("Labour"), measure=_("workdays")),
    "household_visits": Figure(
        report=_("Household-visits"), public=_("Poor households helped"), measure=_("household-visits")
    ),
    "households": Figure(
        report=_("Households helped"), public=_("Different households helped"), measure=_("households")
    ),
    "students": Figure(
        report=_("Students helped"), public=_("Students from poor households helped"), measure=_("students")
    ),
}
SECTOR_NAMES = {
    "district_units": Wording(report=_("Groups of district units"), public=_("District agencies and units")),
    "commune_committees": Wording(
        report=_("Commune and town party committees"), public=_("Commune and town party committees")
    ),
    "other": Wording(report=_("Other donors"), public=_("Other donors")),
}
TOTAL = _("Total")
