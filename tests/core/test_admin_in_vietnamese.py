"""Every admin page of every record type reads in Vietnamese, Django's own words included (issue 13).

The walk visits, as a superuser in Vietnamese, each registered model's list, add form, the change form
of one record, its delete confirmation and history, and an add form sent empty (the error banner). The
demo holds a record of nearly every type; the few it lacks (a report draft, an approved report, a day's
visits, a queued task) are made first, so that no record type's pages are left out of the walk. On
each page the visible text and the words read to screen readers (title, aria-label, placeholder) are
checked against the English msgids of Django's admin, auth and forms catalogues and a list of English
admin words: any one of them on the page is a string the Vietnamese catalogues do not translate.
"""

from __future__ import annotations

import ast
import contextlib
import datetime
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from apps.bodies.models import IssuingBody
from apps.communes.models import Commune
from apps.imports.tasks import run_import
from apps.portal.models import DailyVisits
from apps.reports.models import CommuneOrder, FrozenReport, ReportDraft

pytestmark = pytest.mark.django_db

DJANGO = Path(django.__file__).parent
CATALOGUES = [
    DJANGO / "contrib" / "admin" / "locale" / "en" / "LC_MESSAGES" / "django.po",
    DJANGO / "contrib" / "auth" / "locale" / "en" / "LC_MESSAGES" / "django.po",
    DJANGO / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po",
]
# English words of the admin that no Vietnamese page has a reason to show, whatever their msgid.
ENGLISH_WORDS = [
    "Add",
    "Change",
    "Delete",
    "Save",
    "History",
    "Search",
    "Filter",
    "Action",
    "Go",
    "selected",
    "results",
    "total",
    "Show counts",
    "Hide counts",
    "Toggle",
    "Skip to",
    "Please correct",
    "Select all",
    "Yes",
    "None",
    "Unknown",
    "Today",
    "Log out",
    "Welcome",
    "Clear",
]
# Not English words, or written the same in Vietnamese.
NOT_ENGLISH = {"URL", "IPv4", "IPv6", "JSON", "UUID", "LDAP", "Django", "Email", "PM", "AM", "slug", "Slug", "email"}


