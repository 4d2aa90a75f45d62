"""Property tests (hypothesis): whatever a visitor types, a clear answer, never a server error (issue 11)."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

# Any text a URL can carry: every code point but the lone surrogates, which no URL can encode.
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
# Text shaped like the real parameters too, so that examples reach past the first check.
DATE_LIKE = st.one_of(st.dates().map(str), st.from_regex(r"\A[0-9]{1,4}-[0-9]{1,2}-[0-9]{1,2}\Z"), ANY_TEXT)
CODE_LIKE = st.one_of(st.sampled_from(["PHU_THU", "TAY_HOA_2025", "NHOM_2014_1", "VP_HUYEN_UY"]), ANY_TEXT)
EXAMPLES = settings(
    max_examples=80, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TOTALS_KEYS = {"money_vnd", "loans_vnd", "labour_days", "goods", "household_visits", "households", "students"}


@EXAMPLES
@given(start=DATE_LIKE, end=DATE_LIKE, commune=CODE_LIKE, group=CODE_LIKE)
def test_open_data_answers_the_contracts_shape_or_400_with_an_error(client, start, end, commune, group):
    response = client.get("/open-data/summary.json", {"from": start, "to": end, "commune": commune, "group": group})

    assert response.status_code in (200, 400)
    body = response.json()
    if response.status_code == 400:
        assert set(body) == {"error"} and body["error"]
    else:
        assert set(body["total"]) == TOTALS_KEYS
        assert set(body["sectors"]) == {"district_units", "commune_committees", "other"}


@EXAMPLES
@given(
    prefix=st.sampled_from(["/xa-thi-tran/", "/co-quan-don-vi/", "/co-quan-don-vi/nhom/"]),
    segment=st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30),
)
def test_any_code_in_a_public_page_address_is_a_page_or_not_found(client, prefix, segment):
    response = client.get(f"{prefix}{quote(segment, safe='')}/")

    assert response.status_code in (200, 404)
