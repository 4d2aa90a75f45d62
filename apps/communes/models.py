from __future__ import annotations

import datetime
from typing import ClassVar

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from apps.communes.periods import DateRange, active_on
from apps.core.models import Period, plausible_dates_constraint

SUCCESSOR_IS_SELF = _("A commune cannot be merged into itself.")
SUCCESSOR_NEEDS_END = _("A commune merged into another needs the date it ceased to exist.")
NAMES_OVERLAP = _("This record already bore another name during this period.")
VILLAGE_IN_TWO_COMMUNES = _("This village already belongs to a commune during this period.")


def document_date(day: datetime.date) -> str:
    """A date as Vietnamese documents write it in running text: 01/7/2025 (day padded, month not)."""
    return f"{day.day:02d}/{day.month}/{day.year}"


# --- Names over time ----------------------------------------------------------------------------


class NameHistory(Period):
    """Abstract: a name a record bore for a period; the record's own ``name`` stays its current one.

    A concrete history adds the link to its record (named by ``record_field``, with related_name "names")
    and ``history_constraints()``. A day no row covers falls back to the record's ``name``, so a record
    renamed once needs one row: its old name, up to the day before the rename.
    """

    name = models.CharField(_("name"), max_length=200)

    record_field: ClassVar[str]

    class Meta:
        abstract = True

    @staticmethod
    def history_constraints(record_field: str, prefix: str) -> list[models.BaseConstraint]:
        return [
            Period.period_constraint(f"{prefix}_ends_after_start"),
            Period.plausible_dates_constraint(f"{prefix}_dates_plausible"),
            ExclusionConstraint(
                name=f"{prefix}_one_name_at_a_time",
                expressions=[
                    (record_field, RangeOperators.EQUAL),
                    (DateRange("start", "end"), RangeOperators.OVERLAPS),
                ],
                violation_error_message=NAMES_OVERLAP,
            ),
        ]

    def __str__(self) -> str:
        until = document_date(self.end) if self.end else "…"
        return f"{self.name} ({document_date(self.start)} – {until})"


class NamedOverTime:
    """For a model with a ``name`` and a ``names`` history (a :class:`NameHistory`)."""

    name: str

    def name_on(self, day: datetime.date | None) -> str:
        """The name on ``day``; reads the history a list prefetched (:func:`name_history`, or
        ``prefetch_related("names")``) without a query."""
        if day is not None:
            history = getattr(self, "name_history", None)
            for past in self.names.all() if history is None else history:  # type: ignore[attr-defined]
                if past.start <= day and (past.end is None or day <= past.end):
                    return past.name
        return self.name


def name_history() -> models.Prefetch:
    """For ``prefetch_related``: each record's names over time as a list, ``name_history``, which
    :meth:`NamedOverTime.name_on` reads. Cheaper than ``prefetch_related("names")`` for a long list, which makes a
    queryset per record (a province's 100 communes: 2,5 -> 0,9 ms)."""
    return models.Prefetch("names", to_attr="name_history")


class NamedOverTimeQuerySet(models.QuerySet):
    def with_name_on(self, day: datetime.date) -> models.QuerySet:
        """Each record with ``name_then``, its name on ``day``: one subquery, for lists."""
        names = self.model._meta.get_field("names")
        then = names.related_model.objects.filter(active_on(day), **{names.field.name: OuterRef("pk")})
        return self.annotate(name_then=Coalesce(Subquery(then.values("name")[:1]), F("name")))


# --- Communes and villages ----------------------------------------------------------------------


class CommuneQuerySet(NamedOverTimeQuerySet):
    def current(self):
        return self.filter(successor__isnull=True)

    def with_predecessors_of(self, code: str) -> CommuneQuerySet:
        """The commune with ``code`` and every commune merged into it, at any depth."""
        codes = {code}
        frontier = {code}
        while frontier:
            # Mergers are rare and shallow (one level in 2025): a loop of tiny queries is fine.
            frontier = (
                set(self.model.objects.filter(successor__code__in=frontier).values_list("code", flat=True)) - codes
            )
            codes |= frontier
        return self.filter(code__in=codes)

    def with_names_on(self, day: datetime.date) -> CommuneQuerySet:
        """``name_then`` and ``namesake_then`` (an ended commune whose name a commune existing on ``day`` bears),
        so that :meth:`Commune.display_name` needs no query per commune."""
        last_name = Subquery(
            CommuneName.objects.filter(commune=OuterRef(OuterRef("pk")), start__lte=OuterRef(OuterRef("valid_to")))
            .filter(Q(end__isnull=True) | Q(end__gte=OuterRef(OuterRef("valid_to"))))
            .values("name")[:1]
        )
        namesakes = (
            Commune.objects.exclude(pk=OuterRef("pk"))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .with_name_on(day)
            .filter(name_then=Coalesce(last_name, OuterRef("name")))
        )
        # Looked for only for the communes ended before ``day``, the only ones display_name() names by it: the
        # search reads every commune's name, and doing it for each of a province's 100 communes took 10 ms a list.
        ended = Q(valid_to__lt=day)
        return self.with_name_on(day).annotate(
            namesake_then=Case(When(ended, then=Exists(namesakes)), default=Value(False), output_field=BooleanField())
        )


