"""The public pages: thin views over apps.portal.selectors and apps.donations.selectors.totals."""

from __future__ import annotations

import datetime
import io
import json
from functools import wraps
from typing import Any

from csp.constants import NONE, SELF
from csp.decorators import csp
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from apps.communes.models import Commune, name_history
from apps.core.dates import BadDate, parse_date
from apps.donations.params import PeriodScope, parse_period_scope
from apps.donations.selectors import totals
from apps.pledges.selectors import BEHIND_MARGIN
from apps.portal import open_data, selectors
from apps.portal.caching import TOO_MANY_REQUESTS, over_rate_limit, public_page
from apps.portal.models import Article, ReviewPeriod
from apps.portal.presenters import figures_table, sector_table, yearly_charts
from apps.units.models import Unit, UnitGroup

# Public pages run no script at all and load everything from this site.
PUBLIC_CSP = {
    "default-src": [SELF],
    "script-src": [NONE],
    "object-src": [NONE],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "base-uri": [NONE],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}
ARTICLES_PER_PAGE = 10
# A province has about 2.000 units: a page of them stays light on a phone (the search page finds one by name).
UNITS_PER_PAGE = 100
# More assignments than this and the home page says how many there are and links to the communes page.
HOME_ASSIGNMENTS_SHOWN = 40
# The pages explain the on-track rule with the margin the rule itself uses, so the text cannot drift from it.
BEHIND_MARGIN_POINTS = int(BEHIND_MARGIN * 100)


def public(view):
    """A public page: strict CSP, cached, counted as a visit."""
    return csp(PUBLIC_CSP)(public_page(view))


def searchable(view):
    """A public page answering any text typed in (search): strict CSP and counted as a visit, but never
    cached whole, since the page cache keys only the period and scope parameters (apps.portal.caching);
    each answer counts against the address's limit instead."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if over_rate_limit(request):
            response = HttpResponse(TOO_MANY_REQUESTS, status=429, content_type="text/plain; charset=utf-8")
            response["Retry-After"] = "60"
            return response
        return view(request, *args, **kwargs)

    wrapper.counts_as_visit = True  # type: ignore[attr-defined]
    return csp(PUBLIC_CSP)(wrapper)


def _results_url(scope: PeriodScope) -> str:
    return f"{reverse('portal:results')}?{urlencode(scope.as_query())}"


@public
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    programme_start = selectors.programme_settings().programme_start
    periods = []
    phase_start = selectors.current_phase_start(today=today)
    if phase_start and phase_start > programme_start:
        periods.append({"title": _("The current phase"), "start": phase_start, "end": today})
    periods.append({"title": _("Since the programme began"), "start": programme_start, "end": today})
    review = ReviewPeriod.objects.filter(shown_on_home=True).select_related("article").first()
    if review:
        periods.append({"title": review.title, "start": review.start, "end": review.end, "review": review})
    for period in periods:
        period["figures"] = totals(start=period["start"], end=period["end"])
        sector_labels = selectors.sector_labels_for_period(start=period["start"], end=period["end"])
        period["table"] = sector_table(period["figures"], sector_labels=sector_labels)
        period["results_url"] = _results_url(PeriodScope(start=period["start"], end=period["end"]))
    series = selectors.yearly_series(start=programme_start, end=today)
    return render(
        request,
        "portal/home.html",
        {
            "periods": periods,
            "since_start": periods[-2] if review else periods[-1],
            "charts": yearly_charts(series),
            "chart_query": urlencode({"from": programme_start.isoformat()}),
            "series": series,
            "poverty": selectors.escaped_poverty(),
            "assignments": _home_assignments(today),
            "articles": selectors.latest_articles(limit=3),
            "today": today,
        },
    )


def _home_assignments(today: datetime.date) -> dict[str, Any]:
    """Who helps which commune, as a table on the home page of a district; a province's hundreds of rows are
    one sentence there (a phone would scroll through them all), each commune's groups on the communes page."""
    counts = selectors.assignment_counts(today=today)
    if counts["assignments"] <= HOME_ASSIGNMENTS_SHOWN:
        return {"rows": list(selectors.current_assignments(today=today))}
    return {"rows": [], "groups": counts["groups"], "communes": counts["communes"]}


