"""Years 1900-2100 on the dates of donations, repayments, pledges, issuing bodies and reports (issue 11).

The admin form says it first, in words; the named constraint refuses whatever gets past a form (the shell,
a bulk update, raw SQL), as on communes, units and households (tests/core/test_bad_input.py).
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from apps.bodies.models import IssuingBody
from apps.core.dates import FIRST_YEAR, LAST_YEAR, YEAR_OUT_OF_RANGE
from apps.donations.models import Donation, Repayment
from apps.pledges.models import Pledge
from apps.reports.models import FrozenReport, ReportDraft
from tests.admin_helpers import admin_url, assert_form_error
from tests.bodies.factories import IssuingBodyFactory
from tests.bodies.test_admin import form_data as body_form
from tests.donations.test_models import donation_form
from tests.factories import CommuneFactory, DonationFactory, PledgeFactory, RepaymentFactory
from tests.pledges.test_models import pledge_form

pytestmark = pytest.mark.django_db

SAID = YEAR_OUT_OF_RANGE % {"first": FIRST_YEAR, "last": LAST_YEAR}
FIRST, LAST = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)


def _repayment_form(**changes) -> dict:
    loan = DonationFactory(loan=True, amount_vnd=5_000_000)
    return {
        "reference": "TTN-NAM",
        "loan": loan.pk,
        "date": "01/06/2017",
        "amount_vnd": "1000000",
        "note": "",
    } | changes


ADMIN_FORMS = {
    "donation date": (Donation, lambda day: donation_form(date=day), {"reference": "TUH-RULE"}),
    "donation repayment due": (
        Donation,
        lambda day: donation_form(kind="loan", due_date=day),
        {"reference": "TUH-RULE"},
    ),
    "repayment date": (Repayment, lambda day: _repayment_form(date=day), {"reference": "TTN-NAM"}),
    "pledge start": (Pledge, lambda day: pledge_form(start=day), {"code": "TDK-X"}),
    "pledge end": (Pledge, lambda day: pledge_form(end=day), {"code": "TDK-X"}),
    "issuing body plan date": (IssuingBody, lambda day: body_form(plan_date=day), {"code": "TCQ-MOI"}),
    "issuing body end": (IssuingBody, lambda day: body_form(end=day), {"code": "TCQ-MOI"}),
}


@pytest.mark.parametrize("field", list(ADMIN_FORMS))
@pytest.mark.parametrize("typed", ["01/01/0001", "31/12/9999", "31/12/1899"])
def test_the_admin_refuses_a_year_no_record_can_have_with_the_reason_and_saves_nothing(admin_client, field, typed):
    model, form, saved_as = ADMIN_FORMS[field]
    data = form(typed)
    if model is IssuingBody:
        data["communes"] = [CommuneFactory().pk]

    response = admin_client.post(admin_url(model, "add"), data, HTTP_ACCEPT_LANGUAGE="vi")

    assert_form_error(response, SAID)
    assert not model.objects.filter(**saved_as).exists()


def _update(model, field):
    """Writes ``day`` into ``field`` of an existing row, past every form and service (a bulk update)."""

    def write(day):
        model.objects.filter(pk__in=model.objects.order_by("pk").values("pk")[:1]).update(**{field: day})

    return write


def _draft(day):
    ReportDraft.objects.create(start=min(day, datetime.date(2018, 1, 1)), end=max(day, datetime.date(2018, 12, 31)))


def _frozen_report(day):
    approver, _ = get_user_model().objects.get_or_create(username="nguoi-duyet")
    FrozenReport.objects.create(
        start=datetime.date(2018, 1, 1), end=datetime.date(2018, 12, 31), issued_on=day, figures={}, frozen_by=approver
    )


DATED_COLUMNS = {
    "donation.date": lambda day: DonationFactory(date=day),
    "donation.due_date": lambda day: DonationFactory(loan=True, due_date=day),
    "repayment.date": lambda day: RepaymentFactory(date=day),
    "pledge.start": lambda day: PledgeFactory(start=day, end=max(day, datetime.date(2019, 12, 31))),
    "pledge.end": lambda day: PledgeFactory(start=min(day, datetime.date(2019, 1, 1)), end=day),
    "issuing body.plan_date": _update(IssuingBody, "plan_date"),
    "issuing body.start": lambda day: IssuingBodyFactory(start=day, end=max(day, FIRST) if day < FIRST else None),
    "report draft.start/end": _draft,
    "frozen report.issued_on": _frozen_report,
}


@pytest.mark.parametrize("column", list(DATED_COLUMNS))
@pytest.mark.parametrize("day", [datetime.date(1, 1, 1), datetime.date(1899, 12, 31), datetime.date(9999, 12, 31)])
def test_the_database_refuses_a_year_no_record_can_have_however_it_is_written(column, day):
    with pytest.raises(IntegrityError, match=r"_dates?_plausible"), transaction.atomic():
        DATED_COLUMNS[column](day)


@pytest.mark.parametrize("column", list(DATED_COLUMNS))
def test_the_database_accepts_the_first_and_last_plausible_days(column):
    for day in (FIRST, LAST):
        with transaction.atomic():
            DATED_COLUMNS[column](day)
            transaction.set_rollback(True)
