"""The login lockout counts wrong passwords per real client address (read from the proxy's header), never per
username alone, so nobody can lock someone else out."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "dung-mat-khau-1"
ATTACKER = "203.0.113.7"
OFFICE = "198.51.100.20"


@pytest.fixture
def lockout(settings):
    """Axes on, behind the README's nginx: every request comes from 127.0.0.1, the client's address in X-Real-IP."""
    settings.AXES_ENABLED = True
    settings.PORTAL_CLIENT_ADDRESS_META = "HTTP_X_REAL_IP"
    User.objects.create_user("thu_ky", password=PASSWORD, is_staff=True)
    User.objects.create_user("ke_toan", password=PASSWORD, is_staff=True)


def _login(client, username: str, password: str, address: str):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP=address,
    )


def test_five_wrong_passwords_lock_the_account_from_that_address_even_for_the_right_one(client, lockout):
    for _attempt in range(5):
        _login(client, "thu_ky", "sai", ATTACKER)
    response = _login(client, "thu_ky", PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_from_one_address_do_not_stop_the_right_password_from_another(client, lockout):
    answers = [_login(client, "thu_ky", "sai", ATTACKER).status_code for _attempt in range(5)]
    assert answers == [200, 200, 200, 200, 429]
    response = _login(client, "thu_ky", PASSWORD, OFFICE)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="thu_ky").pk)


def test_an_address_that_guesses_across_usernames_is_locked_out_for_every_username(client, lockout):
    for username in ("thu_ky", "ke_toan", "admin", "lead1", "khong_co"):
        _login(client, username, "sai", ATTACKER)
    assert _login(client, "ke_toan", PASSWORD, ATTACKER).status_code == 429


def test_a_locked_office_address_is_unlocked_by_axes_reset_ip(client, lockout):
    for _attempt in range(5):
        _login(client, "ke_toan", "sai", OFFICE)
    assert _login(client, "thu_ky", PASSWORD, OFFICE).status_code == 429
    call_command("axes_reset_ip", OFFICE, stdout=None)
    assert _login(client, "thu_ky", PASSWORD, OFFICE).status_code == 302
