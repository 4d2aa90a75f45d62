"""The import templates speak the glossary's words (issue 13): "Số phiếu", "Số định danh cá nhân", while files
made with the old templates ("Số chứng từ", "Số CCCD") and with the contract's keys are still accepted."""

import dataclasses
import importlib.util
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from apps.donations.models import Donation, Repayment
from apps.households.models import Household
from apps.imports.kinds import KINDS
from apps.imports.spreadsheets import template_for
from tests.factories import HouseholdFactory, UnitFactory, VillageFactory

pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_messages.py"


def check_messages():
    spec = importlib.util.spec_from_file_location("check_messages", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def headers(kind: str) -> list[str]:
    sheet = load_workbook(io.BytesIO(template_for(kind)))[kind]
    return [cell.value.rstrip(" *") for cell in sheet[1] if cell.value]


def all_cells(kind: str) -> str:
    workbook = load_workbook(io.BytesIO(template_for(kind)))
    return " ".join(
        str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row if cell
    )


def test_the_templates_write_so_phieu_and_so_dinh_danh_ca_nhan_never_the_old_words():
    assert headers("donations")[0] == "Số phiếu"
    assert headers("repayments")[:2] == ["Số phiếu", "Số phiếu khoản vay"]
    assert "Số định danh cá nhân" in headers("households")
    for kind in ("donations", "repayments", "households", "workbook"):
        text = all_cells(kind).lower()
        assert "chứng từ" not in text and "cccd" not in text and "cmnd" not in text


def test_the_catalogue_review_finds_an_old_word_put_back_in_a_template(monkeypatch):
    script = check_messages()
    assert script.template_problems() == []

    households = KINDS["households"]
    columns = [
        dataclasses.replace(column, label="Số CCCD") if column.key == "id_number" else column
        for column in households.columns
    ]
    monkeypatch.setitem(KINDS, "households", dataclasses.replace(households, columns=columns))

    problems = script.template_problems()
    # The header of the households sheet and its line in the notes.
    assert len(problems) == 2 and all("Số CCCD" in p and "số định danh cá nhân" in p for p in problems)


@pytest.mark.parametrize(
    ("reference", "id_number"),
    [("Số phiếu", "Số định danh cá nhân"), ("Số chứng từ", "Số CCCD"), ("reference", "id_number")],
    ids=["new labels", "old labels", "contract keys"],
)
def test_files_with_the_new_labels_the_old_labels_or_the_contracts_keys_import_alike(run_import, reference, id_number):
    village, unit = VillageFactory(), UnitFactory()
    households = [["Mã hộ", "Mã thôn", "Chủ hộ", id_number], ["TW-HO1", village.code, "Lê Thị E", "054123456789"]]
    donations = [
        [reference, "Ngày", "Mã đơn vị", "Hình thức", "Số tiền (đồng)", "Đối tượng được giúp", "Mã đối tượng"],
        ["TW-VAY1", "10/05/2020", unit.code, "cho mượn vốn", "2.000.000", "hộ", "TW-HO1"],
    ]
    loan_reference = {"Số phiếu": "Số phiếu khoản vay", "Số chứng từ": "Số chứng từ khoản vay"}.get(
        reference, "loan_reference"
    )
    repayments = [
        [reference, loan_reference, "Ngày", "Số tiền (đồng)"],
        ["TW-TRA1", "TW-VAY1", "10/05/2021", "500.000"],
    ]

    outcome = run_import(
        "workbook",
        {"households": households, "donations": donations, "repayments": repayments},
        "mau.xlsx",
    )

    assert outcome.code == 0, outcome.err
    assert "unknown column" not in outcome.err
    assert Household.objects.get(code="TW-HO1").id_number == "054123456789"
    assert Donation.objects.get(reference="TW-VAY1").amount_vnd == 2_000_000
    assert Repayment.objects.get(reference="TW-TRA1").loan.reference == "TW-VAY1"


def test_an_old_and_a_new_label_of_one_column_in_one_file_are_the_same_column_twice(run_import):
    household = HouseholdFactory()
    lines = [["Mã hộ", "Mã thôn", "Chủ hộ", "Số CCCD", "Số định danh cá nhân"]]
    lines.append([household.code, household.village.code, household.head_name, "054000000001", "054000000002"])

    outcome = run_import("households", lines)

    assert outcome.code == 1
    assert "this column appears twice" in outcome.err
