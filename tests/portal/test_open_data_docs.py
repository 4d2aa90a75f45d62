"""The open-data guide and the JSON Schema of summary.json, checked against the live file."""

import html
import json

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker

pytestmark = pytest.mark.django_db


@pytest.fixture
def validator(visitor):
    response = visitor.get(reverse("portal:summary_schema"))
    assert response["Content-Type"].startswith("application/schema+json")
    schema = json.loads(response.content)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"from": "2014-02-14", "to": "2018-10-24"},
        {"from": "2025-07-01", "commune": "HOA_MY_2025"},
        {"to": "2016-12-31", "group": "NHOM_2014_1"},
    ],
)
def test_the_live_summary_json_answers_to_its_published_schema(visitor, validator, params):
    data = json.loads(visitor.get(reverse("portal:summary_json"), params).content)
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)]
    assert not errors


def test_the_schema_catches_a_file_that_broke_the_contract(validator):
    broken = {"from": "14/02/2014", "to": None, "scope": {"commune": None, "group": None}, "sectors": {}, "total": {}}
    messages = " ".join(e.message for e in validator.iter_errors(broken))
    assert "'district_units' is a required property" in messages
    assert "'money_vnd' is a required property" in messages
    assert "is not a 'date'" in messages


def test_the_guide_describes_each_file_in_both_languages_with_live_examples(visitor):
    page = html.unescape(visitor.get(reverse("portal:open_data")).content.decode())
    for name in ("summary.json", "summary.csv", "visits.json", "summary.schema.json"):
        assert name in page
    for field in ("money_vnd", "loans_vnd", "labour_days", "household_visits", "households", "students", "goods"):
        assert f"<code>{field}</code>" in page
    assert (
        "Tiền (tiền mặt hay chuyển khoản), đồng." in page and "Money given, whole đồng." in page
    )  # Vietnamese and English
    assert '"money_vnd": 1244970000' in page  # the 2014–2018 review, computed live
    assert "sector,from,to,commune,group,money_vnd" in page
    assert "<code>HOA_MY_2025</code>" in page and "<code>NHOM_2014_1</code>" in page
