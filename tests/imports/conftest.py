"""Helpers for the import tests: write a file, run `manage.py import_records` on it, read what it said."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.imports.files import csv_bytes, xlsx_bytes


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (their msgid); the Vietnamese catalogue is checked elsewhere."""
    with translation.override("en"):
        yield


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        """The problem lines, without the closing CommandError summary."""
        return [line for line in self.err.splitlines() if line.strip() and not line.startswith("CommandError")]


@pytest.fixture
def run_import(tmp_path: Path):
    """run_import(kind, rows | bytes, name="x.csv", *flags) → Outcome(exit code, stdout, stderr)."""

    def run(kind: str, data, name: str = "data.csv", *flags: str) -> Outcome:
        path = tmp_path / name
        if isinstance(data, bytes):
            path.write_bytes(data)
        elif name.endswith(".xlsx"):
            path.write_bytes(xlsx_bytes(data if isinstance(data, dict) else {kind: data}))
        else:
            path.write_bytes(csv_bytes(data))
        out, err = io.StringIO(), io.StringIO()
        code = 0
        try:
            call_command("import_records", kind, str(path), *flags, stdout=out, stderr=err)
        except CommandError as exc:
            # What run_from_argv does on the command line (it also closes the test's connection).
            err.write(f"CommandError: {exc}\n")
            code = exc.returncode
        return Outcome(code, out.getvalue(), err.getvalue())

    return run
