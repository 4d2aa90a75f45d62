import pytest
from django.test import Client
from django.urls import reverse

from tests.portal.seeds import BROWSER

pytestmark = pytest.mark.django_db

HEALTHZ = "/healthz"


def test_the_load_balancer_sees_database_cache_and_storage_healthy_without_logging_in():
    response = Client().get(HEALTHZ, HTTP_ACCEPT="text/plain")
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert [line.split("(")[0] for line in lines] == ["Database", "Cache", "Storage"]
    assert all(line.endswith(": OK") for line in lines)


def test_healthz_is_never_cached_and_shows_no_personal_data(admin_user):
    response = Client().get(HEALTHZ, HTTP_ACCEPT="application/json")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    body = response.content.decode()
    assert set(response.json().values()) == {"OK"}
    assert admin_user.username not in body and "@" not in body


def test_healthz_is_not_counted_as_a_visit():
    client = Client(HTTP_USER_AGENT=BROWSER)
    visits = reverse("portal:visits_json")
    before = client.get(visits).json()
    for _ in range(3):
        assert client.get(HEALTHZ).status_code == 200
    assert client.get(visits).json() == before


def test_healthz_fails_while_the_cache_is_down(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9"}
    }  # nothing listens
    response = Client().get(HEALTHZ, HTTP_ACCEPT="text/plain")
    assert response.status_code == 500
    assert "Cache" in response.content.decode() and ": OK" in response.content.decode()  # the database still answers
