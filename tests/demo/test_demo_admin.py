"""ensure_demo_admin: a way in for a newcomer, never a reset password, never in production."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def ensure_demo_admin() -> str:
    out = io.StringIO()
    call_command("ensure_demo_admin", stdout=out)
    return out.getvalue()


def test_newcomer_can_log_in_to_the_admin_with_the_demo_account(client):
    output = ensure_demo_admin()

    assert "http://127.0.0.1:8000/admin/" in output
    assert "taybinh-demo" in output
    assert client.login(username="admin", password="taybinh-demo")
    assert client.get("/admin/").status_code == 200


def test_an_existing_admins_password_is_never_reset():
    User.objects.create_superuser(username="admin", email="", password="mat-khau-rieng-2026")

    output = ensure_demo_admin()

    assert User.objects.get(username="admin").check_password("mat-khau-rieng-2026")
    assert "taybinh-demo" not in output
    assert User.objects.filter(username="admin").count() == 1


def test_running_it_twice_keeps_one_admin_with_the_demo_password():
    ensure_demo_admin()
    ensure_demo_admin()

    assert User.objects.filter(username="admin").count() == 1
    assert User.objects.get(username="admin").check_password("taybinh-demo")


def test_production_refuses_to_create_the_demo_password(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError):
        ensure_demo_admin()

    assert not User.objects.filter(username="admin").exists()
