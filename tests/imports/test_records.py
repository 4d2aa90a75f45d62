"""The registry of record kinds: an order a workbook and the demo can be written in, keys that find one record."""

import pytest

from apps.imports.kinds import KINDS, ORDER
from apps.imports.records import IMPORTABLE, RECORDS, reference_field

KIND_NAMES = list(RECORDS)


@pytest.mark.parametrize("name", KIND_NAMES)
def test_a_record_kind_links_only_to_kinds_above_it_or_to_its_own(name):
    model = RECORDS[name].model
    above = {RECORDS[other].model for other in KIND_NAMES[: KIND_NAMES.index(name)]}
    registered = {record.model for record in RECORDS.values()}
    for field in model._meta.concrete_fields:
        if field.many_to_one and field.related_model in registered:
            assert field.related_model in above | {model}, f"{name}.{field.name} links to a kind written later"


@pytest.mark.parametrize("name", [name for name in KIND_NAMES if len(RECORDS[name].key) == 1])
def test_a_code_or_reference_is_unique_in_the_database(name):
    record = RECORDS[name]
    assert record.model._meta.get_field(record.key[0]).unique
    assert reference_field(record.model) == record.key[0]


def test_a_workbook_takes_the_contracts_kinds_in_the_registrys_order():
    assert [name for name in IMPORTABLE if name in KINDS] == ORDER
    assert ORDER == [
        "communes",
        "commune_names",
        "issuing_bodies",
        "villages",
        "village_names",
        "village_communes",
        "unit_groups",
        "unit_group_names",
        "units",
        "unit_names",
        "group_memberships",
        "assignments",
        "members",
        "households",
        "household_statuses",
        "classifications",
        "students",
        "pledges",
        "donations",
        "repayments",
    ]


def test_imported_rows_are_matched_by_the_columns_of_the_natural_key():
    assert {name: kind.match for name, kind in KINDS.items() if len(kind.match) > 1} == {
        "group_memberships": ("unit_code", "group_code", "start"),
        "assignments": ("group_code", "commune_code", "village_code", "start"),
        "household_statuses": ("household_code", "year"),
        "classifications": ("household_code", "year", "review_round", "decided_on"),
        "village_communes": ("village_code", "start"),
        "commune_names": ("code", "start"),
        "village_names": ("code", "start"),
        "unit_group_names": ("code", "start"),
        "unit_names": ("code", "start"),
    }
    assert KINDS["donations"].match == ("reference",)
    assert KINDS["repayments"].columns_by_key["loan_reference"].ref[1] == "reference"
