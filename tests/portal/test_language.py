"""The Vietnamese / English switch: a plain form on every public page, remembered by the language cookie."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.portal.seeds import BROWSER

pytestmark = pytest.mark.django_db


def test_every_public_page_shows_both_languages_the_current_one_marked(visitor):
    page = visitor.get(reverse("portal:communes")).content.decode()
    assert f'action="{reverse("portal:language")}"' in page
    assert 'value="vi" lang="vi" aria-current="true">Tiếng Việt' in page
    assert 'value="en" lang="en">English' in page


def test_choosing_english_without_a_token_returns_to_the_page_in_english_and_is_remembered():
    client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER)  # a cached page has no token to send
    response = client.post(reverse("portal:language"), {"language": "en", "next": "/ket-qua/"})
    assert response.status_code == 302 and response["Location"] == "/ket-qua/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) >= 300 * 24 * 3600  # remembered, with nothing but the language in it
    page = client.get("/ket-qua/").content.decode()
    assert "Results by period" in page
    assert 'value="en" lang="en" aria-current="true">English' in page


def test_the_switch_never_sends_a_visitor_to_another_site():
    response = Client().post(reverse("portal:language"), {"language": "en", "next": "https://example.com/"})
    assert response.status_code == 302 and response["Location"] == "/"
