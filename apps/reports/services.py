"""Writes of the reports app: a report's draft text, its approval (number, date, text and figures frozen
together), and freezing figures alone."""

from __future__ import annotations

import datetime
import json

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from apps.bodies.models import IssuingBody
from apps.communes.models import Commune
from apps.reports.models import FrozenReport, ReportDraft
from apps.reports.ordering import ordered_figures
from apps.reports.outline import clean_sections
from apps.reports.selectors import report_figures
from apps.units.models import UnitGroup

ALREADY_FROZEN = _("This report is already frozen; the approved figures cannot be replaced.")
NUMBER_TAKEN = _("Number %(number)s is already given to another report of %(body)s in %(year)s.")
NOTHING_CHANGED = _(
    "Nothing has changed since version %(version)s was approved (figures, text, signer, recipients): "
    "no new version is needed."
)
VERSION_BEFORE_PREVIOUS = _("A new version of a report cannot be dated before the version it replaces (%(date)s).")
NO_PREVIOUS = _("There is no earlier approved report of this scope to start from.")


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
        figures=ordered_figures(report_figures(start=start, end=end, commune=commune, group=group), issuer),
    )
    report.full_clean()
    report.save()
    return report


def _scope(start, end, commune, group) -> dict:
    return {"start": start, "end": end, "commune": commune, "group": group}


@transaction.atomic
def save_draft(
    *,
    start: datetime.date,
    end: datetime.date,
    user,
    commune: Commune | None = None,
    group: UnitGroup | None = None,
    sections: dict[str, object],
    signer_capacity: str = "",
    signer_title: str = "",
    signer_name: str = "",
    recipients: list[str] | None = None,
) -> ReportDraft:
    """Save the text staff typed for a report. Once a version is approved its text is kept in the
    :class:`FrozenReport`; the draft goes on as the text of the next version."""
    scope = _scope(start, end, commune, group)
    draft = ReportDraft.objects.select_for_update().filter(**scope).first() or ReportDraft(**scope)
    draft.sections = clean_sections(sections)
    draft.signer_capacity = signer_capacity.strip()
    draft.signer_title = signer_title.strip()
    draft.signer_name = signer_name.strip()
    draft.recipients = [line.strip() for line in recipients or [] if line.strip()]
    draft.updated_by = user
    draft.full_clean()
    draft.save()
    return draft


def previous_sections(
    *, start: datetime.date, commune: Commune | None = None, group: UnitGroup | None = None
) -> dict[str, str] | None:
    """The text of the latest approved report of the same scope that ended before ``start`` (None if none)."""
    previous = (
        FrozenReport.objects.filter(commune=commune, group=group, end__lt=start)
        .exclude(sections={})
        .order_by("-end", "-start", "-version")
        .first()
    )
    return clean_sections(previous.sections) if previous else None


def next_number(issuer: IssuingBody, year: int) -> int:
    """The next number of the body's register of reports for ``year``: one more than the highest given."""
    highest = FrozenReport.objects.filter(issuer=issuer, number_year=year).aggregate(n=models.Max("number"))["n"] or 0
    return highest + 1


def _signed_and_sent(draft: ReportDraft, issuer: IssuingBody) -> tuple:
    """The signer and recipients approval takes from the draft: the body's own where the draft leaves them empty."""
    return (
        draft.signer_capacity or issuer.signer_title,
        draft.signer_title or issuer.signer_role,
        draft.signer_name or issuer.signer_name,
        list(draft.recipients or issuer.recipient_lines),
    )


def _as_stored_by(report: FrozenReport, figures: dict) -> dict:
    """``figures`` with only what ``report`` stored: a version approved before the report kept more (the pledges
    summed, the day each pledge began) is not changed by what it never had."""
    stored = report.figures
    kept = {key: value for key, value in figures.items() if key in stored}
    if stored.get("pledge_list") and "pledge_list" in kept:
        fields = set(stored["pledge_list"][0])
        kept["pledge_list"] = [{k: v for k, v in row.items() if k in fields} for row in kept["pledge_list"]]
    return kept


def changed_since(report: FrozenReport, *, figures: dict, draft: ReportDraft | None) -> bool:
    """Whether a new version would differ from ``report``: its figures, or the draft's text, signer, recipients."""
    if json.loads(json.dumps(_as_stored_by(report, figures))) != report.figures:  # as stored: through JSON
        return True
    if draft is None or report.issuer is None:
        return False
    approved = (report.signer_capacity, report.signer_title, report.signer_name, list(report.recipients))
    return (
        clean_sections(draft.sections) != clean_sections(report.sections)
        or _signed_and_sent(draft, report.issuer) != approved
    )


@transaction.atomic
def approve_report(
    *,
    start: datetime.date,
    end: datetime.date,
    user,
    issuer: IssuingBody,
    issued_on: datetime.date,
    commune: Commune | None = None,
    group: UnitGroup | None = None,
    number: int | None = None,
) -> FrozenReport:
    """Approve a report: its figures as they are now and its draft text, signer and recipients, frozen together,
    with its number (``number`` as entered, or the next of the body's register for the year) and date.

    Approving a period and scope already approved makes its next version; the earlier ones stay as they were.
    Each version takes a number of its own: a party office never issues two documents under one number (the
    register, "sổ đăng ký văn bản đi", gives each document sent out a number once), so a corrected report is
    a new document that states which report it replaces (printed under its title), not the old number again.
    """
    # One approval at a time per body: the register's next number is read and taken in one step.
    IssuingBody.objects.select_for_update().filter(pk=issuer.pk).first()
    scope = _scope(start, end, commune, group)
    latest = FrozenReport.objects.filter(**scope).order_by("-version").first()
    version = latest.version + 1 if latest else 1
    if latest is not None and issued_on < (latest.issued_on or latest.start):
        raise ValidationError(VERSION_BEFORE_PREVIOUS, params={"date": f"{latest.issued_on or latest.start:%d/%m/%Y}"})
    year = issued_on.year
    if number is None:
        number = next_number(issuer, year)
    elif FrozenReport.objects.filter(issuer=issuer, number_year=year, number=number).exists():
        raise ValidationError(NUMBER_TAKEN, params={"number": number, "body": issuer.name, "year": year})
    draft = ReportDraft.objects.filter(**scope).first() or ReportDraft(**scope)
    figures = ordered_figures(report_figures(**scope), issuer)
    if latest is not None and not changed_since(latest, figures=figures, draft=draft):
        raise ValidationError(NOTHING_CHANGED, params={"version": latest.version})
    capacity, title, name, recipients = _signed_and_sent(draft, issuer)
    report = FrozenReport(
        **scope,
        frozen_by=user,
        issuer=issuer,
        figures=figures,
        number=number,
        number_year=year,
        issued_on=issued_on,
        sections=clean_sections(draft.sections),
        signer_capacity=capacity,
        signer_title=title,
        signer_name=name,
        recipients=recipients,
        version=version,
    )
    report.full_clean()
    report.save()
    return report
