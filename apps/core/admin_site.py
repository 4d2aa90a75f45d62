"""The programme's admin site: its name, an index grouped the way staff think of the records (area,
units, households, help given, configuration) instead of by Django app, and an Excel export of any
filtered changelist (see :mod:`apps.core.admin_export`).

The building blocks every app's admin shares are in :mod:`apps.core.admin_base` and, scoped to what
each person may touch, :mod:`apps.accounts.admin_base`.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db import DatabaseError
from django.http import Http404, HttpRequest
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext_lazy as _

from apps.core.admin_export import export_changelist

# The index, grouped as the programme speaks of its records: (key, title, ["app_label.model_name", ...]).
# Models not listed keep their own app's box after these, so nothing registered is ever hidden.
INDEX_SECTIONS: list[tuple[str, Any, list[str]]] = [
    ("area", _("Area"), ["communes.commune", "communes.village"]),
    (
        "units",
        _("Agencies and units"),
        ["units.unitgroup", "units.unit", "units.groupmembership", "units.assignment", "units.member"],
    ),
    (
        "households",
        _("Poor households and students"),
        ["households.household", "households.householdstatus", "households.student", "households.target"],
    ),
    (
        "help",
        _("Pledges and help given"),
        ["pledges.pledge", "donations.donation", "donations.repayment", "donations.item"],
    ),
    (
        "publishing",
        _("Public portal"),
        [
            "portal.article",
            "portal.websitelink",
            "portal.reviewperiod",
            "portal.visitcountersettings",
            "portal.dailyvisits",
        ],
    ),
    ("reports", _("Reports"), ["reports.frozenreport"]),
    ("history", _("Change history"), ["pghistory.events"]),
    (
        "configuration",
        _("Configuration"),
        [
            "core.programmesettings",
            "bodies.issuingbody",
            "households.povertystandard",
            "households.deprivationindicator",
            "households.povertycause",
            "accounts.focalpoint",
            "auth.user",
            "auth.group",
        ],
    ),
]


class ProgrammeAdminSite(admin.AdminSite):
    site_title = _("Programme administration")
    index_title = _("Records of the programme")
    # Lists have many columns; the full width serves data entry better than a second menu.
    enable_nav_sidebar = False

    @property
    def site_header(self) -> str:  # type: ignore[override]
        # The programme's short name as the district set it; the default before the table exists.
        from apps.core.models import ProgrammeSettings

        try:
            name = ProgrammeSettings.objects.values_list("short_name", flat=True).first()
        except DatabaseError:
            name = None
        return name or str(_("Helping poor households"))

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().each_context(request)
        # The import and report pages belong to other apps; the index must work before (or without) them.
        context["import_url"] = _url_or_none("imports:upload")
        context["report_links"] = [
            (title, url)
            for title, url in [
                (_("Summary report"), _url_or_none("reports:summary")),
                (_("Monitoring: who is on track, who is behind"), _url_or_none("reports:monitoring")),
            ]
            if url
        ]
        return context

    def get_urls(self):
        # One export view for every registered list, so no changelist lacks its "Export to Excel".
        export = path("export/<str:app_label>/<str:model_name>/", self.admin_view(self.export_view), name="export")
        return [export, *super().get_urls()]

    def export_view(self, request: HttpRequest, app_label: str, model_name: str):
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            raise Http404 from None
        if model not in self._registry:
            raise Http404
        return export_changelist(self._registry[model], request)

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        if app_label:
            return super().get_app_list(request, app_label)
        app_dict = self._build_app_dict(request)
        models_by_key = {
            f"{app['app_label']}.{model['object_name'].lower()}": model
            for app in app_dict.values()
            for model in app["models"]
        }
        placed: set[str] = set()
        sections = []
        # Third-party records whose own names are not in Vietnamese.
        if "pghistory.events" in models_by_key:
            models_by_key["pghistory.events"]["name"] = _("Changes to records")
        for key, title, model_keys in INDEX_SECTIONS:
            models = [models_by_key[k] for k in model_keys if k in models_by_key]
            placed.update(model_keys)
            if models:
                sections.append(
                    {"name": title, "app_label": key, "app_url": "", "has_module_perms": True, "models": models}
                )
        for app in sorted(app_dict.values(), key=lambda a: a["name"].lower()):
            rest = [m for m in app["models"] if f"{app['app_label']}.{m['object_name'].lower()}" not in placed]
            if rest:
                sections.append({**app, "models": sorted(rest, key=lambda m: m["name"])})
        return sections


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None
