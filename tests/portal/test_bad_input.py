"""Bad input an anonymous visitor controls gets the portal's 400 or 404, never a server error (issue 11)."""

import pytest

pytestmark = pytest.mark.django_db

NUL_CODES = ["%00", "PHU_THU%00", "%00PHU_THU", "a%0Ab", "%7F", "A%C2%80"]


@pytest.mark.parametrize("url", ["/open-data/summary.json", "/open-data/summary.csv", "/ket-qua/"])
@pytest.mark.parametrize("name", ["commune", "group"])
@pytest.mark.parametrize("code", NUL_CODES)
def test_a_control_character_in_a_scope_code_is_an_unknown_code(client, url, name, code):
    response = client.get(f"{url}?{name}={code}")
    assert response.status_code == 400
    if url.endswith(".json"):
        assert "error" in response.json()
        assert "\x00" not in response.json()["error"]


@pytest.mark.parametrize("prefix", ["/xa-thi-tran/", "/co-quan-don-vi/", "/co-quan-don-vi/nhom/"])
@pytest.mark.parametrize("code", NUL_CODES)
def test_a_control_character_in_a_page_code_is_not_found(client, prefix, code):
    assert client.get(f"{prefix}{code}/").status_code == 404


@pytest.mark.parametrize("param", ["from", "to"])
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"])
def test_a_year_no_record_can_have_is_refused_with_a_message(client, param, day):
    response = client.get(f"/open-data/summary.json?{param}={day}")
    assert response.status_code == 400
    assert "1900" in response.json()["error"] and "2100" in response.json()["error"]


@pytest.mark.parametrize("day", ["٢٠١٨-١٠-٢٤", "２０１８-10-24", "2018-1０-24", "2018-10-2²"])
def test_digits_other_than_ascii_in_a_date_are_refused(client, day):
    response = client.get("/open-data/summary.json", {"from": day})
    assert response.status_code == 400
    assert "error" in response.json()


def test_a_code_typed_decomposed_finds_the_commune_stored_composed(client):
    from tests.factories import CommuneFactory

    CommuneFactory(code="HÒA_ĐỒNG")  # NFC
    response = client.get("/open-data/summary.json", {"commune": "HO\u0300A_ĐÔ\u0300NG"})  # NFD
    assert response.status_code == 200
    assert response.json()["scope"]["commune"] == "HÒA_ĐỒNG"
