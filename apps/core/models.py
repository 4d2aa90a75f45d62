import datetime

import pghistory
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.dates import FIRST_YEAR, LAST_YEAR

PERIOD_ENDS_BEFORE_START = _("The end date must not be before the start date.")
# The database's copy of apps.core.dates.validate_plausible_year (forms and the importer say it first, in words).
FIRST_PLAUSIBLE_DAY = datetime.date(FIRST_YEAR, 1, 1)
LAST_PLAUSIBLE_DAY = datetime.date(LAST_YEAR, 12, 31)


def plausible_dates_constraint(name: str, *fields: str) -> models.CheckConstraint:
    """Each of ``fields`` empty or dated FIRST_YEAR-LAST_YEAR: year 0001 or 9999 is a typing slip, whatever
    path a write takes (the shell, a bulk update, raw SQL)."""
    condition = models.Q()
    for field in fields:
        within = models.Q(**{f"{field}__gte": FIRST_PLAUSIBLE_DAY, f"{field}__lte": LAST_PLAUSIBLE_DAY})
        condition &= models.Q(**{f"{field}__isnull": True}) | within
    return models.CheckConstraint(condition=condition, name=name)


def audited(index_name: str):
    """Keep the model's history: triggers record every create, change and delete, bulk writes included. One
    trigger call per statement (its rows read from the transition tables), not one per row: an import of
    10.000 donations spent 0,7 s in 10.000 calls of the row triggers."""
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        level=pghistory.Statement,
        # A record's history compares each event with the one before it: found by this index, not a scan.
        meta={"indexes": [models.Index(fields=["pgh_obj", "pgh_id"], name=index_name)]},
    )


class PeriodQuerySet(models.QuerySet):
    def during(self, start, end) -> "PeriodQuerySet":
        """Periods that overlap ``start``-``end`` (both included); either may be an ``OuterRef``."""
        return self.filter(start__lte=end).filter(models.Q(end__isnull=True) | models.Q(end__gte=start))

    def on(self, day) -> "PeriodQuerySet":
        """Periods that include ``day`` (or an ``OuterRef`` to one, e.g. a donation's date)."""
        return self.during(day, day)


class Period(models.Model):
    """A start date and an optional end date (open-ended when empty), both inclusive."""

    start = models.DateField(_("start date"))
    end = models.DateField(_("end date"), null=True, blank=True, help_text=_("Leave empty while it lasts."))

    # The database's copy of clean(): an open end is after any start.
    ends_after_start = models.Q(end__isnull=True) | models.Q(end__gte=models.F("start"))

    class Meta:
        abstract = True

    @classmethod
    def period_constraint(cls, name: str, **options) -> models.CheckConstraint:
        return models.CheckConstraint(condition=cls.ends_after_start, name=name, **options)

    @staticmethod
    def plausible_dates_constraint(name: str) -> models.CheckConstraint:
        return plausible_dates_constraint(name, "start", "end")

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": PERIOD_ENDS_BEFORE_START})


class ClosedPeriod(Period):
    """A period whose end is known from the start (a pledge, a reviewed or reported period)."""

    end = models.DateField(_("end date"))

    ends_after_start = models.Q(end__gte=models.F("start"))

    class Meta:
        abstract = True


class ProgrammeSettings(models.Model):
    """The programme's names and the public site's owner; one row, edited in the admin."""

    programme_name = models.CharField(
        _("programme name"),
        max_length=300,
        default="Cơ quan, đơn vị giúp đỡ xã, thôn (buôn) khó khăn và cán bộ, đảng viên, "
        "công chức, viên chức giúp đỡ hộ nghèo",
    )
    short_name = models.CharField(_("short name"), max_length=100, default="Giúp đỡ hộ nghèo")
    # Who runs the public website today and the area it covers: the site's own name, kept apart from the
    # bodies that issue the programme's documents (apps.bodies), which change with the period a document is about.
    area_name = models.CharField(
        _("area"),
        max_length=200,
        blank=True,
        help_text=_("The area the website covers, as page titles write it, e.g. “tỉnh Đắk Lắk”."),
    )
    site_owner = models.CharField(
        _("site owner"),
        max_length=200,
        blank=True,
        help_text=_("Shown at the top and the foot of the public site, e.g. the party committee that runs it today."),
    )
    programme_start = models.DateField(_("programme start"), default=datetime.date(2014, 2, 14))

    class Meta:
        verbose_name = _("programme settings")
        verbose_name_plural = _("programme settings")

    def __str__(self) -> str:
        return str(_("Programme settings"))

    @classmethod
    def load(cls) -> "ProgrammeSettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj
