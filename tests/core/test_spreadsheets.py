"""Spreadsheet injection (issue 11, security review F10): no text the portal writes to a workbook becomes a formula,
when the file is opened or when someone edits the cell in Excel and presses Enter."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.core.spreadsheets import looks_like_formula, write_cell
from apps.donations.models import Donation
from apps.imports import spreadsheets as import_templates
from apps.units.models import Unit
from tests.factories import DonationFactory, UnitFactory

FORMULAS = ["=1+1", "@SUM(A1)", '=HYPERLINK("http://evil.example","Bấm vào")', "+1+2", "-3+4", "\t=1+1", " =1+1"]


def round_trip(write) -> list:
    book = Workbook()
    write(book.active)
    buffer = BytesIO()
    book.save(buffer)
    return [cell for row in load_workbook(buffer).active.iter_rows() for cell in row]


@pytest.mark.parametrize("text", FORMULAS)
def test_text_that_looks_like_a_formula_is_a_quote_prefixed_string(text):
    assert looks_like_formula(text)

    [cell] = round_trip(lambda sheet: write_cell(sheet, 1, 1, text))

    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)


def test_other_values_keep_their_type_and_plain_text_no_prefix():
    day = datetime.datetime(2018, 10, 24)
    cells = round_trip(lambda sheet: [write_cell(sheet, 1, n, v) for n, v in enumerate([7, -3, 2.5, day, "Gạo"], 1)])

    assert [(c.value, c.data_type) for c in cells] == [(7, "n"), (-3, "n"), (2.5, "n"), (day, "d"), ("Gạo", "s")]
    assert not any(cell.quotePrefix for cell in cells)
    assert not looks_like_formula("Hộ nghèo - thôn 1")


def export_cells(client, model, **params) -> list:
    response = client.get(reverse("admin:export", args=[model._meta.app_label, model._meta.model_name]), params)
    assert response.status_code == 200
    return [cell for row in load_workbook(BytesIO(response.content)).active.iter_rows(min_row=2) for cell in row]


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["=1+1", "@SUM(A1)"])
def test_admin_export_keeps_unit_names_and_donation_notes_as_text(admin_client, text):
    unit = UnitFactory(code="TXF1", name=text)
    DonationFactory(unit=unit, reference="TXF-1", note=text)

    for model, query in ((Unit, "TXF1"), (Donation, "TXF-1")):
        cells = [cell for cell in export_cells(admin_client, model, q=query) if cell.value == text]
        assert cells, model
        assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)


def test_import_templates_write_every_example_through_the_guard(monkeypatch):
    example = {"reference": "VD-UH9", "note": "=1+1"}
    monkeypatch.setitem(import_templates.EXTRA_EXAMPLES, "donations", [example])

    book = load_workbook(BytesIO(import_templates.template_for("donations")))

    cells = [cell for row in book["donations"].iter_rows() for cell in row]
    [note] = [cell for cell in cells if cell.value == "=1+1"]
    assert (note.data_type, note.quotePrefix) == ("s", True)
    assert all(cell.data_type != "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)
