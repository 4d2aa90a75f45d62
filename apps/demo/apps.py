from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The reference district's demo data and the province-scale generator: depends on every app, none on it."""

    name = "apps.demo"
    verbose_name = _("Demo data")