def mark_namesakes(communes: list[Commune], day: datetime.date) -> None:
    """``namesake_then`` as :meth:`CommuneQuerySet.with_names_on` annotates it, for a list that holds every commune
    with its names over time (:func:`name_history`): found in Python, where the annotation asks the database once
    per ended commune (a province's commune list: 3,7 ms)."""
    taken = {commune.name_on(day) for commune in communes if not commune.ended_before(day)}
    for commune in communes:
        commune.namesake_then = commune.ended_before(day) and commune.last_name() in taken  # type: ignore[attr-defined]


class Commune(NamedOverTime, models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "xa", _("commune")
        TOWN = "thi_tran", _("town")
        WARD = "phuong", _("ward")

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMMUNE)
    disadvantaged = models.BooleanField(_("disadvantaged"), default=False)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    valid_to = models.DateField(_("existed until"), null=True, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(successor=models.F("id")), name="communes_commune_not_own_successor"
            ),
            models.CheckConstraint(
                condition=models.Q(successor__isnull=True) | models.Q(valid_to__isnull=False),
                name="communes_merged_commune_has_end",
            ),
            plausible_dates_constraint("communes_commune_valid_to_plausible", "valid_to"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display().capitalize()} {self.name}"

    def display_name(self, on: datetime.date) -> str:
        """The commune as a page or document dated ``on`` names it: its name then, and, once it has ended
        and a commune of the same name exists, when it ended ("Xã Hòa Thịnh (trước 01/7/2025)").

        Never mentions what it became: a document about a past period knows nothing later (see
        :meth:`present_name` for pages about the present). Lists take two queries whatever their length
        with ``Commune.objects.with_names_on(on).prefetch_related(name_history())``.
        """
        ended = self.ended_before(on)
        label = f"{self.kind_label().capitalize()} {self.last_name() if ended else self.name_on(on)}"
        if not ended:
            return label
        namesake = getattr(self, "namesake_then", None)
        if namesake is None:
            namesake = self._namesakes_on(on).exists()
        if not namesake:
            return label
        first_day_after = self.valid_to + datetime.timedelta(days=1)
        return str(_("%(name)s (before %(date)s)") % {"name": label, "date": document_date(first_day_after)})

    def ended_before(self, day: datetime.date) -> bool:
        """Whether the commune no longer existed on ``day`` (merged into another, or dissolved)."""
        return self.valid_to is not None and self.valid_to < day

    def last_name(self) -> str:
        """The name it bore on its last day; its name now while it has none."""
        return self.name_on(self.valid_to) if self.valid_to else self.name

    def kind_label(self) -> str:
        """get_kind_display() from a mapping made once (it builds one per call: a tenth of a long list's names)."""
        return str(_COMMUNE_KINDS.get(self.kind, self.kind))

    def family_ids(self) -> list[int]:
        """The ids of this commune and of every commune merged into it: the commune scope of the contract. Read
        once per instance (a commune's page asks for them in five places; a merger is recorded between requests)."""
        if "_family_ids" not in self.__dict__:
            self._family_ids = list(Commune.objects.with_predecessors_of(self.code).values_list("pk", flat=True))
        return self._family_ids

    def present_name(self, today: datetime.date) -> str:
        """For pages about the present: an old commune with what it is part of now ("… (nay thuộc xã Tây Hòa)")."""
        label = self.display_name(on=today)
        if not self.successor_id:
            return label
        successor = f"{self.successor.kind_label()} {self.successor.name_on(today)}"
        return str(_("%(name)s (now part of %(successor)s)") % {"name": label, "successor": successor})

    def _namesakes_on(self, day: datetime.date) -> CommuneQuerySet:
        """Other communes existing on ``day`` under the name this one bore last."""
        return (
            Commune.objects.exclude(pk=self.pk)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .with_name_on(day)
            .filter(name_then=self.last_name())
        )

    def clean(self) -> None:
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": SUCCESSOR_IS_SELF})
        if self.successor_id and not self.valid_to:
            raise ValidationError({"valid_to": SUCCESSOR_NEEDS_END})


