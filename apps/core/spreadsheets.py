"""What the portal's spreadsheet downloads share (report tables, import templates, admin lists)."""

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
