import pytest
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, settings):
    settings.AXES_ENABLED = True
    User.objects.create_user("thu_ky", password="dung-mat-khau-1", is_staff=True)
    login = reverse("admin:login")
    for _attempt in range(5):
        client.post(login, {"username": "thu_ky", "password": "sai"})
    response = client.post(login, {"username": "thu_ky", "password": "dung-mat-khau-1"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
