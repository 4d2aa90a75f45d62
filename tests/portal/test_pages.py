import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.portal.models import Article
from apps.portal.selectors import units_with_progress, visit_counts
from apps.reports.monitoring import monitoring_lists
from apps.units.models import Unit
from tests.factories import DonationFactory, PledgeFactory, UnitFactory
from tests.portal.seeds import seed_programme

pytestmark = pytest.mark.django_db

REVIEW = {"from": "2014-02-14", "to": "2018-10-24"}


def _article(**fields) -> Article:
    defaults = {
        "title": "Tin thử",
        "slug": "tin-thu",
        "body": "Nội dung.",
        "published_on": datetime.date(2024, 5, 1),
        "is_published": True,
    }
    return Article.objects.create(**{**defaults, **fields})


# --- What a visitor sees (the demo district) -------------------------------------------


def test_results_page_shows_the_review_figures_of_the_demo_district(visitor):
    response = visitor.get(reverse("portal:results"), REVIEW)
    page = response.content.decode()
    assert response.status_code == 200
    assert "745.320.000 đ" in page
    assert "49.000.000 đ" in page
    assert ">1.325<" in page
    assert ">796<" in page
    assert ">1.009<" in page and ">1.075<" in page


def test_results_page_links_to_the_open_data_files_with_the_same_period(visitor):
    page = visitor.get(reverse("portal:results"), REVIEW).content.decode()
    assert "/open-data/summary.json?from=2014-02-14&amp;to=2018-10-24" in page
    assert "/open-data/summary.csv?from=2014-02-14&amp;to=2018-10-24" in page


def test_home_page_shows_the_reviewed_period_beside_the_current_figures(visitor):
    page = visitor.get(reverse("portal:home")).content.decode()
    assert "Sơ kết 4 năm" in page
    assert "745.320.000 đ" in page
    assert "<svg" in page and "<title" in page  # the chart is drawn on the server


