"""The portal's own records: news, website links and the visitor counter."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import ClosedPeriod


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        return self.filter(is_published=True)


class Article(models.Model):
    """A news article written by staff in the admin; the body is plain text, shown escaped."""

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, help_text=_("The last part of the web address."))
    summary = models.TextField(_("summary"), max_length=600, blank=True)
    body = models.TextField(
        _("body"), help_text=_("Plain text. An empty line starts a new paragraph; HTML is shown as typed.")
    )
    author = models.CharField(_("author"), max_length=200, blank=True)
    publisher = models.CharField(
        _("publishing board"), max_length=200, blank=True, help_text=_("For example: Ban Tuyên giáo Huyện ủy.")
    )
    published_on = models.DateField(_("published on"))
    image = models.ImageField(_("image"), upload_to="news/%Y/", blank=True)
    image_caption = models.CharField(
        _("image description"), max_length=250, blank=True, help_text=_("Read aloud to blind visitors.")
    )
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")
        ordering = ["-published_on", "-id"]
        indexes = [
            # The news list and the home page: latest published articles first.
            models.Index(fields=["is_published", "-published_on"], name="portal_article_latest_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:article", kwargs={"slug": self.slug})


class WebsiteLink(models.Model):
    """A related website listed in the "Liên kết website" block on every page."""

    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("web address"), unique=True)
    position = models.PositiveSmallIntegerField(_("display order"), default=100)
    is_active = models.BooleanField(_("shown"), default=True)

    class Meta:
        verbose_name = _("website link")
        verbose_name_plural = _("website links")
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class ReviewPeriod(ClosedPeriod):
    """A reviewed period (sơ kết, tổng kết) whose figures the home page shows beside the current ones."""

    title = models.CharField(_("title"), max_length=250, help_text=_("For example: Sơ kết 4 năm (2014 - 2018)."))
    article = models.ForeignKey(
        Article,
        verbose_name=_("news article"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The article that reports on the review, if any."),
    )
    shown_on_home = models.BooleanField(_("shown on the home page"), default=True)

    class Meta:
        verbose_name = _("reviewed period")
        verbose_name_plural = _("reviewed periods")
        ordering = ["-end"]
        constraints = [ClosedPeriod.period_constraint("portal_review_ends_after_start")]

    def __str__(self) -> str:
        return self.title


class VisitCounterSettings(models.Model):
    """One row: the total carried over from the district's older website."""

    carried_over_total = models.BigIntegerField(
        _("visits carried over"),
        default=0,
        help_text=_("Visits counted by an older website; added to the total shown."),
    )

    class Meta:
        verbose_name = _("visitor counter")
        verbose_name_plural = _("visitor counter")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(carried_over_total__gte=0), name="portal_carried_over_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Visitor counter"))

    @classmethod
    def load(cls) -> VisitCounterSettings:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class DailyVisits(models.Model):
    """Public page views on one day (Vietnamese time), as far as flushed from the cache's counters
    (apps.portal.services.flush_visits); incremented in the database, never in Python."""

    day = models.DateField(_("day"), unique=True)
    views = models.BigIntegerField(_("page views"), default=0)

    class Meta:
        verbose_name = _("visits of a day")
        verbose_name_plural = _("visits per day")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}: {self.views}"


class FlushedVisits(models.Model):
    """How much of one cache counter (the views of ``day`` counted in cache ``epoch``) DailyVisits holds.

    The cache only ever adds to its counters; a flush writes the difference and moves ``views`` up in the same
    transaction, so flushing twice, or two flushes at once, never counts a view twice, and the counter shown
    (DailyVisits plus what the cache counted beyond ``views``) is exact at every moment.
    """

    epoch = models.BigIntegerField()  # apps.portal.selectors.visit_counter_epoch
    day = models.DateField()
    views = models.BigIntegerField()

    class Meta:
        verbose_name = _("flushed visits")
        verbose_name_plural = _("flushed visits")
        constraints = [
            models.UniqueConstraint(fields=["epoch", "day"], name="portal_flushed_visits_one_per_counter"),
            models.CheckConstraint(condition=models.Q(views__gte=0), name="portal_flushed_visits_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}: {self.views}"
