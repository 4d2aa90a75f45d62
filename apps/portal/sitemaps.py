"""sitemap.xml (django.contrib.sitemaps): every public page a search engine should know."""

from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from apps.communes.models import Commune
from apps.portal.models import Article
from apps.units.models import Unit, UnitGroup


class SectionSitemap(Sitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return [
            "portal:home",
            "portal:results",
            "portal:communes",
            "portal:units",
            "portal:groups",
            "portal:articles",
            "portal:open_data",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class CodedSitemap(Sitemap):
    """Pages addressed by a record's code: communes, groups, units."""

    changefreq = "weekly"
    url_name = ""
    model: Any = None

    def items(self) -> list[str]:
        return list(self.model.objects.order_by("code").values_list("code", flat=True))

    def location(self, item: str) -> str:
        return reverse(self.url_name, args=[item])


class CommuneSitemap(CodedSitemap):
    url_name = "portal:commune"
    model = Commune


class GroupSitemap(CodedSitemap):
    url_name = "portal:group"
    model = UnitGroup


class UnitSitemap(CodedSitemap):
    url_name = "portal:unit"
    model = Unit


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Article.objects.published().only("slug", "published_on")

    def lastmod(self, item: Article):
        return item.published_on


SITEMAPS = {
    "sections": SectionSitemap,
    "communes": CommuneSitemap,
    "groups": GroupSitemap,
    "units": UnitSitemap,
    "news": ArticleSitemap,
}