def _english_msgids() -> list[tuple[str, bool]]:
    """Every msgid (and plural) of Django's English catalogues, context strings aside; True for the admin's own."""
    msgids: list[tuple[str, bool]] = []
    for path in CATALOGUES:
        entry: dict[str, str] = {}
        key = ""
        for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
            if match := re.match(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (\".*\")$", line):
                key = match.group(1)
                entry[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key:
                entry[key] += ast.literal_eval(line)
            elif not line.strip():
                # Abbreviations with a context ("Thu", "May") are also Vietnamese names: left out.
                if not entry.get("msgctxt"):
                    admins = "contrib/admin/" in path.as_posix()
                    msgids += [(entry[k], admins) for k in ("msgid", "msgid_plural") if entry.get(k)]
                entry, key = {}, ""
    return msgids


def _fragments(msgid: str, single_words: bool) -> list[str]:
    """The English text of a msgid between its placeholders, as it would appear on a page."""
    text = re.sub(r"<[^>]+>", " ", msgid)
    parts = re.split(r"%\(\w+\)[sdr]|%[sdr]|\{\w*\}", text)
    fragments = []
    for part in parts:
        part = " ".join(part.split()).strip(" .,:;“”\"'()-…?")
        if len(part) < 2 or not re.search(r"[A-Za-z]{2}", part) or part in NOT_ENGLISH:
            continue
        # Single words of the other catalogues ("Thu", "in", "name") collide with names and codes.
        if single_words or " " in part:
            fragments.append(part)
    return fragments


FRAGMENTS = sorted(
    {f for msgid, admins in _english_msgids() for f in _fragments(msgid, admins)} | set(ENGLISH_WORDS), key=len
)
PATTERN = re.compile("|".join(rf"(?<![\w-]){re.escape(f)}(?![\w-])" for f in reversed(FRAGMENTS)))


class _Text(HTMLParser):
    """What a person sees or hears: text outside scripts and styles, and the titles and labels read aloud."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder", "alt", "data-theme-label") and value:
                self.parts.append(value)
            if name == "value" and tag in ("button",) and value:
                self.parts.append(value)
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.parts.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data)


def english_on(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    found = []
    for text in parser.parts:
        found += [match.group(0) for match in PATTERN.finditer(" ".join(text.split()))]
    return sorted(set(found))


def _pages(model, model_admin) -> list[tuple[str, str, dict | None]]:
    """(what, url, POST data or None) for each page of the model's admin."""
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    pages: list[tuple[str, str, dict | None]] = [("list", reverse(f"{prefix}_changelist"), None)]
    with contextlib.suppress(NoReverseMatch):
        add = reverse(f"{prefix}_add")
        pages += [("add", add, None), ("form error", add, {"_save": "1"})]
    # One record of each type; the change history's events are read in the list only (no page of their own).
    if model._meta.label == "pghistory.Events":
        return pages
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"no {model._meta.label} to walk the change, delete and history pages of"
    pages += [(view, reverse(f"{prefix}_{view}", args=[obj.pk]), None) for view in ("change", "delete", "history")]
    return pages


MODELS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def test_the_walk_finds_the_english_it_is_meant_to_find():
    assert english_on('<p class="errornote">Please correct the error below.</p>') == ["Please correct the error below"]
    assert english_on('<a title="Toggle theme (current theme: auto)">x</a>') == ["Toggle theme (current theme: auto"]
    assert english_on('<p>Nguyễn Thị Thu, tháng 5 (May)</p><script>var x = "Save";</script>') == []
    assert english_on("<input type=submit value='Lưu'><h1>Lịch sử thay đổi</h1>") == []


@pytest.fixture
def one_record_of_each_type(admin_user):
    """The record types the demo holds none of, so that their change, delete and history pages are walked too."""
    period = {"start": datetime.date(2019, 1, 1), "end": datetime.date(2019, 12, 31)}
    if not ReportDraft.objects.exists():
        ReportDraft.objects.create(**period, sections={"tinh_hinh": "Đoạn văn thử."})
    if not FrozenReport.objects.exists():
        FrozenReport.objects.create(**period, figures={}, frozen_by=admin_user)
    DailyVisits.objects.get_or_create(day=datetime.date(2026, 12, 1), defaults={"views": 12_201})
    if not CommuneOrder.objects.exists():
        CommuneOrder.objects.create(issuer=IssuingBody.objects.first(), commune=Commune.objects.first(), position=1)
    run_import.enqueue("00000000-0000-0000-0000-000000000000")  # a queued task (django_tasks_db's result)


@pytest.mark.parametrize(("model", "model_admin"), MODELS, ids=[model._meta.label for model, _ in MODELS])
@pytest.mark.usefixtures("one_record_of_each_type")
def test_every_admin_page_of_the_record_type_is_in_vietnamese(admin_client, model, model_admin):
    admin_client.cookies["django_language"] = "vi"
    problems = {}
    with translation.override("vi"):
        for what, url, data in _pages(model, model_admin):
            response = admin_client.post(url, data) if data is not None else admin_client.get(url, follow=True)
            assert response.status_code in (200, 403), (what, url, response.status_code)
            if response.status_code == 200 and (english := english_on(response.content.decode())):
                problems[f"{what} {url}"] = english
    assert not problems, problems


def test_the_admins_javascript_speaks_vietnamese(admin_client):
    response = admin_client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="vi")
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", response.content.decode(), re.S).group(1))
    assert catalog["%(sel)s of %(cnt)s selected"] in ("Đã chọn %(sel)s/%(cnt)s", ["Đã chọn %(sel)s/%(cnt)s"])
    assert catalog["abbrev. day Sunday\x04Sun"] == "CN"
