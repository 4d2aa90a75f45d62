"""Search across the public site: places, units, groups and news, without diacritics, never a person."""

import datetime

import pytest
from django.urls import reverse

from apps.households.models import Household
from apps.portal.models import Article
from apps.units.models import Member

pytestmark = pytest.mark.django_db


def _search(client, text):
    return client.get(reverse("portal:search"), {"q": text})


def test_hoa_my_without_diacritics_finds_the_commune_hoa_my_first(visitor):
    page = _search(visitor, "hoa my").content.decode()
    communes = page.split('id="found-communes"')[1].split("</section>")[0]
    assert ">Xã Hòa Mỹ</a>" in communes
    assert communes.index(">Xã Hòa Mỹ</a>") < communes.index("Xã Hòa Mỹ Tây")  # today's commune first
    assert "Đảng ủy xã Hòa Mỹ" in page and "Nhóm cơ quan tỉnh giúp đỡ xã Hòa Mỹ" in page


def test_a_word_of_a_news_body_finds_the_article_but_not_an_unpublished_one(visitor):
    Article.objects.create(
        title="Trao bò giống",
        slug="trao-bo",
        body="Hộ được nhận một con bò giống lai Sind.",
        published_on=datetime.date(2026, 3, 1),
        is_published=True,
    )
    Article.objects.create(
        title="Bản nháp",
        slug="nhap",
        body="Bản nháp về bò giống lai Sind.",
        published_on=datetime.date(2026, 3, 2),
        is_published=False,
    )
    page = _search(visitor, "LAI sind").content.decode()
    assert "Trao bò giống" in page
    assert "Bản nháp" not in page


def test_every_word_must_match_in_the_same_name(visitor):
    page = _search(visitor, "hoa my khong-co-tu-nay").content.decode()
    assert "Hòa Mỹ" not in page.split("</form>")[1]


def test_search_never_finds_a_household_or_a_member(visitor):
    household = Household.objects.exclude(head_name="").first()
    member = Member.objects.first()
    for name in (household.head_name, member.name):
        page = _search(visitor, name).content.decode()
        assert f"“{name}”" in page  # the words typed are repeated back…
        results = page.split('role="status"')[1].split("</main>")[0]
        assert name not in results.replace(f"“{name}”", "")  # …but no result carries the name


def test_search_runs_a_fixed_number_of_queries(visitor, django_assert_max_num_queries):
    # 6 for the results (communes with their names then and their successors' names), 7 for the page and the counter.
    with django_assert_max_num_queries(13):
        assert _search(visitor, "hoa").status_code == 200


def test_a_search_too_long_is_refused_in_vietnamese_without_an_error_page(visitor):
    response = _search(visitor, "x" * 101)
    assert response.status_code == 400
    assert "Hãy gõ không quá 100 ký tự." in response.content.decode()


def test_every_public_page_has_a_search_form_that_needs_no_script(visitor):
    page = visitor.get(reverse("portal:home")).content.decode()
    assert f'<form class="site-search" method="get" action="{reverse("portal:search")}"' in page
    assert 'name="q"' in page
