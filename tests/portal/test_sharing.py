"""What other programs and sites read: the news feed, the sitemap, robots.txt, icons and share tags."""

import datetime
from pathlib import Path

import pytest
from defusedxml import ElementTree as ET
from django.conf import settings
from django.urls import reverse

from apps.communes.models import Commune
from apps.portal.models import Article
from apps.units.models import Unit, UnitGroup

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_the_news_feed_is_rss_with_the_published_articles_newest_first(visitor):
    Article.objects.create(
        title="Tin mới nhất",
        slug="tin-moi-nhat",
        body="Thân bài.",
        summary="Tóm tắt tin mới.",
        published_on=datetime.date(2026, 11, 30),
        is_published=True,
    )
    Article.objects.create(
        title="Tin chưa đăng", slug="tin-chua-dang", body="Nháp.", published_on=datetime.date(2026, 12, 1)
    )
    response = visitor.get(reverse("portal:news_feed"))
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    titles = [item.findtext("title") for item in items]
    assert titles[0] == "Tin mới nhất"
    assert "Tin chưa đăng" not in titles
    assert len(titles) == Article.objects.published().count()
    assert items[0].findtext("link") == "http://testserver/tin-tuc/tin-moi-nhat/"
    assert items[0].findtext("description") == "Tóm tắt tin mới."
    assert "30 Nov 2026" in items[0].findtext("pubDate")


def test_the_sitemap_lists_every_commune_group_unit_and_published_article(visitor):
    root = ET.fromstring(visitor.get(reverse("portal:sitemap")).content)
    locations = {loc.text.removeprefix("http://testserver") for loc in root.iter(f"{SITEMAP}loc")}
    assert {"/", "/ket-qua/", "/xa-thi-tran/", "/co-quan-don-vi/", "/co-quan-don-vi/nhom/", "/tin-tuc/"} <= locations
    assert {
        reverse("portal:commune", args=[code]) for code in Commune.objects.values_list("code", flat=True)
    } <= locations
    assert {
        reverse("portal:group", args=[code]) for code in UnitGroup.objects.values_list("code", flat=True)
    } <= locations
    assert {reverse("portal:unit", args=[code]) for code in Unit.objects.values_list("code", flat=True)} <= locations
    assert {a.get_absolute_url() for a in Article.objects.published()} <= locations


def test_robots_txt_keeps_crawlers_out_of_the_staff_pages_and_points_to_the_sitemap(visitor):
    text = visitor.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text and "Disallow: /reports/" in text and "Disallow: /staff/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_favicon_ico_is_found_and_the_pages_name_their_icons(visitor):
    response = visitor.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.ico")
    static = Path(settings.BASE_DIR) / "static"
    assert (static / "favicon.ico").stat().st_size > 0
    assert (static / "img" / "apple-touch-icon.png").stat().st_size > 0
    page = visitor.get(reverse("portal:home")).content.decode()
    assert 'rel="apple-touch-icon"' in page and 'rel="icon"' in page


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/", "Giúp đỡ hộ nghèo"),
        ("/ket-qua/?from=2014-02-14&to=2018-10-24&utm_source=zalo", "Kết quả theo giai đoạn"),
        ("/xa-thi-tran/", "Xã, thị trấn"),
        ("/tin-tuc/", "Tin tức"),
    ],
)
def test_public_pages_have_a_description_a_canonical_address_and_share_tags(visitor, url, title):
    page = visitor.get(url).content.decode()
    assert '<meta name="description" content="' in page
    canonical = "http://testserver" + url.split("&utm_source")[0].replace("&", "&amp;")
    assert f'<link rel="canonical" href="{canonical}">' in page
    assert f'<meta property="og:title" content="{title}">' in page
    assert '<meta property="og:image" content="http://testserver/static/img/share.png">' in page
    assert '<meta property="og:description" content="' in page


def test_an_article_is_shared_with_its_own_title_and_summary(visitor):
    article = Article.objects.published().exclude(summary="").first()
    page = visitor.get(article.get_absolute_url()).content.decode()
    assert f'<meta property="og:title" content="{article.title}">' in page
    assert '<meta property="og:type" content="article">' in page
