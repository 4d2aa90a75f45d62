"""Every figure the counting rules produce is named for the report and for the public site."""

from apps.donations import labels
from apps.donations.selectors import SECTORS, TOTALS_AGGREGATES
from apps.portal.presenters import AFTER_GOODS, BEFORE_GOODS
from apps.reports.documents import INDICATOR_LABELS, SECTOR_LABELS


def test_every_figure_and_sector_has_both_wordings():
    assert set(labels.FIGURES) == set(TOTALS_AGGREGATES)
    assert set(labels.SECTOR_NAMES) == set(SECTORS)


def test_the_public_table_and_the_report_show_every_figure():
    assert set(BEFORE_GOODS + AFTER_GOODS) == set(labels.FIGURES) == set(INDICATOR_LABELS)
    assert set(SECTOR_LABELS) == {*SECTORS, "total"}
