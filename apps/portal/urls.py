from django.contrib.sitemaps.views import sitemap
from django.urls import path, re_path, register_converter
from django.views.decorators.cache import cache_page

from apps.core.text import nfc
from apps.portal import downloads, open_data, views
from apps.portal.feeds import LatestNewsFeed
from apps.portal.sitemaps import SITEMAPS


class CodeConverter:
    """A record's code in a path: any text but a slash or a control character (a NUL byte is a 404, not a 500)."""

    regex = r"[^/\x00-\x1f\x7f-\x9f]+"

    def to_python(self, value: str) -> str:
        return nfc(value)

    def to_url(self, value: str) -> str:
        return value


register_converter(CodeConverter, "code")

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("ket-qua/", views.results, name="results"),
    path("xa-thi-tran/", views.commune_list, name="communes"),
    path("xa-thi-tran/<code:code>/", views.commune_detail, name="commune"),
    path("co-quan-don-vi/", views.unit_list, name="units"),
    path("co-quan-don-vi/nhom/", views.group_list, name="groups"),
    path("co-quan-don-vi/nhom/<code:code>/", views.group_detail, name="group"),
    path("co-quan-don-vi/<code:code>/", views.unit_detail, name="unit"),
    path("tin-tuc/", views.article_list, name="articles"),
    path("tin-tuc/<slug:slug>/", views.article_detail, name="article"),
    path("ket-qua/excel/", downloads.results_xlsx, name="results_xlsx"),
    re_path(r"^bieu-do/(?P<key>[a-z-]+)\.(?P<extension>svg|png)$", downloads.chart_file, name="chart"),
    path("tin-tuc/rss.xml", LatestNewsFeed(), name="news_feed"),
    path("tim-kiem/", views.search, name="search"),
    path("sitemap.xml", cache_page(3600)(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", views.favicon),
    path("ngon-ngu/", views.choose_language, name="language"),
    path("open-data/summary.json", open_data.summary_json, name="summary_json"),
    path("open-data/summary.csv", open_data.summary_csv, name="summary_csv"),
    path("open-data/visits.json", open_data.visits_json, name="visits_json"),
    path("open-data/summary.schema.json", open_data.summary_schema, name="summary_schema"),
    path("du-lieu-mo/", views.open_data_guide, name="open_data"),
]
