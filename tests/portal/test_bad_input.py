"""Bad input an anonymous visitor controls gets the portal's 400 or 404, never a server error (issue 11)."""

import csv
import io

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


SUMMARY = "/open-data/summary.json"


def test_a_repeated_parameter_takes_its_last_value_on_the_open_data_and_the_pages(client):
    once = client.get(SUMMARY, {"from": "2016-01-01"})
    twice = client.get(f"{SUMMARY}?from=2015-01-01&from=2016-01-01")
    assert once.status_code == twice.status_code == 200
    assert twice.json() == once.json()
    assert client.get("/ket-qua/?from=2015-01-01&from=2016-01-01").status_code == 200


def test_a_parameter_the_open_data_does_not_know_is_ignored(client):
    assert client.get(f"{SUMMARY}?utm_source=zalo&x=%00&from=2016-01-01").json() == (
        client.get(SUMMARY, {"from": "2016-01-01"}).json()
    )


@pytest.mark.parametrize("param", ["from", "commune", "group"])
def test_a_very_long_value_is_refused_and_not_echoed_whole(client, param):
    response = client.get(SUMMARY, {param: "9" * 10_000})
    assert response.status_code == 400
    assert len(response.json()["error"]) < 500


@pytest.mark.parametrize("code", ["=1+1", "-2+3", "+SUM(1)", "@A1"])
def test_a_commune_code_that_looks_like_a_formula_is_plain_text_in_the_open_data_csv(client, code):
    from tests.factories import CommuneFactory

    CommuneFactory(code=code)
    response = client.get("/open-data/summary.csv", {"commune": code})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert {row[3] for row in rows[1:]} == {f"'{code}"}  # the apostrophe keeps a spreadsheet from computing it


@pytest.mark.parametrize("host", ["evil.example", "giupdo.example.vn:99999", "a b", "%00"])
def test_a_host_header_the_site_does_not_serve_is_refused_not_an_error(client, host):
    assert client.get("/", HTTP_HOST=host).status_code == 400


@pytest.mark.parametrize(
    "path", ["/.env", "/.git/config", "/media/../manage.py", "/static/../manage.py", "/static/%2e%2e/manage.py"]
)
def test_paths_outside_the_site_are_refused_or_not_found(client, path):
    # 400 where Django's media serving (development) sees a path leaving its folder, 404 elsewhere.
    assert client.get(path).status_code in (400, 404)


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999999999999999999", "%00", "%C2%B2", "%D9%A3", "1.5"])
def test_any_news_page_number_shows_a_page_of_news(client, page):
    response = client.get(f"/tin-tuc/?page={page}")
    assert response.status_code in (200, 404)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "java\tscript:x"])
def test_a_website_link_that_would_run_a_script_is_refused_in_the_admin(admin_client, url):
    from apps.portal.models import WebsiteLink

    link = {"title": "Liên kết thử", "url": url, "position": "1", "is_active": "on"}
    response = admin_client.post("/admin/portal/websitelink/add/", link)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["url"]
    assert not WebsiteLink.objects.filter(title="Liên kết thử").exists()
