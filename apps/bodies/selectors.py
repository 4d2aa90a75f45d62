"""Which body issues a report: the one in charge of the report's period and scope.

On a given day, a body whose area names the report's commune (or a commune it was later merged
into) is in charge of it; failing that, a body covering the whole installation. A report without
a commune can only be issued by a body covering the whole installation. A period may therefore
fall to several bodies (a report spanning the 2025 reform) or, on some days, to none.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.bodies.models import IssuingBody, format_term
from apps.communes.models import Commune

ONE_DAY = datetime.timedelta(days=1)

# What a report page shows when one body cannot issue the report.
SPANS_BODIES = _("This period falls under %(count)s issuing bodies: %(bodies)s.")
PARTLY_UNDER_BODY = _("Only part of this period falls under %(body)s.")
NOT_COVERED = _("No issuing body reports on %(scope)s for %(days)s.")
SPLIT_THE_PERIOD = _("Split the report into one period per issuing body.")
CHOOSE_A_COMMUNE = _("Choose a commune, or add an issuing body for the whole area in the administration.")
ADD_A_BODY_FOR_THE_COMMUNE = _("Add an issuing body for this area in the administration.")
THE_WHOLE_AREA = _("the whole area")
COUNT_WORDS = {
    2: pgettext_lazy("number of issuing bodies", "two"),
    3: pgettext_lazy("number of issuing bodies", "three"),
    4: pgettext_lazy("number of issuing bodies", "four"),
}

# The contract's sector keys (CONTRACT.md, open data) and what a document calls them by default.
DEFAULT_SECTOR_LABELS = {
    "district_units": pgettext_lazy("sector", "Agencies and units"),
    "commune_committees": pgettext_lazy("sector", "Commune party committees"),
    "other": pgettext_lazy("sector", "Other donors"),
}
SECTOR_LABEL_FIELDS = {
    "district_units": "district_units_label",
    "commune_committees": "commune_committees_label",
    "other": "other_label",
}


@dataclass(frozen=True)
class Segment:
    """Consecutive days of a report's period and the body in charge of them (None: no body)."""

    body: IssuingBody | None
    start: datetime.date
    end: datetime.date

    def dates_query(self) -> dict[str, str]:
        """The report's ``from``/``to`` parameters for this part of the period."""
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


@dataclass(frozen=True)
class Issuer:
    """Who issues a report on ``start``–``end`` (and ``commune``): one body, several, or none."""

    start: datetime.date
    end: datetime.date
    commune: Commune | None
    segments: tuple[Segment, ...]

    @property
    def body(self) -> IssuingBody | None:
        """The body that issues the report, when one body is in charge of every day of it."""
        return self.segments[0].body if len(self.segments) == 1 else None

    @property
    def parts(self) -> list[Segment]:
        """The parts of the period that a body can issue, in date order: what to split the report into."""
        return [segment for segment in self.segments if segment.body is not None]

    @property
    def uncovered(self) -> list[Segment]:
        """The days no body is in charge of."""
        return [segment for segment in self.segments if segment.body is None]

    @property
    def message(self) -> str:
        """What the report page says instead of the report; empty when one body issues it."""
        if self.body is not None:
            return ""
        sentences = []
        parts = self.parts
        if len(parts) > 1:
            count = len(parts)
            sentences.append(
                str(SPANS_BODIES)
                % {"count": COUNT_WORDS.get(count, count), "bodies": ", ".join(str(part.body) for part in parts)}
            )
        elif parts:
            sentences.append(str(PARTLY_UNDER_BODY) % {"body": parts[0].body})
        if uncovered := self.uncovered:
            sentences.append(
                str(NOT_COVERED)
                % {
                    "scope": self._scope_in_words(),
                    "days": ", ".join(format_term(gap.start, gap.end) for gap in uncovered),
                }
            )
        if parts:
            sentences.append(str(SPLIT_THE_PERIOD))
        elif self.commune is None:
            sentences.append(str(CHOOSE_A_COMMUNE))
        else:
            sentences.append(str(ADD_A_BODY_FOR_THE_COMMUNE))
        return " ".join(sentences)

    def _scope_in_words(self) -> str:
        if self.commune is None:
            return str(THE_WHOLE_AREA)
        # "xã Tây Hòa": the common noun is written in lower case inside a sentence.
        return f"{self.commune.get_kind_display()} {self.commune.name}"


