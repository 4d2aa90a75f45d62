"""The admin import: upload, preview (nothing written), confirm (all or nothing), templates."""

import io

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from apps.imports.kinds import KINDS, ORDER
from apps.units.models import UnitGroup
from tests.imports.files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

UPLOAD = "/staff/import/"
GOOD = [["code", "name"], ["TIMP-G1", "Nhóm Một"], ["TIMP-G2", "Nhóm Hai"]]


def upload(client, rows, kind="unit_groups", name="nhom.csv"):
    content = rows if isinstance(rows, bytes) else csv_bytes(rows)
    return client.post(UPLOAD, {"kind": kind, "file": SimpleUploadedFile(name, content)})


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    """The messages are asserted by their English msgid: these pages are asked for in English (a user's choice)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def officer(client):
    """A district officer allowed to add and change groups of units, and nothing else."""
    user = User.objects.create_user("import_officer", password="x", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="units", codename__in=["add_unitgroup", "change_unitgroup"])
    )
    client.force_login(user)
    return user


def test_the_page_is_the_named_url_and_states_the_limits(client, officer):
    response = client.get(reverse("imports:upload"))

    assert reverse("imports:upload") == UPLOAD
    assert response.status_code == 200
    assert "10 MB" in response.content.decode()
    assert "admin/base.html" in [t.name for t in response.templates]


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(UPLOAD)

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_non_staff_user_cannot_import(client):
    client.force_login(User.objects.create_user("citizen", password="x"))

    response = upload(client, GOOD)

    assert response.status_code == 302
    assert not UnitGroup.objects.filter(code="TIMP-G1").exists()


def test_staff_without_the_kinds_permissions_are_refused(client, officer):
    response = upload(client, [["code", "name", "kind"], ["TIMP-X", "Xã", "xa"]], kind="communes")

    assert response.status_code == 403
    assert "You are not allowed to import communes" in response.content.decode()


def test_a_workbook_with_a_sheet_the_user_may_not_import_is_refused_whole(client, officer):
    content = xlsx_bytes({"unit_groups": GOOD, "communes": [["code", "name", "kind"], ["TIMP-X", "Xã", "xa"]]})

    response = upload(client, content, kind="workbook", name="book.xlsx")

    assert response.status_code == 403
    assert not UnitGroup.objects.filter(code="TIMP-G1").exists()


def test_the_preview_shows_what_would_be_created_and_writes_nothing(client, officer):
    response = upload(client, GOOD)

    assert response.status_code == 200
    report = response.context["report"]
    assert (report.created, report.updated, report.ok) == (2, 0, True)
    assert "Confirm and import" in response.content.decode()
    assert not UnitGroup.objects.filter(code__in=["TIMP-G1", "TIMP-G2"]).exists()


def test_confirming_writes_the_previewed_file(client, officer):
    token = upload(client, GOOD).context["token"]

    response = client.post(reverse("imports:confirm"), {"token": token}, follow=True)

    assert set(UnitGroup.objects.filter(code__startswith="TIMP-G").values_list("name", flat=True)) == {
        "Nhóm Một",
        "Nhóm Hai",
    }
    assert "2 created, 0 updated" in response.content.decode()


def test_a_token_cannot_be_confirmed_twice(client, officer):
    token = upload(client, GOOD).context["token"]
    client.post(reverse("imports:confirm"), {"token": token})
    UnitGroup.objects.filter(code="TIMP-G1").update(name="Đổi tên")

    response = client.post(reverse("imports:confirm"), {"token": token}, follow=True)

    assert "expired" in response.content.decode()
    assert UnitGroup.objects.get(code="TIMP-G1").name == "Đổi tên"


def test_another_user_cannot_confirm_someone_elses_upload(client, officer):
    token = upload(client, GOOD).context["token"]
    other = User.objects.create_superuser("someone_else", password="x")
    client.force_login(other)

    client.post(reverse("imports:confirm"), {"token": token})

    assert not UnitGroup.objects.filter(code="TIMP-G1").exists()


def test_bad_rows_are_listed_with_row_column_value_and_reason_and_no_confirm_button(client, officer):
    response = upload(client, [["code", "name"], ["TIMP-G1", "Một"], ["TIMP G2", "Hai"], ["TIMP-G3", ""]])

    page = response.content.decode()
    errors = [(e.row, e.column, e.value) for e in response.context["report"].errors]
    assert errors == [(3, "code", "TIMP G2"), (4, "name", "")]
    assert "A code cannot contain spaces." in page
    assert "Confirm and import" not in page
    assert not UnitGroup.objects.filter(code="TIMP-G1").exists()


def test_a_bad_file_gets_a_message_not_a_server_error(client, officer):
    response = upload(client, b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, name="anh.xlsx")

    assert response.status_code == 200
    assert "PNG" in response.content.decode()


def test_a_file_over_the_limit_is_refused_by_the_form(client, officer, monkeypatch):
    from apps.imports import forms

    monkeypatch.setattr(forms, "MAX_FILE_BYTES", 10)

    response = upload(client, GOOD)

    assert response.status_code == 400
    assert "larger than" in response.content.decode()


@pytest.mark.parametrize("kind", ORDER)
def test_each_kind_has_a_template_with_vietnamese_labels_an_example_and_notes(client, officer, kind):
    response = client.get(reverse("imports:template", args=[kind]))

    workbook = load_workbook(io.BytesIO(response.content))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert workbook.sheetnames == [kind, "Hướng dẫn"]
    assert workbook[kind]["A1"].value.rstrip(" *") == KINDS[kind].columns[0].label
    assert workbook[kind].max_row >= 2


def test_the_workbook_template_has_every_kind_in_dependency_order(client, officer):
    response = client.get(reverse("imports:template", args=["workbook"]))

    assert load_workbook(io.BytesIO(response.content)).sheetnames == [*ORDER, "Hướng dẫn"]


def test_a_filled_in_template_imports_through_the_page(client, officer):
    workbook = load_workbook(io.BytesIO(client.get(reverse("imports:template", args=["unit_groups"])).content))
    sheet = workbook["unit_groups"]
    sheet["A2"], sheet["B2"] = "TIMP-G9", "Nhóm Chín"
    buffer = io.BytesIO()
    workbook.save(buffer)

    token = upload(client, buffer.getvalue(), name="mau.xlsx").context["token"]
    client.post(reverse("imports:confirm"), {"token": token})

    assert UnitGroup.objects.get(code="TIMP-G9").name == "Nhóm Chín"


def test_a_unit_focal_point_importing_another_units_donation_is_refused_and_nothing_is_written(
    client, unit_focal_point, focal_unit
):
    from apps.donations.models import Donation
    from tests.factories import HouseholdFactory, UnitFactory

    other = UnitFactory(code="TIMP-OTHER")
    household = HouseholdFactory(code="TIMP-HH1")
    rows = [
        ["reference", "date", "unit_code", "kind", "amount_vnd", "beneficiary_kind", "beneficiary_code"],
        ["TIMP-OWN-1", "10/05/2020", focal_unit.code, "money", "500.000", "household", household.code],
        ["TIMP-OTHER-1", "10/05/2020", other.code, "money", "500.000", "household", household.code],
    ]
    from apps.imports.importer import import_file

    report = import_file("donations", csv_bytes(rows), "ung_ho.csv", dry_run=True, user=unit_focal_point)
    assert [(e.row, e.column) for e in report.errors] == [(3, "unit_code")]

    client.force_login(unit_focal_point)
    response = upload(client, rows, kind="donations", name="ung_ho.csv")
    page = response.content.decode()
    assert response.status_code == 200
    assert "TIMP-OTHER" in page  # the refused row is listed with its unit code
    token_inputs = 'name="token"' in page
    assert not token_inputs  # no confirm button while a row is refused
    assert not Donation.objects.filter(reference__startswith="TIMP-").exists()
