from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "apps.portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        from apps.portal import checks, signals  # noqa: F401 - checks registers itself

        signals.connect()