def issuer_for(*, start: datetime.date, end: datetime.date, commune: Commune | None = None) -> Issuer:
    """The body or bodies in charge of a report on ``start``–``end`` (both included), for ``commune`` or all.

    Two queries at most, however long the period and however many bodies: the period is cut only
    where a body's term begins or ends.
    """
    if end < start:
        raise ValueError(f"The period ends ({end}) before it starts ({start}).")
    bodies = IssuingBody.objects.on_duty_between(start, end)
    if commune is None:
        ranked = [(body, 0) for body in bodies.filter(whole_installation=True)]
    else:
        # The commune first, then what it was merged into: the nearer, the more it is the body's own.
        chain = _commune_and_successors(commune)
        named = IssuingBody.communes.through.objects.filter(issuingbody=OuterRef("pk"), commune__in=chain)
        bodies = bodies.filter(Q(whole_installation=True) | Exists(named)).annotate(
            named_communes=ArraySubquery(named.values("commune"))
        )
        rank = {commune_id: index for index, commune_id in enumerate(chain)}
        whole_installation_rank = len(chain)
        ranked = [
            (body, min((rank[commune_id] for commune_id in body.named_communes), default=whole_installation_rank))
            for body in bodies
        ]
    return Issuer(start=start, end=end, commune=commune, segments=tuple(_segments(ranked, start, end)))


def sector_labels_for(*, body: IssuingBody | None) -> dict[str, str]:
    """The sectors' labels as ``body``'s documents write them (``issuer.body``), keyed by the contract's keys.

    A label the body leaves empty, or every label when there is no body, is the neutral default.
    """
    labels = {}
    for sector, default in DEFAULT_SECTOR_LABELS.items():
        own = getattr(body, SECTOR_LABEL_FIELDS[sector], "") if body is not None else ""
        labels[sector] = own or str(default)
    return labels


def _commune_and_successors(commune: Commune) -> list[int]:
    """The commune's id, then the id of the commune it was merged into, and so on (no query if never merged)."""
    chain = [commune.pk]
    if commune.successor_id is None:
        return chain
    successor_of = dict(Commune.objects.filter(successor__isnull=False).values_list("pk", "successor_id"))
    while (successor := successor_of.get(chain[-1])) is not None and successor not in chain:
        chain.append(successor)
    return chain


def _segments(ranked: list[tuple[IssuingBody, int]], start: datetime.date, end: datetime.date) -> list[Segment]:
    """Cut start–end where a term begins or ends, and give each piece the first body in precedence.

    Precedence: the lower rank (the commune itself, then its successors, then the whole
    installation); between bodies of one rank, which the admin and services never let overlap,
    the later term, then the higher id, so the answer never depends on the order of rows.
    """
    cuts = {start}
    for body, _rank in ranked:
        if start < body.start <= end:
            cuts.add(body.start)
        if body.end is not None and start <= body.end < end:
            cuts.add(body.end + ONE_DAY)
    boundaries = sorted(cuts)
    segments: list[Segment] = []
    for index, first_day in enumerate(boundaries):
        last_day = boundaries[index + 1] - ONE_DAY if index + 1 < len(boundaries) else end
        on_duty = [
            (rank, -body.start.toordinal(), -body.pk, body)
            for body, rank in ranked
            if body.start <= first_day and (body.end is None or body.end >= first_day)
        ]
        chosen = min(on_duty, key=lambda entry: entry[:3])[3] if on_duty else None
        if segments and segments[-1].body == chosen:
            segments[-1] = Segment(body=chosen, start=segments[-1].start, end=last_day)
        else:
            segments.append(Segment(body=chosen, start=first_day, end=last_day))
    return segments


def body_in_charge_lately(*, on: datetime.date, commune: Commune | None = None) -> IssuingBody | None:
    """The body issuing reports on ``commune`` (or on everything) on ``on``; failing that, the last one before.

    What a report opened without dates covers: that body's term, up to ``on``. Between two bodies'
    terms, or after the last whole-installation body ended, it is the one that ended last.
    """
    if (body := issuer_for(start=on, end=on, commune=commune).body) is not None:
        return body
    area = Q(whole_installation=True)
    if commune is not None:
        area |= Q(communes__in=_commune_and_successors(commune))
    return IssuingBody.objects.filter(area, start__lte=on).order_by("-start", "-pk").first()


@dataclass(frozen=True)
class CommunePart:
    """A commune and the days of a period its own body reports on: a report to open instead."""

    commune: Commune
    segment: Segment


def commune_parts(*, issuer: Issuer) -> list[CommunePart]:
    """For the days no body covers a report on everything: the communes whose own bodies report on them.

    Two queries, whatever the number of bodies and communes.
    """
    if issuer.commune is not None or not issuer.uncovered:
        return []
    parts = []
    bodies = (
        IssuingBody.objects.on_duty_between(issuer.start, issuer.end)
        .filter(whole_installation=False)
        .prefetch_related("communes")
        .order_by("start", "name")
    )
    for body in bodies:
        for gap in issuer.uncovered:
            first_day, last_day = max(gap.start, body.start), min(gap.end, body.end or gap.end)
            if first_day > last_day:
                continue
            for commune in sorted(body.communes.all(), key=lambda c: c.name):
                parts.append(CommunePart(commune=commune, segment=Segment(body=body, start=first_day, end=last_day)))
    return parts
