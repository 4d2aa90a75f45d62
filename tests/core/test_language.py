import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_are_vietnamese_even_when_the_browser_asks_for_english(client):
    response = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()


def test_english_is_available_to_whoever_chooses_it(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("admin:login"))
    assert response["Content-Language"] == "en"
    assert "Log in" in response.content.decode()
