"""The report tables' body rows, written in Python (apps.reports.templatetags.report_tags.table_rows): each value as
the ``vn`` filter shows it, escaped, in a cell classed by its column."""

import datetime

from apps.reports.documents import table_column
from apps.reports.templatetags.report_tags import table_rows


def test_rows_show_numbers_dates_and_escaped_text_in_cells_classed_by_column():
    table = {
        "columns": [table_column("Code", False, code=True), table_column("Unit", False), table_column("Money")],
        "rows": [
            ["DK-1", "<b>Đơn vị & co</b>", 1_500_000],
            ["DK-2", "Xã", 12.5],
            ["DK-3", None, datetime.date(2024, 3, 5)],
        ],
    }
    assert table_rows(table) == (
        '<tr><td class="code">DK-1</td><td>&lt;b&gt;Đơn vị &amp; co&lt;/b&gt;</td><td class="num">1.500.000</td></tr>'
        '<tr><td class="code">DK-2</td><td>Xã</td><td class="num">12,5</td></tr>'
        '<tr><td class="code">DK-3</td><td>None</td><td class="num">05/03/2024</td></tr>'
    )