def _quick_periods(scope: PeriodScope, *, today: datetime.date) -> list[dict[str, Any]]:
    """Periods a visitor picks in one click, each a link that keeps the chosen commune or group."""
    start = selectors.programme_settings().programme_start
    periods: list[tuple[Any, datetime.date | None, datetime.date | None, dict[str, str]]] = [
        (_("This year"), datetime.date(today.year, 1, 1), today, {}),
        (_("Last year"), datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31), {}),
        (_("Since the programme began"), start, today, {}),
    ]
    periods += [(review.title, review.start, review.end, {}) for review in ReviewPeriod.objects.all()]
    for report in selectors.approved_report_periods():
        scope_query = {key: report[key] for key in ("commune", "group") if report[key]}
        periods.append((_("Approved report"), report["start"], report["end"], scope_query))
    keep = {key: value for key, value in scope.as_query().items() if key in ("commune", "group")}
    choices = []
    for title, first, last, scope_query in periods:
        query = {"from": first.isoformat(), "to": last.isoformat(), **(scope_query or keep)}
        choices.append({"title": title, "start": first, "end": last, "url": f"?{urlencode(query)}"})
    return choices


FORM_BAD_DATE = _("“%(field)s” must be a real date written as day/month/year, for example 14/02/2014.")


def _typed_date_errors(data: QueryDict) -> list[str]:
    """The form's words for a date it cannot read (the parameter's own message speaks of YYYY-MM-DD)."""
    errors = []
    for name, field in (("from", _("From")), ("to", _("To"))):
        if raw := (data.get(name) or "").strip():
            try:
                parse_date(raw)
            except BadDate:
                errors.append(str(FORM_BAD_DATE % {"field": field}))
    return errors


def _date_text(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


@public
def results(request: HttpRequest) -> HttpResponse:
    # The form's dates are typed as dd/mm/yyyy; links (and the open data) write yyyy-mm-dd: both are read.
    scope = parse_period_scope(request.GET, strict_iso=False)
    error = (_typed_date_errors(request.GET) or scope.errors or [None])[0]
    typed = {"from": _date_text(scope.start), "to": _date_text(scope.end)}
    if error:
        typed = {"from": request.GET.get("from", ""), "to": request.GET.get("to", "")}
        scope = PeriodScope()
    figures = totals(start=scope.start, end=scope.end, commune=scope.commune, group=scope.group)
    series = selectors.yearly_series(start=scope.start, end=scope.end, commune=scope.commune, group=scope.group)
    # A page about a past period names everything as on its last day and knows nothing later.
    today = timezone.localdate()
    last_day = min(scope.end, today) if scope.end else today
    first_day = scope.start or selectors.programme_settings().programme_start
    sector_labels = selectors.sector_labels_for_period(start=first_day, end=max(first_day, last_day))
    return render(
        request,
        "portal/results.html",
        {
            "scope": scope,
            "error": error,
            "figures": figures,
            "table": sector_table(figures, sector_labels=sector_labels),
            "charts": yearly_charts(series),
            "chart_query": urlencode(scope.as_query()),
            "series": series,
            "query": urlencode(scope.as_query()),
            "communes": [(c.code, label) for c, label in selectors.communes_of_period(start=scope.start, end=last_day)],
            "commune_label": scope.commune.display_name(on=last_day) if scope.commune else "",
            "group_name": scope.group.name_on(last_day) if scope.group else "",
            "groups": [(g.code, g.name_then) for g in selectors.groups_of_period(start=scope.start, end=last_day)],
            "params": request.GET,
            "typed": typed,
            "quick_periods": _quick_periods(scope, today=today),
        },
        status=400 if error else 200,
    )


@public
def commune_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "portal/commune_list.html",
        {"rows": selectors.commune_overview(today=today)},
    )


@public
def commune_detail(request: HttpRequest, code: str) -> HttpResponse:
    commune = get_object_or_404(Commune.objects.select_related("successor"), code=code)
    today = timezone.localdate()
    figures = totals(commune=commune)
    series = selectors.yearly_series(commune=commune)
    predecessors = commune.predecessors.with_names_on(today).prefetch_related(name_history()).order_by("name")
    return render(
        request,
        "portal/commune_detail.html",
        {
            "commune": commune,
            "commune_label": commune.present_name(today),
            "predecessors": [(p, p.display_name(on=today)) for p in predecessors],
            "history": selectors.commune_history(commune=commune, today=today),
            "villages": selectors.commune_villages(commune=commune, today=today),
            "targets": selectors.commune_targets(commune=commune),
            "poverty": selectors.escaped_poverty(commune=commune),
            "table": figures_table([(_("Since the programme began"), figures["total"])]),
            "charts": yearly_charts(series),
            "chart_query": urlencode({"commune": commune.code}),
            "series": series,
            "results_url": _results_url(PeriodScope(commune=commune)),
        },
    )


