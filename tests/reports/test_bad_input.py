"""Bad parameters on the staff pages get a message, never a server error (issue 11)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_client(client, leader):
    client.force_login(leader)
    return client


@pytest.mark.parametrize("url", ["/reports/monitoring/", "/reports/monitoring/pledges.xlsx"])
@pytest.mark.parametrize(
    "query",
    [
        "on=0001-01-01",
        "on=9999-12-31",
        "on=%00",
        "months=%C2%B2",
        "months=%D9%A3",
        "months=99999999999999999999",
        "status=%00",
    ],
)
def test_monitoring_refuses_a_bad_parameter_with_a_message(leader_client, url, query):
    response = leader_client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert response.context["errors"]


@pytest.mark.parametrize(
    "query", ["from=0001-01-01", "to=9999-12-31", "from=01/01/0001", "commune=%00", "group=X%00", "format=%00"]
)
def test_the_period_report_refuses_a_bad_parameter_with_a_message(leader_client, query):
    response = leader_client.get(f"/reports/summary/?{query}")
    assert response.status_code == 400
    assert response.context["errors"]
