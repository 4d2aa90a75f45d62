"""Deployment checks of the report PDF's system libraries (`manage.py check --deploy`).

Without them the PDF is still made, but slowly and not as the README promises: WeasyPrint subsets the fonts with
fontTools, in Python (a quarter of the review's PDF time), when HarfBuzz's subsetter is missing; and a missing
Liberation Serif is replaced by another serif face whose widths differ from Times New Roman's.
"""

from __future__ import annotations

import shutil
import subprocess

from django.core.checks import Warning, register

DOCUMENT_FONT = "Liberation Serif"


def harfbuzz_subset_available() -> bool:
    from weasyprint.text import ffi

    return ffi.harfbuzz_subset is not None


def document_font_installed() -> bool | None:
    """Whether fontconfig finds the document's font itself (not a substitute); None when it cannot be asked."""
    if (fc_match := shutil.which("fc-match")) is None:
        return None
    try:
        found = subprocess.run(
            [fc_match, "--format=%{family}", DOCUMENT_FONT], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return DOCUMENT_FONT in found.stdout


@register(deploy=True)
def pdf_libraries(app_configs, **kwargs) -> list[Warning]:
    problems = []
    if not harfbuzz_subset_available():
        problems.append(
            Warning(
                "HarfBuzz's font subsetter is missing: report PDFs take longer (fonts subset in Python).",
                hint="Install the Debian package libharfbuzz-subset0 (README, Deploying).",
                id="reports.W001",
            )
        )
    if document_font_installed() is False:
        problems.append(
            Warning(
                f"{DOCUMENT_FONT} is not installed: report PDFs are set in another font, with other line breaks.",
                hint="Install the Debian package fonts-liberation (README, Deploying).",
                id="reports.W002",
            )
        )
    return problems
