"""Production settings: checked in a fresh process with the README's production variables."""

import datetime
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from django.utils import timezone

BASE_DIR = Path(__file__).resolve().parents[1]
# README, "Deploying": the variables a production server sets. The database is never reached by these checks.
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(48),
    "DATABASE_URL": "postgres://taybinh:secret@127.0.0.1:5432/taybinh",
    "ALLOWED_HOSTS": "giupdo.example.vn",
    "CSRF_TRUSTED_ORIGINS": "https://giupdo.example.vn",
    "CACHE_URL": "rediscache://127.0.0.1:6379/1",
    "PORTAL_CLIENT_ADDRESS_META": "HTTP_X_REAL_IP",
}


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """A fresh Python process with only ``env`` (no variable of the test run leaks in)."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env={"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "taybinh.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _database_options(argv: list[str]) -> str:
    code = (
        f"import sys; sys.argv = {argv!r}; import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['options'])"
    )
    result = _run(["-c", code], **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_check_deploy_reports_nothing_with_the_readmes_production_variables():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "DEBUG"], **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_of_a_cache_per_process_in_production():
    env = {**PRODUCTION_ENV, "CACHE_URL": "locmemcache://per-process"}
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "DEBUG"], **env)
    assert result.returncode != 0
    assert "portal.W001" in result.stderr + result.stdout


def _setting(name: str, **env: str) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    result = _run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_cached_pages_live_a_day_in_the_shared_cache_and_five_minutes_in_a_cache_per_process():
    assert _setting("PORTAL_PAGE_CACHE_SECONDS", **PRODUCTION_ENV) == str(26 * 3600)
    assert _setting("PORTAL_PAGE_CACHE_SECONDS", **{**PRODUCTION_ENV, "CACHE_URL": "locmemcache://x"}) == "300"
    counters = _setting("CACHES['counters']['LOCATION']", **PRODUCTION_ENV)
    assert counters == _setting("CACHES['default']['LOCATION']", **PRODUCTION_ENV) == "redis://127.0.0.1:6379/1"


@pytest.mark.parametrize("missing", ["ALLOWED_HOSTS", "SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without_a_required_variable(missing):
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != missing}
    result = _run(["manage.py", "check"], **env)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {missing} must be set when DJANGO_ENV=production" in result.stderr


def test_web_requests_have_a_statement_timeout_and_management_commands_do_not():
    assert "statement_timeout=30s" in _database_options(["gunicorn"])
    assert "statement_timeout=30s" in _database_options(["manage.py", "runserver"])
    assert "statement_timeout" not in _database_options(["manage.py", "import_records"])
    assert "jit=off" in _database_options(["manage.py", "generate_data"])


@pytest.mark.django_db
def test_the_portals_own_connection_cancels_statements_after_thirty_seconds():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"


@pytest.fixture
def signed_in(client):
    user = User.objects.create_user("thu_ky_phien", password="dung-mat-khau-1", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_staff_session_ends_with_the_browser_and_a_working_day_after_login(signed_in):
    session = signed_in.session
    assert 8 * 3600 <= session.get_expiry_age() <= 9 * 3600
    response = signed_in.post(reverse("admin:login"), {"username": "thu_ky_phien", "password": "dung-mat-khau-1"})
    cookie = response.cookies["sessionid"]
    assert cookie.value and cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie


@pytest.mark.django_db
def test_a_staff_session_stays_open_while_used_without_a_write_on_every_page(signed_in):
    session = signed_in.session
    assert "sessionid" not in signed_in.get(reverse("admin:index")).cookies  # just used: left as it is
    session["active_at"] -= 20 * 60  # the last page was twenty minutes ago: 8 h 40 min left
    session.save()
    stored = Session.objects.filter(session_key=session.session_key)
    stored.update(expire_date=timezone.now() + datetime.timedelta(hours=8, minutes=40))
    response = signed_in.get(reverse("admin:index"))
    assert "sessionid" in response.cookies
    assert stored.get().expire_date > timezone.now() + datetime.timedelta(hours=8, minutes=59)


@pytest.mark.django_db
def test_ssl_redirect_trusts_the_proxys_forwarded_proto_header(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/open-data/visits.json").status_code == 301
    response = client.get("/open-data/visits.json", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