@public
def unit_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    page = Paginator(Unit.objects.order_by("kind", "name", "pk").only("pk"), UNITS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "portal/unit_list.html",
        {
            "group_count": UnitGroup.objects.count(),
            "page": page,
            "units": selectors.units_with_progress(
                today=today, units=Unit.objects.filter(pk__in=[unit.pk for unit in page])
            ),
            "today": today,
            "behind_margin": BEHIND_MARGIN_POINTS,
        },
    )


@public
def group_list(request: HttpRequest) -> HttpResponse:
    """The groups of units, on a page of their own: a province's 200 above its units made the unit list a long way
    down to the first unit on a phone."""
    return render(request, "portal/group_list.html", {"groups": selectors.groups_overview(today=timezone.localdate())})


@public
def group_detail(request: HttpRequest, code: str) -> HttpResponse:
    group = get_object_or_404(UnitGroup, code=code)
    today = timezone.localdate()
    figures = totals(group=group)
    series = selectors.yearly_series(group=group)
    return render(
        request,
        "portal/group_detail.html",
        {
            "group": group,
            "assignments": selectors.group_assignments(group=group),
            "units": selectors.group_units(group=group, today=today),
            "table": sector_table(figures),
            "charts": yearly_charts(series),
            "chart_query": urlencode({"group": group.code}),
            "series": series,
            "places": selectors.helped_places(group=group, today=today),
            "results_url": _results_url(PeriodScope(group=group)),
            "today": today,
            "behind_margin": BEHIND_MARGIN_POINTS,
        },
    )


@public
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    today = timezone.localdate()
    unit = selectors.unit_with_progress(code=code, today=today)
    if unit is None:
        raise Http404
    series = selectors.yearly_series(unit=unit)
    return render(
        request,
        "portal/unit_detail.html",
        {
            "unit": unit,
            "memberships": selectors.unit_memberships(unit=unit),
            "pledges": selectors.unit_pledges_summary(unit=unit),
            "given": selectors.unit_totals(unit=unit),
            "charts": yearly_charts(series),
            "chart_query": urlencode({"unit": unit.code}),
            "series": series,
            "places": selectors.helped_places(unit=unit, today=today),
            "commune_label": unit.commune.present_name(today) if unit.commune else "",
            "kinds": Unit.Kind,
            "behind_margin": BEHIND_MARGIN_POINTS,
        },
    )


@public
def article_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Article.objects.published().defer("body"), ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/article_list.html", {"page": page})


@public
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.published(), slug=slug)
    return render(request, "portal/article_detail.html", {"article": article})


SEARCH_MAX_LENGTH = 100


@searchable
def search(request: HttpRequest) -> HttpResponse:
    """Communes, groups, units and news matching the words typed, without diacritics; a plain form."""
    text = request.GET.get("q", "").strip()
    error = None
    if len(text) > SEARCH_MAX_LENGTH:
        error = _("Type at most %(count)s characters.") % {"count": SEARCH_MAX_LENGTH}
        results = selectors.search(text="", today=timezone.localdate())
    else:
        results = selectors.search(text=text, today=timezone.localdate())
    found = sum(len(found) for found in results.values())
    return render(
        request,
        "portal/search.html",
        {"text": text, "results": results, "found": found, "error": error},
        status=400 if error else 200,
    )


# Django's set_language, without the CSRF token: every public page carries the switch, and a page served
# from the page cache cannot hold a token of its visitor's own. A forged request could only change the
# language someone reads the site in.
choose_language = csrf_exempt(require_POST(set_language))


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Search engines may read the public pages, not the staff's, and find them all in the sitemap."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /reports/",
        "Disallow: /staff/",
        f"Disallow: {reverse('portal:search')}",
        f"Sitemap: {request.build_absolute_uri(reverse('portal:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# The example of the open-data guide: the 2014–2018 review, the period every district official knows.
EXAMPLE_QUERY = {"from": "2014-02-14", "to": "2018-10-24"}


@public
def open_data_guide(request: HttpRequest) -> HttpResponse:
    """Each open-data file, its parameters and fields, in Vietnamese and English, with live examples."""
    today = timezone.localdate()
    example = open_data.summary(parse_period_scope(QueryDict(urlencode(EXAMPLE_QUERY)), strict_iso=True))
    example_csv = io.StringIO()
    open_data.write_summary_csv(example_csv, example)
    return render(
        request,
        "portal/open_data.html",
        {
            "example_query": urlencode(EXAMPLE_QUERY),
            "example_json": json.dumps(example, ensure_ascii=False, indent=2),
            "example_csv": "\n".join(example_csv.getvalue().splitlines()[:2]),
            "communes": selectors.communes_of_period(start=None, end=today),
            "groups": selectors.groups_of_period(start=None, end=today),
        },
    )


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; the file is a static one (hashed in production,
    so its address is looked up when asked, not when the URLs load)."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))