class VillageQuerySet(NamedOverTimeQuerySet):
    def in_commune_on(self, commune: Commune, day: datetime.date) -> VillageQuerySet:
        """Villages that belonged to ``commune`` on ``day`` (moved villages under the commune of that day)."""
        return self.alias(commune_then=commune_of_village_on(OuterRef("pk"), day)).filter(commune_then=commune.pk)

    def ever_in(self, communes) -> VillageQuerySet:
        """Villages that belonged to one of ``communes`` (ids or a queryset) at some time."""
        return self.filter(
            Q(commune__in=communes)
            | Exists(VillageCommune.objects.filter(village=OuterRef("pk"), commune__in=communes))
        )


class Village(NamedOverTime, models.Model):
    class Kind(models.TextChoices):
        VILLAGE = "thon", _("village")
        ETHNIC_VILLAGE = "buon", _("ethnic village")
        QUARTER = "khu_pho", _("urban quarter")

    code = models.CharField(_("code"), max_length=30, unique=True)
    # The commune it belongs to now; earlier ones are in ``commune_periods`` (see commune_of_village_on).
    commune = models.ForeignKey(Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="villages")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.VILLAGE)
    disadvantaged = models.BooleanField(_("disadvantaged"), default=False)

    objects = VillageQuerySet.as_manager()

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["commune__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="communes_village_name_unique_in_commune"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display().capitalize()} {self.name} ({self.commune.name})"


_COMMUNE_KINDS = dict(Commune.Kind.choices)  # lazy labels: translated when read


class CommuneName(NameHistory):
    commune = models.ForeignKey(Commune, verbose_name=_("commune"), on_delete=models.CASCADE, related_name="names")

    record_field = "commune"

    class Meta:
        verbose_name = _("former name of a commune")
        verbose_name_plural = _("former names of communes")
        ordering = ["commune", "start"]
        constraints = NameHistory.history_constraints("commune", "communes_communename")


class VillageName(NameHistory):
    village = models.ForeignKey(Village, verbose_name=_("village"), on_delete=models.CASCADE, related_name="names")

    record_field = "village"

    class Meta:
        verbose_name = _("former name of a village")
        verbose_name_plural = _("former names of villages")
        ordering = ["village", "start"]
        constraints = NameHistory.history_constraints("village", "communes_villagename")


# --- Villages that move -----------------------------------------------------------------------------


class VillageCommune(Period):
    """A village belonged to a commune for a period; ``Village.commune`` is the commune of the open period.

    Written by :func:`apps.communes.services.move_villages`. A village with no period covering a day
    belongs, that day, to ``Village.commune`` (as before periods existed).
    """

    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.CASCADE, related_name="commune_periods"
    )
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="village_periods"
    )

    class Meta:
        verbose_name = _("village's commune for a period")
        verbose_name_plural = _("villages' communes over time")
        ordering = ["village", "start"]
        constraints = [
            Period.period_constraint("communes_villagecommune_ends_after_start"),
            Period.plausible_dates_constraint("communes_villagecommune_dates_plausible"),
            ExclusionConstraint(
                name="communes_villagecommune_one_commune_at_a_time",
                expressions=[
                    ("village", RangeOperators.EQUAL),
                    (DateRange("start", "end"), RangeOperators.OVERLAPS),
                ],
                violation_error_message=VILLAGE_IN_TWO_COMMUNES,
            ),
        ]
        indexes = [
            # commune_of_village_on: "the period of this village that contains this day".
            models.Index(fields=["village", "start"], name="communes_vc_village_day_idx"),
            # Scope commune=CODE: "villages that were ever in these communes".
            models.Index(fields=["commune", "village"], name="communes_vc_commune_idx"),
        ]

    def __str__(self) -> str:
        until = document_date(self.end) if self.end else "…"
        return f"{self.village.name} → {self.commune} ({document_date(self.start)} – {until})"


def commune_of_village_on(village, day, *, attribute: str = "id") -> Coalesce:
    """The commune (its ``attribute``) a village belonged to on a day, as an expression for annotations and filters.

    ``village`` and ``day`` are values or expressions of the outer query (``OuterRef("pk")``,
    ``OuterRef("date")``). Two indexed look-ups at most: the village's period containing the day, else
    the village's ``commune`` (a village whose periods were never recorded).
    """
    then = VillageCommune.objects.filter(active_on(day), village=village).order_by().values(f"commune__{attribute}")[:1]
    now = Village.objects.filter(pk=village).order_by().values(f"commune__{attribute}")[:1]
    return Coalesce(Subquery(then), Subquery(now), output_field=Commune._meta.get_field(attribute))
