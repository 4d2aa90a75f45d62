"""`manage.py check --deploy` names the report PDF's missing system libraries (the cause of a slow PDF)."""

from apps.reports import checks


def test_a_missing_font_subsetter_or_document_font_is_a_deployment_warning(monkeypatch):
    monkeypatch.setattr(checks, "harfbuzz_subset_available", lambda: False)
    monkeypatch.setattr(checks, "document_font_installed", lambda: False)

    problems = checks.pdf_libraries(None)

    assert [p.id for p in problems] == ["reports.W001", "reports.W002"]
    assert "libharfbuzz-subset0" in problems[0].hint and "fonts-liberation" in problems[1].hint


def test_nothing_is_said_when_both_are_there(monkeypatch):
    monkeypatch.setattr(checks, "harfbuzz_subset_available", lambda: True)
    monkeypatch.setattr(checks, "document_font_installed", lambda: True)

    assert checks.pdf_libraries(None) == []
