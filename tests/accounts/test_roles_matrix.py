"""Each role against each record type in the admin: who may list, who may add (issue 5, "Roles")."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

RECORDS = [
    "communes.commune",
    "communes.village",
    "units.unitgroup",
    "units.unit",
    "units.groupmembership",
    "units.assignment",
    "units.member",
    "households.household",
    "households.householdstatus",
    "households.student",
    "households.target",
    "pledges.pledge",
    "donations.donation",
    "donations.repayment",
    "donations.item",
    "core.programmesettings",
]
# What each persona may list (L) and add (A); everything else answers 403.
EXPECTED = {
    "district_officer": dict.fromkeys(RECORDS, "LA"),
    "leader": dict.fromkeys(RECORDS, "L"),
    "unit_focal_point": {
        "units.member": "LA",
        "pledges.pledge": "LA",
        "donations.donation": "LA",
        "donations.repayment": "LA",
        "units.unit": "L",
        "donations.item": "L",
        "communes.commune": "L",
        "communes.village": "L",
        "households.household": "L",
        "households.student": "L",
    },
    "commune_focal_point": {
        "communes.commune": "L",
        "communes.village": "LA",
        "households.household": "LA",
        "households.householdstatus": "LA",
        "households.student": "LA",
        "households.target": "LA",
    },
    "outsider": {},
}
EXPECTED["district_officer"]["core.programmesettings"] = "L"  # one row, never a second


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_each_role_reaches_exactly_its_record_types(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    seen = {}
    for record in RECORDS:
        app, model = record.split(".")
        rights = ""
        # The programme settings list goes straight to its one row: follow it.
        if client.get(reverse(f"admin:{app}_{model}_changelist"), follow=True).status_code == 200:
            rights += "L"
        if client.get(reverse(f"admin:{app}_{model}_add")).status_code == 200:
            rights += "A"
        if rights:
            seen[record] = rights
    assert seen == EXPECTED[persona]
