"""A report's PDF is laid out once per distinct HTML: downloaded again unchanged it comes from the cache,
and any change of the HTML (a figure, a word of the text) lays it out afresh."""

from unittest import mock

from django.core.cache import cache

from apps.reports import documents

HTML = "<html><body><p>Báo cáo số 125-BC/HU: 745.320.000 đồng</p></body></html>"


def test_same_html_is_laid_out_once_and_a_change_lays_it_out_again():
    cache.clear()
    with mock.patch.object(documents, "_render_pdf", wraps=documents._render_pdf) as render:
        first = documents.pdf_bytes(HTML)
        again = documents.pdf_bytes(HTML)
        changed = documents.pdf_bytes(HTML.replace("745.320.000", "746.320.000"))
    assert first == again and first.startswith(b"%PDF")
    assert changed != first
    assert render.call_count == 2
