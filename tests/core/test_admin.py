"""The programme's admin site: index, programme settings and the Excel export (issue 2, part 4)."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.models import ProgrammeSettings
from apps.donations.models import Donation
from apps.households.models import Household
from tests.admin_helpers import admin_url
from tests.factories import DonationFactory, HouseholdFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_index_groups_the_records_as_the_programme_speaks_of_them(admin_client):
    response = admin_client.get(reverse("admin:index"))

    sections = {
        section["app_label"]: [m["object_name"] for m in section["models"]] for section in response.context["app_list"]
    }
    assert sections["area"] == ["Commune", "Village"]
    assert sections["units"] == ["UnitGroup", "Unit", "GroupMembership", "Assignment", "Member"]
    assert sections["households"] == ["Household", "HouseholdStatus", "Student", "Target"]
    assert sections["help"] == ["Pledge", "Donation", "Repayment", "Item"]
    assert sections["configuration"] == [
        "ProgrammeSettings",
        "IssuingBody",
        "PovertyStandard",
        "DeprivationIndicator",
        "PovertyCause",
        "User",
        "Group",
    ]


def test_index_links_to_the_reports(admin_client):
    content = admin_client.get(reverse("admin:index")).content.decode()

    assert 'href="/reports/summary/"' in content
    assert 'href="/reports/monitoring/"' in content


def test_site_header_names_the_programme_as_the_district_set_it(admin_client):
    settings_row = ProgrammeSettings.load()
    settings_row.short_name = "Chương trình giúp đỡ thử"
    settings_row.save()

    assert "Chương trình giúp đỡ thử" in admin_client.get(reverse("admin:index")).content.decode()


def test_programme_settings_list_opens_the_one_row_which_cannot_be_added_again_or_deleted(admin_client):
    settings_row = ProgrammeSettings.load()

    response = admin_client.get(admin_url(ProgrammeSettings, "changelist"))

    assert response.status_code == 302
    assert response.url == admin_url(ProgrammeSettings, "change", settings_row.pk)
    assert admin_client.get(response.url).status_code == 200
    assert admin_client.get(admin_url(ProgrammeSettings, "add")).status_code == 403
    assert admin_client.get(admin_url(ProgrammeSettings, "delete", settings_row.pk)).status_code == 403


def export_url(model) -> str:
    return reverse("admin:export", args=[model._meta.app_label, model._meta.model_name])


def export(client, model, **params):
    response = client.get(export_url(model), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    return sheet, [list(row) for row in sheet.iter_rows(min_row=2)]


def test_every_list_offers_the_export_of_what_it_shows(admin_client):
    content = admin_client.get(admin_url(Donation, "changelist"), {"kind": "money"}).content.decode()

    assert f'href="{export_url(Donation)}?kind=money"' in content
    users = admin_client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert f'href="{reverse("admin:export", args=["auth", "user"])}?"' in users


def test_export_refuses_models_the_admin_does_not_list(admin_client):
    assert admin_client.get(reverse("admin:export", args=["sessions", "session"])).status_code == 404
    assert admin_client.get(reverse("admin:export", args=["nothing", "here"])).status_code == 404


def test_export_holds_only_the_filtered_rows_with_numbers_as_numbers(admin_client):
    unit = UnitFactory(name="Đơn vị xuất thử")
    DonationFactory(unit=unit, reference="TX-MONEY", amount_vnd=745_000_000)
    DonationFactory(unit=unit, reference="TX-GOODS", goods=True, quantity=1009)

    _sheet, rows = export(admin_client, Donation, q="TX-", kind="money")

    # Columns as on the list: reference, date, unit, kind, amount, ...
    assert [row[0].value for row in rows] == ["TX-MONEY"]
    amount = rows[0][4]
    assert amount.value == 745_000_000
    assert amount.data_type == "n"
    assert amount.number_format == "#,##0"


def test_export_of_goods_gives_quantities_as_numbers(admin_client):
    DonationFactory(reference="TX-RICE", goods=True, quantity=1009)

    _sheet, rows = export(admin_client, Donation, q="TX-RICE")

    values = [cell.value for cell in rows[0]]
    assert 1009 in values
    assert "1009" not in values and "1.009" not in values


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example","Bấm vào")', "+1+2", "-3+4", "@SUM(A1)"])
def test_export_never_lets_a_spreadsheet_run_a_name_as_a_formula(admin_client, name):
    household = HouseholdFactory(head_name=name)

    _sheet, rows = export(admin_client, Household, q=household.code)

    head = rows[0][1]
    assert head.value == name
    assert head.data_type == "s"
    assert head.quotePrefix


def test_export_queries_do_not_grow_with_the_rows(admin_client, django_assert_max_num_queries):
    DonationFactory.create_batch(3, unit=UnitFactory(code="TXQ1"))
    admin_client.get(export_url(Donation), {"q": "TXQ1"})
    with django_assert_max_num_queries(20) as small:
        admin_client.get(export_url(Donation), {"q": "TXQ1"})
    DonationFactory.create_batch(60, unit=UnitFactory(code="TXQ2"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = admin_client.get(export_url(Donation), {"q": "TXQ"})
    assert load_workbook(BytesIO(response.content)).active.max_row == 64


def test_lists_show_dates_day_first_and_export_them_as_real_dates(admin_client):
    DonationFactory(reference="TX-DATE", date=datetime.date(2018, 10, 24))

    content = admin_client.get(admin_url(Donation, "changelist"), {"q": "TX-DATE"}).content.decode()
    _sheet, rows = export(admin_client, Donation, q="TX-DATE")

    assert "24/10/2018" in content
    date_cell = rows[0][1]
    assert date_cell.is_date
    assert date_cell.value.date() == datetime.date(2018, 10, 24)
    assert date_cell.number_format == "dd/mm/yyyy"


def test_staff_without_the_right_to_view_a_list_cannot_export_it(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk-without-rights", password="x", is_staff=True)
    client.force_login(clerk)

    assert client.get(export_url(Household)).status_code == 403
