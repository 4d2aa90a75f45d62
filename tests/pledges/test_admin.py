"""The pledge admin for a superuser (issue 2, part 4)."""

import pytest

from apps.pledges.models import Pledge
from tests.admin_helpers import assert_admin_pages_bounded
from tests.factories import CommuneFactory, PledgeFactory, StudentFactory, VillageFactory

pytestmark = pytest.mark.django_db


def test_pledge_pages_answer_with_queries_that_do_not_grow_with_pledges(admin_client, django_assert_max_num_queries):
    def make(n):
        PledgeFactory.create_batch(n, beneficiary_kind="student", household=None, student=StudentFactory())
        PledgeFactory.create_batch(n, beneficiary_kind="village", household=None, village=VillageFactory())
        PledgeFactory.create_batch(n, beneficiary_kind="commune", household=None, commune=CommuneFactory())
        return PledgeFactory.create_batch(n)[0]

    assert_admin_pages_bounded(admin_client, django_assert_max_num_queries, Pledge, make, "TDK")
