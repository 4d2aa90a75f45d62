from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = _("Programme settings")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from apps.core.middleware import stamp_session_activity

        user_logged_in.connect(stamp_session_activity, dispatch_uid="core.stamp_session_activity")


class ProgrammeAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the programme's own site (title, grouped index, export)."""

    # Not the default config of apps.core: it is named explicitly in INSTALLED_APPS.
    default = False
    default_site = "apps.core.admin_site.ProgrammeAdminSite"
