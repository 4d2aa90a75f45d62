"""Clerks racing to repay one loan: each is answered with the rule's message, never a server error (issue 11)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.models import User
from django.db import connections
from django.test import Client

from apps.donations.models import REPAYMENT_EXCEEDS_LOAN, Donation, Repayment
from tests.admin_helpers import admin_url

CLERKS = 8
pytestmark = pytest.mark.django_db


def committed(work):
    """Run ``work`` on a connection of its own, outside the test's transaction: what it writes is committed.

    Not ``transactional_db``: that flushes the test database and with it the demo every other test reads.
    """

    def run():
        try:
            return work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


@pytest.fixture
def race():
    user = committed(lambda: User.objects.create_superuser("race_clerk", password="s3cret-pass"))
    loan = committed(lambda: Donation.objects.loans().filter(repayments__isnull=True).order_by("pk").first())
    yield {"user": user, "loan": loan}

    def clean_up():
        Repayment.objects.filter(reference__startswith="RACE-").delete()
        User.objects.filter(pk=user.pk).delete()

    committed(clean_up)


def test_eight_clerks_repaying_a_whole_loan_at_once_get_one_save_and_seven_messages(race):
    loan, user = race["loan"], race["user"]
    start = threading.Barrier(CLERKS)

    def repay(number: int) -> tuple[int, bool]:
        try:
            client = Client()
            client.force_login(user)
            start.wait()
            response = client.post(
                admin_url(Repayment, "add"),
                {
                    "reference": f"RACE-{number}",
                    "loan": loan.pk,
                    "date": f"{loan.date:%d/%m/%Y}",
                    "amount_vnd": str(loan.amount_vnd),
                    "note": "",
                },
            )
            return response.status_code, str(REPAYMENT_EXCEEDS_LOAN) in response.content.decode()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=CLERKS) as pool:
        answers = list(pool.map(repay, range(CLERKS)))

    assert sorted(status for status, _ in answers) == [200] * (CLERKS - 1) + [302]
    assert [told for status, told in answers if status == 200] == [True] * (CLERKS - 1)
    assert committed(lambda: Repayment.objects.filter(loan=loan).count()) == 1
