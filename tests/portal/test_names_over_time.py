"""The public pages name places as of their date, on the demo district after the 2025 merger."""

import re
from collections import Counter

import pytest
from django.urls import reverse

from apps.communes.models import Commune
from apps.core.models import ProgrammeSettings
from apps.portal import selectors

pytestmark = pytest.mark.django_db

NEW_COMMUNES = ["TAY_HOA_2025", "HOA_THINH_2025", "HOA_MY_2025", "SON_THANH_2025"]
NEW_NAMES = ["Tây Hòa", "Hòa Thịnh", "Hòa Mỹ", "Sơn Thành"]


def _row_labels(page: str) -> list[str]:
    """The visible name of each commune row of the commune list."""
    first_table = page[page.index("<table") : page.index("</table>")]
    return [label.strip() for label in re.findall(r'<th scope="row"><a href="[^"]+">(.*?)</a>', first_table)]


def test_commune_list_shows_the_four_communes_with_their_villages_and_no_name_twice(visitor):
    page = visitor.get(reverse("portal:communes")).content.decode()
    labels = _row_labels(page)
    assert labels[:4] == sorted(f"Xã {name}" for name in NEW_NAMES)
    assert not [label for label, count in Counter(labels).items() if count > 1]
    assert "Xã Hòa Đồng (nay thuộc xã Hòa Thịnh)" in labels
    assert "Xã Hòa Thịnh (trước 01/7/2025) (nay thuộc xã Hòa Thịnh)" in labels
    rows = {row["commune"].code: row["commune"].village_count for row in selectors.commune_overview(today=_today())}
    assert all(rows[code] >= 13 for code in NEW_COMMUNES)
    assert rows["HOA_DONG"] == 6  # an old commune keeps the villages it had on its last day


def test_a_new_commune_page_lists_the_villages_moved_from_its_old_communes(visitor):
    page = visitor.get(reverse("portal:commune", args=["HOA_THINH_2025"])).content.decode()
    assert "Thôn Mỹ Hòa 1" in page and "Thôn Mỹ Hòa 2" in page
    assert "Thôn Phú Diễn" in page  # from Hòa Đồng


def test_an_old_commune_page_says_what_it_is_part_of_now_and_lists_its_villages_then(visitor):
    page = visitor.get(reverse("portal:commune", args=["HOA_DONG"])).content.decode()
    assert "<h1>Xã Hòa Đồng (nay thuộc xã Hòa Thịnh)</h1>" in page
    assert "Thôn Mỹ Hòa<" in page  # its name before the villages were numbered at the merger
    assert "Mỹ Hòa 1" not in page


def test_the_results_page_for_2014_2018_mentions_nothing_of_the_2025_merger(visitor):
    page = visitor.get(reverse("portal:results"), {"from": "2014-02-14", "to": "2018-10-24"}).content.decode()
    # The quick choices of period offer other periods (this year, last year): links, not the page's subject.
    page = re.sub(r'<nav class="quick-periods".*?</nav>', "", page, flags=re.DOTALL)
    options = dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', page))
    assert options["HOA_THINH"] == "Xã Hòa Thịnh"  # the old commune, under its name of then
    assert not set(NEW_COMMUNES) & set(options)
    assert "Xã Tây Hòa" not in options.values()  # the other new names are also old ones ("Xã Hòa Thịnh")
    assert "nay thuộc" not in page
    assert "2025" not in page
    assert "(giúp xã" not in page  # the groups' names of after the merger


def test_the_results_page_for_an_old_commune_before_the_merger_uses_its_name_then(visitor):
    query = {"from": "2014-02-14", "to": "2018-10-24", "commune": "HOA_THINH"}
    page = visitor.get(reverse("portal:results"), query).content.decode()
    assert "· Xã Hòa Thịnh" in page
    assert "trước 01/7/2025" not in page


def test_the_old_and_the_new_commune_party_committee_are_told_apart_on_the_units_page(visitor):
    page = visitor.get(reverse("portal:units")).content.decode()
    assert "Đảng ủy xã Hòa Thịnh (trước 01/7/2025)" in page
    assert page.count(">Đảng ủy xã Hòa Thịnh<") == 1


def test_pages_take_their_title_and_footer_from_the_site_owner_and_say_nothing_of_a_district(visitor):
    settings_row = ProgrammeSettings.load()
    settings_row.site_owner = "Đảng ủy xã Ea Kar"
    settings_row.area_name = "xã Ea Kar, tỉnh Đắk Lắk"
    settings_row.save()
    for name in ("portal:home", "portal:communes", "portal:units", "portal:results"):
        page = visitor.get(reverse(name)).content.decode()
        fixed_text = _without_data(page)
        assert "Đảng ủy xã Ea Kar" in page
        assert "<title>" in page and "· xã Ea Kar, tỉnh Đắk Lắk</title>" in page
        assert "huyện" not in fixed_text.lower()
        assert "Tây Hòa" not in fixed_text


def _without_data(page: str) -> str:
    """The page without the demo's own names (communes, units, groups, news): the templates' words remain."""
    page = re.sub(r"<(a|option|th|td|li)\b[^>]*>.*?</\1>", "", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


def _today():
    from django.utils import timezone

    return timezone.localdate()


def test_commune_overview_puts_the_communes_of_today_first():
    rows = selectors.commune_overview(today=_today())
    existing = [row["commune"].successor_id is None for row in rows]
    assert existing == sorted(existing, reverse=True)
    assert {row["commune"].code for row in rows if row["commune"].successor_id is None} == set(NEW_COMMUNES)
    assert Commune.objects.count() == len(rows)
