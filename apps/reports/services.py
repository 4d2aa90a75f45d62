"""Writes of the reports app: freezing an approved period report."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.bodies.models import IssuingBody
from apps.communes.models import Commune
from apps.reports.models import FrozenReport
from apps.reports.selectors import report_figures
from apps.units.models import UnitGroup

ALREADY_FROZEN = _("This report is already frozen; the approved figures cannot be replaced.")


@transaction.atomic
def freeze_report(
    *,
    start: datetime.date,
    end: datetime.date,
    user,
    commune: Commune | None = None,
    group: UnitGroup | None = None,
    issuer: IssuingBody | None = None,
) -> FrozenReport:
    """Store the report's figures as they are now, with who froze them and the body that issues it.

    Refuses a second freeze.
    """
    exists = FrozenReport.objects.select_for_update().filter(start=start, end=end, commune=commune, group=group)
    if exists.exists():
        raise ValidationError(ALREADY_FROZEN)
    report = FrozenReport(
        start=start,
        end=end,
        commune=commune,
        group=group,
        frozen_by=user,
        issuer=issuer,
        figures=report_figures(start=start, end=end, commune=commune, group=group),
    )
    report.full_clean()
    report.save()
    return report
