"""Who issues the programme's documents, for which period and which area.

Before the 2025 reform one district party committee ran the programme for the whole district;
from 01/07/2025 each new commune's party committee (or a provincial party committee) runs it.
A report is issued by the body in charge of its period and scope: see :mod:`apps.bodies.selectors`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import pghistory
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import Period, plausible_dates_constraint

# The daterange of a Period; it belongs next to Period in apps.core (kept where it is for now).
from apps.units.models import DateRange

AREA_BOTH = _("A body covers either the whole installation or some communes, not both.")
AREA_MISSING = _("Choose the communes this body covers, or tick “whole installation”.")
COMMUNE_HAS_ANOTHER_BODY = _("%(communes)s already has an issuing body during this period: %(bodies)s.")
WHOLE_INSTALLATION_TAKEN = _(
    "Another body already covers the whole installation during this period: end its term first."
)


def format_term(start: datetime.date, end: datetime.date | None) -> str:
    """14/02/2014 – 30/06/2025, or 01/07/2025 – … while it lasts."""
    return f"{start:%d/%m/%Y} – {f'{end:%d/%m/%Y}' if end else '…'}"


class IssuingBodyQuerySet(models.QuerySet):
    def on_duty_between(self, start: datetime.date, end: datetime.date) -> IssuingBodyQuerySet:
        """Bodies whose term shares at least one day with start–end (both included)."""
        return self.filter(Q(end__isnull=True) | Q(end__gte=start), start__lte=end)

    def on_duty(self, day: datetime.date) -> IssuingBodyQuerySet:
        return self.on_duty_between(day, day)


# Audit trail, as for the programme's other records: triggers record every change, bulk writes included.
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    meta={"indexes": [models.Index(fields=["pgh_obj", "pgh_id"], name="bodies_issuingbody_evt_idx")]},
)
class IssuingBody(Period):
    """A party committee that runs the programme and issues its documents (cơ quan ban hành) for a term."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("As written in a sentence, e.g. Huyện ủy Tây Hòa; the document heading prints it in capitals."),
    )
    superior_body = models.CharField(
        _("superior body"),
        max_length=200,
        blank=True,
        help_text=_("Printed above the name, e.g. Đảng bộ tỉnh Phú Yên. Empty for a provincial party committee."),
    )
    symbol = models.CharField(_("symbol"), max_length=20, help_text=_("As in the number line: Số …-BC/HU."))
    place_name = models.CharField(_("place name"), max_length=100, help_text=_("As in the date line: Tây Hòa, ngày …"))
    signer_title = models.CharField(_("signer title"), max_length=200, default="T/M BAN THƯỜNG VỤ")
    signer_role = models.CharField(_("signer role"), max_length=200, default="BÍ THƯ")
    signer_name = models.CharField(_("signer name"), max_length=200)
    recipients = models.TextField(
        _("recipients"),
        blank=True,
        help_text=_("“Nơi nhận”: one recipient per line, e.g. Ban Thường vụ Tỉnh ủy (b/c)."),
    )
    plan_number = models.CharField(_("plan number"), max_length=50, help_text=_("E.g. 68-KH/HU."))
    plan_date = models.DateField(_("plan date"))
    plan_title = models.CharField(_("plan title"), max_length=500)
    whole_installation = models.BooleanField(
        _("whole installation"),
        default=False,
        help_text=_("Tick when the body covers every commune of this portal; otherwise choose its communes."),
    )
    communes = models.ManyToManyField(
        "communes.Commune", verbose_name=_("communes"), blank=True, related_name="issuing_bodies"
    )
    # The sectors' labels as this body's documents write them; the open-data keys never change.
    district_units_label = models.CharField(
        _("label of the sector “district units”"),
        max_length=200,
        blank=True,
        help_text=_("E.g. Các nhóm cơ quan, đơn vị huyện; or Các cơ quan, đơn vị cấp tỉnh."),
    )
    commune_committees_label = models.CharField(
        _("label of the sector “commune party committees”"),
        max_length=200,
        blank=True,
        help_text=_("E.g. Đảng ủy các xã, thị trấn; or Đảng ủy các xã, phường."),
    )
    other_label = models.CharField(_("label of the sector “others”"), max_length=200, blank=True)

    objects = IssuingBodyQuerySet.as_manager()

    # Codes of the communes an import row gives, until save_issuing_body() links them (see commune_codes).
    _commune_codes: list[str] | None = None

    class Meta:
        verbose_name = _("issuing body")
        verbose_name_plural = _("issuing bodies")
        ordering = ["start", "name"]
        # "Covers the whole installation or names communes" needs the communes, which a row
        # cannot see: it is checked by clean_area() (admin form and services), not here.
        constraints = [
            Period.period_constraint("bodies_issuingbody_ends_after_start"),
            plausible_dates_constraint("bodies_issuingbody_dates_plausible", "start", "end", "plan_date"),
            ExclusionConstraint(
                name="bodies_one_whole_installation_body_at_a_time",
                expressions=[(DateRange("start", "end"), RangeOperators.OVERLAPS)],
                condition=Q(whole_installation=True),
                violation_error_message=WHOLE_INSTALLATION_TAKEN,
            ),
        ]
        indexes = [
            # issuer_for(): the bodies on duty during a report's period.
            models.Index(fields=["start", "end"], name="bodies_issuingbody_term_idx"),
        ]

    def __str__(self) -> str:
        # The term tells apart two bodies of one name (the old and the new Đảng ủy xã Hòa Thịnh).
        return f"{self.name} ({format_term(self.start, self.end)})"

    @property
    def heading_name(self) -> str:
        """The name as the document heading prints it: HUYỆN ỦY TÂY HÒA."""
        return self.name.upper()

    @property
    def heading_superior_body(self) -> str:
        return self.superior_body.upper()

    @property
    def commune_codes(self) -> list[str]:
        """The codes of the communes it covers, sorted; as an import row names them until they are saved."""
        if self._commune_codes is not None:
            return self._commune_codes
        return sorted(commune.code for commune in self.communes.all()) if self.pk else []

    @commune_codes.setter
    def commune_codes(self, codes: Iterable[str]) -> None:
        self._commune_codes = sorted(codes)

    @property
    def plan_subject(self) -> str:
        """The plan's title as a sentence continues it after "về việc": its first letter in lower case."""
        return self.plan_title[:1].lower() + self.plan_title[1:]

    @property
    def recipient_lines(self) -> list[str]:
        """ "Nơi nhận" one per item, without the leading dash or the closing punctuation a document adds."""
        lines = (line.strip().lstrip("-–").strip().rstrip(",;.") for line in self.recipients.splitlines())
        return [line for line in lines if line]

    def clean_area(self, communes: Iterable) -> None:
        """The area rules, given the communes about to be saved (a row's clean() cannot see its M2M).

        Either the whole installation or at least one commune; and no commune with two bodies on one day.
        """
        communes = list(communes)
        if self.whole_installation and communes:
            raise ValidationError({"communes": AREA_BOTH})
        if not self.whole_installation and not communes:
            raise ValidationError({"communes": AREA_MISSING})
        if not communes or not self.start:
            return
        others = (
            IssuingBody.objects.on_duty_between(self.start, self.end or datetime.date.max)
            .filter(communes__in=communes)
            .exclude(pk=self.pk)
            .distinct()
            .prefetch_related("communes")
        )
        if clashes := list(others):
            taken = {commune.pk for body in clashes for commune in body.communes.all()}
            raise ValidationError(
                {
                    "communes": ValidationError(
                        COMMUNE_HAS_ANOTHER_BODY,
                        params={
                            "communes": ", ".join(str(c) for c in communes if c.pk in taken),
                            "bodies": ", ".join(str(body) for body in clashes),
                        },
                    )
                }
            )


# A change of a body's area is audited too. Django creates the table linking bodies to communes
# itself; a proxy of it is what lets the audit triggers be installed by a migration.
@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent())
class IssuingBodyCommune(IssuingBody.communes.through):
    class Meta:
        proxy = True
        verbose_name = _("commune of an issuing body")
        verbose_name_plural = _("communes of issuing bodies")

    def __str__(self) -> str:
        return f"{self.issuingbody.name} – {self.commune}"
