"""The one date parser and the text helpers refuse what no record can hold (issue 11)."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from apps.communes.models import Commune, CommuneName, VillageCommune, VillageName
from apps.core.dates import BadDate, YearOutOfRange, parse_date
from apps.core.text import as_lookup_code, nfc
from apps.households.models import Target
from apps.units.models import Assignment, GroupMembership, Unit, UnitGroup, UnitGroupName, UnitName


@pytest.mark.parametrize("text", ["01/01/0001", "31/12/9999", "1899-12-31", "2101-01-01"])
def test_a_year_outside_1900_to_2100_is_refused_with_its_own_message(text):
    with pytest.raises(YearOutOfRange) as caught:
        parse_date(text)
    assert "1900" in caught.value.message and "2100" in caught.value.message


@pytest.mark.parametrize("text", ["1900-01-01", "31/12/2100"])
def test_the_first_and_last_plausible_years_are_accepted(text):
    assert parse_date(text).year in (1900, 2100)


@pytest.mark.parametrize("text", ["٢٠١٨-١٠-٢٤", "24/10/２０１８", "2²/10/2018", "24/10/201\u0663"])
def test_digits_other_than_ascii_are_not_a_date(text):
    with pytest.raises(BadDate):
        parse_date(text)


def test_a_decomposed_text_is_stored_composed():
    assert nfc("Ho\u0300a") == "Hòa"


@pytest.mark.parametrize("text", ["\x00", "PHU_THU\x00", "a\nb", "\x7f", "", "   "])
def test_a_code_no_record_can_have_is_not_looked_up(text):
    assert as_lookup_code(text) is None


def test_a_code_is_looked_up_composed_and_trimmed():
    assert as_lookup_code(" HO\u0300A ") == "HÒA"


@pytest.mark.django_db
def test_a_nul_typed_into_an_admin_form_is_a_form_error_and_nothing_is_saved(admin_client):
    from apps.units.models import UnitGroup

    response = admin_client.post(
        "/admin/units/unitgroup/add/", {"code": "NHOM_NUL", "name": "Nhóm\x00thử"}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"]
    assert not UnitGroup.objects.filter(code="NHOM_NUL").exists()


def _update(model, field, order="pk"):
    """Writes ``day`` into ``field`` of an existing row, past every form and service (a bulk update)."""

    def write(day):
        model.objects.filter(pk__in=model.objects.order_by(order).values("pk")[:1]).update(**{field: day})

    return write


def _new_name(model, record_field, record_model):
    """Creates a name-history row dated ``day``, without validation."""

    def write(day):
        model.objects.create(**{record_field: record_model.objects.first()}, name="Tên thử", start=day, end=day)

    return write


DATED_COLUMNS = {
    "commune.valid_to": _update(Commune, "valid_to"),
    "commune name.start": _new_name(CommuneName, "commune", Commune),
    "village's commune.end": _update(VillageCommune, "end", order="-start"),  # the latest, still open
    "village name.start": _update(VillageName, "start"),
    "unit.valid_to": _update(Unit, "valid_to"),
    "group name.start": _new_name(UnitGroupName, "group", UnitGroup),
    "unit name.start": _new_name(UnitName, "unit", Unit),
    "membership.start": _update(GroupMembership, "start"),
    "assignment.end": _update(Assignment, "end"),
    "target.achieved_on": _update(Target, "achieved_on"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("column", list(DATED_COLUMNS))
@pytest.mark.parametrize("day", [datetime.date(1, 1, 1), datetime.date(1899, 12, 31), datetime.date(9999, 12, 31)])
def test_the_database_refuses_a_year_no_record_can_have_however_it_is_written(column, day):
    with pytest.raises(IntegrityError, match="plausible"), transaction.atomic():
        DATED_COLUMNS[column](day)


@pytest.mark.django_db
@pytest.mark.parametrize("column", list(DATED_COLUMNS))
def test_the_database_accepts_the_first_and_last_plausible_days(column):
    first, last = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
    with transaction.atomic():  # a start on the first day, an end on the last (an end is never before its start)
        DATED_COLUMNS[column](first if column.endswith(".start") else last)
        transaction.set_rollback(True)
