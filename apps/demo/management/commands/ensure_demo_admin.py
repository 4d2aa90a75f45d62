"""python manage.py ensure_demo_admin: a demo superuser to log in with, never in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

USERNAME = "admin"
PASSWORD = "taybinh-demo"  # noqa: S105 - the documented demo password, refused in production
LOGIN_URL = "http://127.0.0.1:8000/admin/"


class Command(BaseCommand):
    help = "Make sure the demo administrator (admin / taybinh-demo) exists; never resets an existing password."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model().objects
        if users.filter(username=USERNAME).exists():
            # Whoever set this account up may have changed its password: leave it alone.
            self.stdout.write(
                _("The administrator account “%(username)s” already exists; its password was not changed.")
                % {"username": USERNAME}
            )
            self.stdout.write(_("Log in at %(url)s") % {"url": LOGIN_URL})
            return
        if getattr(settings, "PRODUCTION", False):
            raise CommandError(
                _(
                    "Refusing to create the demo administrator with a published password when DJANGO_ENV=production. "
                    "Use “python manage.py createsuperuser” instead."
                )
            )
        users.create_superuser(username=USERNAME, email="", password=PASSWORD)
        self.stdout.write(_("Demo administrator created."))
        self.stdout.write(
            _("Log in at %(url)s with user name “%(username)s” and password “%(password)s”.")
            % {"url": LOGIN_URL, "username": USERNAME, "password": PASSWORD}
        )
