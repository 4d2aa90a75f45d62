from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, using="default", **kwargs) -> None:
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from apps.accounts.roles import sync_role_groups

    # Apps listed after this one have not had their permissions created yet at this point.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_role_groups()


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    verbose_name = _("Roles and accounts")

    def ready(self) -> None:
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="accounts_sync_roles")
        _name_roles_apart_from_unit_groups()


def _name_roles_apart_from_unit_groups() -> None:
    """Django's auth groups are the programme's roles: "nhóm quyền", never plain "nhóm" (a group of units).

    Only the names shown change (not Meta's original options), so no migration follows.
    """
    from django.contrib.auth.models import Group

    Group._meta.verbose_name = _("permission group")
    Group._meta.verbose_name_plural = _("permission groups")
