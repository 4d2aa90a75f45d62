"""The news as an RSS feed (Django's syndication framework): what a feed reader or another site follows."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.portal import selectors
from apps.portal.models import Article

FEED_ARTICLES = 20


class LatestNewsFeed(Feed):
    description = _("News of the programme: reviews, results and the work of the units and communes.")

    def title(self) -> str:
        return str(_("News: %(name)s") % {"name": selectors.programme_settings().programme_name})

    def link(self) -> str:
        return reverse("portal:articles")

    def feed_url(self) -> str:
        return reverse("portal:news_feed")

    def items(self) -> QuerySet[Article]:
        return Article.objects.published().order_by("-published_on", "-id")[:FEED_ARTICLES]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary or item.body[:500]

    def item_pubdate(self, item: Article) -> datetime.datetime:
        return datetime.datetime.combine(item.published_on, datetime.time(7, 0))

    def item_author_name(self, item: Article) -> str:
        return item.publisher
