from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "apps.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from apps.core.signals import dated_records_changed
        from apps.reports import checks  # noqa: F401  (registers the PDF libraries' deployment check)
        from apps.reports.freezing import warn_if_periods_frozen

        # Saving or deleting a record dated inside an approved report warns the person who did it.
        dated_records_changed.connect(warn_if_periods_frozen, dispatch_uid="reports_warn_if_periods_frozen")