def test_results_page_with_a_bad_date_says_so_in_the_forms_words_and_answers_400(visitor):
    response = visitor.get(reverse("portal:results"), {"from": "31/02/2018"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "“Từ ngày” phải là một ngày có thật, viết theo ngày/tháng/năm, ví dụ 14/02/2014." in page
    assert 'value="31/02/2018"' in page  # what was typed stays in the field to be corrected


def test_results_form_takes_dates_typed_as_day_month_year_and_shows_them_so(visitor):
    response = visitor.get(reverse("portal:results"), {"from": "14/02/2014", "to": "24/10/2018"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "745.320.000 đ" in page
    assert 'name="from" value="14/02/2014"' in page and 'name="to" value="24/10/2018"' in page
    assert 'type="date"' not in page  # no browser date picker, which wrote mm/dd/yyyy on some browsers
    assert "ví dụ 14/02/2014" in page  # the hint is written on the page, whatever the browser


def test_results_form_offers_quick_periods_that_keep_the_chosen_commune(visitor):
    today = timezone.localdate()
    page = visitor.get(reverse("portal:results"), {"commune": "HOA_MY_2025"}).content.decode()
    quick = page.split('class="quick-periods"')[1].split("</nav>")[0]
    assert f"?from={today.year}-01-01&amp;to={today.isoformat()}&amp;commune=HOA_MY_2025" in quick  # this year
    assert f"?from={today.year - 1}-01-01&amp;to={today.year - 1}-12-31&amp;commune=HOA_MY_2025" in quick
    assert "?from=2014-02-14&amp;to=2018-10-24&amp;commune=HOA_MY_2025" in quick  # the 2014–2018 review
    assert "Năm nay" in quick and "Năm trước" in quick and "Từ đầu chương trình" in quick and "Sơ kết" in quick


def test_results_form_offers_the_period_of_each_approved_report(visitor, django_user_model):
    from apps.reports.models import FrozenReport

    user = django_user_model.objects.create_user("lanh-dao-thu")
    FrozenReport.objects.create(
        start=datetime.date(2019, 1, 1), end=datetime.date(2023, 12, 31), figures={}, frozen_by=user
    )
    quick = visitor.get(reverse("portal:results")).content.decode().split('class="quick-periods"')[1]
    assert "Báo cáo đã duyệt" in quick and "?from=2019-01-01&amp;to=2023-12-31" in quick


def test_merged_commune_page_names_what_it_became_and_the_new_one_lists_it(visitor, merged_communes):
    old, new = merged_communes["old"], merged_communes["new"]
    old_page = visitor.get(reverse("portal:commune", args=[old.code])).content.decode()
    new_page = visitor.get(reverse("portal:commune", args=[new.code])).content.decode()
    assert reverse("portal:commune", args=[new.code]) in old_page
    assert "30/06/2025" in old_page
    assert reverse("portal:commune", args=[old.code]) in new_page
    assert merged_communes["group"].name in new_page


def test_commune_list_shows_merged_communes_with_their_successor(visitor, merged_communes):
    page = visitor.get(reverse("portal:communes")).content.decode()
    old, new = merged_communes["old"], merged_communes["new"]
    assert f"Xã {old.name} (nay thuộc xã {new.name})" in page


def test_group_page_lists_its_units_and_what_they_gave(visitor):
    seeded = seed_programme(2)
    page = visitor.get(reverse("portal:group", args=[seeded["group"].code])).content.decode()
    for unit in seeded["units"]:
        assert unit.name in page
    assert "3.000.000 đ" in page  # two units, 1.000.000 đ to a household and 500.000 đ to a student each


def test_unit_page_shows_what_the_unit_gave(visitor):
    seeded = seed_programme(1)
    page = visitor.get(reverse("portal:unit", args=[seeded["units"][0].code])).content.decode()
    assert "1.500.000 đ" in page
    assert seeded["commune"].name in page  # where it helped


def test_a_unit_is_behind_when_one_of_its_ended_pledges_was_not_fulfilled():
    today = datetime.date(2020, 1, 1)
    keeping, lagging = UnitFactory(), UnitFactory()
    for unit in (keeping, lagging):
        PledgeFactory(unit=unit, start=datetime.date(2019, 1, 1), end=datetime.date(2019, 12, 31), money_vnd=1_200_000)
    pledge = keeping.pledges.get()
    DonationFactory(
        unit=keeping, pledge=pledge, household=pledge.household, amount_vnd=1_200_000, date=datetime.date(2019, 6, 1)
    )
    DonationFactory(
        unit=lagging,
        household=pledge.household,
        amount_vnd=300_000,
        date=datetime.date(2019, 6, 1),
        pledge=lagging.pledges.get(),
    )
    progress = {
        unit.pk: unit
        for unit in units_with_progress(today=today, units=Unit.objects.filter(pk__in=[keeping.pk, lagging.pk]))
    }
    assert (progress[keeping.pk].on_track, progress[keeping.pk].pledges_fulfilled) == (True, 1)
    assert (progress[lagging.pk].on_track, progress[lagging.pk].pledges_overdue) == (False, 1)
    assert (progress[lagging.pk].pledged_vnd, progress[lagging.pk].given_to_pledges_vnd) == (1_200_000, 300_000)


def test_a_pledge_not_yet_started_neither_puts_a_unit_on_track_nor_behind():
    unit = UnitFactory()
    PledgeFactory(unit=unit, start=datetime.date(2019, 1, 10), end=datetime.date(2019, 12, 31), money_vnd=1_000_000)
    [row] = units_with_progress(today=datetime.date(2019, 1, 5), units=Unit.objects.filter(pk=unit.pk))
    assert (row.on_track, row.pledges_under_way, row.pledge_count, row.pledged_vnd) == (None, 0, 1, 1_000_000)


@pytest.mark.parametrize("size", [1, 6])
def test_units_progress_takes_three_queries_however_many_units_and_pledges(size, django_assert_num_queries):
    today = datetime.date(2019, 6, 1)
    units = UnitFactory.create_batch(size)
    for unit in units:
        pledge = PledgeFactory(
            unit=unit, start=datetime.date(2019, 1, 1), end=datetime.date(2019, 12, 31), money_vnd=1_000_000
        )
        DonationFactory(
            unit=pledge.unit,
            pledge=pledge,
            household=pledge.household,
            amount_vnd=500_000,
            date=datetime.date(2019, 2, 1),
        )
    with django_assert_num_queries(3):  # the units, their money given, their pledges' statuses
        progress = units_with_progress(today=today, units=Unit.objects.filter(pk__in=[unit.pk for unit in units]))
    assert [(unit.pledges_under_way, unit.given_to_pledges_vnd, unit.on_track) for unit in progress] == [
        (1, 500_000, True)
    ] * size


def test_a_unit_half_way_through_a_pledge_is_on_track_within_the_margin_the_leaders_use():
    unit = UnitFactory()
    pledge = PledgeFactory(
        unit=unit, start=datetime.date(2019, 1, 1), end=datetime.date(2019, 4, 10), money_vnd=1_000_000
    )
    DonationFactory(
        unit=unit, pledge=pledge, household=pledge.household, amount_vnd=400_000, date=datetime.date(2019, 1, 1)
    )
    day_50 = datetime.date(2019, 2, 19)
    [row] = units_with_progress(today=day_50, units=Unit.objects.filter(pk=unit.pk))
    assert (row.on_track, row.pledges_on_track, row.pledges_behind) == (True, 1, 0)


def _pledge_given(unit, share: float, today: datetime.date):
    """A 100-day pledge of 1.000.000 đ half-way through today, with ``share`` of it given."""
    pledge = PledgeFactory(
        unit=unit,
        start=today - datetime.timedelta(days=50),
        end=today + datetime.timedelta(days=49),
        money_vnd=1_000_000,
    )
    if share:
        DonationFactory(
            unit=unit,
            pledge=pledge,
            household=pledge.household,
            amount_vnd=int(1_000_000 * share),
            date=today - datetime.timedelta(days=50),
        )
    return pledge


def test_the_public_unit_status_agrees_with_the_leaders_monitoring_page(visitor, leader):
    today = timezone.localdate()
    lagging, keeping = UnitFactory(name="Đơn vị có cam kết chậm"), UnitFactory(name="Đơn vị đúng tiến độ")
    _pledge_given(lagging, 0.6, today)
    _pledge_given(lagging, 0, today)
    _pledge_given(keeping, 0.6, today)
    _pledge_given(keeping, 1, today)
    visitor.force_login(leader)
    assert visitor.get(reverse("reports:monitoring")).status_code == 200
    visitor.logout()
    # Every row of the monitoring lists, as the download has them (the page shows the most urgent 200).
    lists = monitoring_lists(on=today, months=6, status=None)
    pledges = {table["key"]: table for table in lists}["pledges"]
    statuses = {name: set() for name in (lagging.name, keeping.name)}
    for row, status in zip(pledges["rows"], pledges["statuses"], strict=True):
        if row[1] in statuses:
            statuses[row[1]].add(status)
    assert statuses == {lagging.name: {"on_track", "behind"}, keeping.name: {"on_track", "fulfilled"}}

    progress = units_with_progress(today=today, units=Unit.objects.filter(pk__in=[lagging.pk, keeping.pk]))
    assert {unit.pk: unit.on_track for unit in progress} == {lagging.pk: False, keeping.pk: True}
    assert 'class="status status--behind"' in visitor.get(reverse("portal:unit", args=[lagging.code])).content.decode()
    assert 'class="status status--ok"' in visitor.get(reverse("portal:unit", args=[keeping.code])).content.decode()


def test_news_list_and_article_show_the_published_article_only(visitor):
    _article(title="Tin đã đăng", slug="tin-da-dang")
    _article(title="Bản nháp", slug="ban-nhap", is_published=False)
    listing = visitor.get(reverse("portal:articles")).content.decode()
    assert "Tin đã đăng" in listing and "Bản nháp" not in listing
    assert visitor.get(reverse("portal:article", args=["ban-nhap"])).status_code == 404


def test_an_article_body_cannot_inject_a_script(visitor):
    _article(body="Đoạn một.\n\n<script>alert('x')</script><img src=x onerror=alert(1)>")
    page = visitor.get(reverse("portal:article", args=["tin-thu"])).content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert" in page
    assert "<p>Đoạn một.</p>" in page


def test_demo_article_on_the_review_is_signed_by_its_author_and_board(visitor):
    article = Article.objects.get(slug__startswith="so-ket-4-nam")
    page = visitor.get(article.get_absolute_url()).content.decode()
    assert "1.325 lượt hộ" in page
    assert article.author in page and article.publisher in page


def test_unknown_commune_unit_group_and_article_are_not_found(visitor):
    for url in (
        reverse("portal:commune", args=["NOPE"]),
        reverse("portal:unit", args=["NOPE"]),
        reverse("portal:group", args=["NOPE"]),
        reverse("portal:article", args=["nope"]),
    ):
        assert visitor.get(url).status_code == 404


# --- Qualities: cookies, security headers, cache, query counts ---------------------------

PUBLIC_PAGES = {
    "home": lambda s: reverse("portal:home"),
    "results": lambda s: reverse("portal:results") + f"?from=2019-01-01&commune={s['commune'].code}",
    "results_group": lambda s: reverse("portal:results") + f"?group={s['group'].code}",
    "communes": lambda s: reverse("portal:communes"),
    "commune": lambda s: reverse("portal:commune", args=[s["commune"].code]),
    "units": lambda s: reverse("portal:units"),
    "groups": lambda s: reverse("portal:groups"),
    "group": lambda s: reverse("portal:group", args=[s["group"].code]),
    "unit": lambda s: reverse("portal:unit", args=[s["units"][0].code]),
    "news": lambda s: reverse("portal:articles"),
    "article": lambda s: reverse("portal:article", args=["tin-thu"]),
}
# Measured on the demo district. The visitor counter adds none: it counts in the cache (see above). Figures
# come from the kept summaries: sums and distinct counts in two queries per table of figures, and for the
# whole programme or a whole year a look-up of the first and last days helped first (apps.donations.selectors).
MAX_QUERIES = {
    # One per period on the page for the bodies that name its sectors; the households escaped poverty counted
    # afresh here, with their lock and the remembering (one query when remembered); the assignments counted,
    # then listed when few.
    "home": 30,
    "results": 30,  # with the quick periods (reviews, approved reports) and the outcomes of help (counted
    # afresh here, with their lock and the remembering: one query when remembered)
    "results_group": 20,
    "communes": 10,  # kept figures per commune, own and with the communes merged into it: two queries each
    "commune": 25,  # its households escaped as the home page's, for the commune and those merged into it (its
    # family read once for the page: five times, ten queries more, before)
    "units": 8,
    # A page of units (their count, the page's ids), their progress: the units, their money given and their
    # pledges by status (three plain queries, not one query of correlated subqueries that took a minute at
    # province scale); how many groups there are (their list has a page of its own).
    "groups": 5,  # the groups, their memberships and their assignments (three, each grouped once)
    "group": 16,
    # Kept figures: sums and distinct counts are two queries (what the unit gave, where it helped).
    "unit": 15,
    "news": 6,
    "article": 5,
}


@pytest.mark.parametrize("page_name", PUBLIC_PAGES)
def test_public_page_queries_are_bounded_and_do_not_grow_with_the_data(
    visitor, django_assert_max_num_queries, page_name
):
    _article()
    # The visitor counter costs no query on most views (a cache counter, flushed in batches; its database
    # part read every few seconds): have that read done, so that both sizes count only the page's own queries.
    visit_counts()
    counts = []
    for size in (2, 12):
        url = PUBLIC_PAGES[page_name](seed_programme(size))
        cache.clear()
        with django_assert_max_num_queries(MAX_QUERIES[page_name]), CaptureQueriesContext(connection) as queries:
            response = visitor.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("page_name", ["commune", "results_commune_since_the_start"])
def test_a_communes_figures_since_the_start_are_read_from_its_kept_rows_not_from_its_days(visitor, page_name):
    """A province commune's days are ~100 ms of queries; its kept rows per sector and year, a few ms."""
    commune = seed_programme(4)["commune"]
    url = {
        "commune": reverse("portal:commune", args=[commune.code]),
        "results_commune_since_the_start": reverse("portal:results") + f"?commune={commune.code}",
    }[page_name]
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = visitor.get(url)
    assert response.status_code == 200
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "donations_communefigures" in read and "donations_communecounts" in read
    assert "donations_dailyfigures" not in read and "donations_recipientday" not in read
    assert "donations_donation" not in read


@pytest.mark.parametrize("page_name", PUBLIC_PAGES)
def test_public_pages_set_no_cookie_for_anonymous_visitors(visitor, page_name):
    _article()
    response = visitor.get(PUBLIC_PAGES[page_name](seed_programme(1)))
    assert response.status_code == 200
    assert not response.cookies
    assert not response.has_header("Set-Cookie")


def test_public_pages_forbid_scripts_with_a_content_security_policy(visitor):
    policy = visitor.get(reverse("portal:home"))["Content-Security-Policy"]
    assert "script-src 'none'" in policy
    assert "default-src 'self'" in policy


def test_a_second_view_is_served_from_the_cache_until_a_record_changes(visitor, django_assert_max_num_queries):
    seeded = seed_programme(1)
    url = reverse("portal:group", args=[seeded["group"].code])
    assert visitor.get(url)["X-Portal-Cache"] == "miss"
    with django_assert_max_num_queries(6):  # the visit and the counter only
        assert visitor.get(url)["X-Portal-Cache"] == "hit"
    DonationFactory(
        unit=seeded["units"][0],
        amount_vnd=7_000_000,
        household=None,
        beneficiary_kind="commune",
        commune=seeded["commune"],
        date=datetime.date(2020, 1, 1),
    )
    response = visitor.get(url)
    assert response["X-Portal-Cache"] == "miss"
    assert "8.500.000 đ" in response.content.decode()


def test_the_disadvantaged_badge_is_explained_where_it_is_shown(visitor):
    page = visitor.get(reverse("portal:communes")).content.decode()
    assert '<span class="tag">khó khăn</span>' in page
    assert "được cấp có thẩm quyền công nhận là khó khăn" in page


def test_figures_tables_name_labour_once_and_the_news_list_heads_articles_with_h2(visitor):
    page = visitor.get(reverse("portal:home")).content.decode()
    assert "Ngày công (ngày công)" not in page
    assert "Công lao động <span" in page
    news = visitor.get(reverse("portal:articles")).content.decode()
    assert '<h2 class="card__title">' in news and "<h3" not in news.split("<main")[1].split("</main>")[0]
