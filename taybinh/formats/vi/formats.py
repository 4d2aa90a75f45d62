# Vietnamese formats as civil servants write them: 1.009 and 745.000.000, dates dd/mm/yyyy,
# weeks from Monday. Django's own "vi" module leaves numbers ungrouped and reads 05/03/2025
# as 3 May, so the project overrides it (settings.FORMAT_MODULE_PATH).
DATE_FORMAT = r"\n\g\à\y d \t\h\á\n\g m \n\ă\m Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"H:i, d/m/Y"
YEAR_MONTH_FORMAT = r"\t\h\á\n\g m/Y"
MONTH_DAY_FORMAT = "d/m"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 05/03/2025
    "%d-%m-%Y",  # 05-03-2025
    "%d.%m.%Y",  # 05.03.2025
    "%Y-%m-%d",  # 2025-03-05
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
