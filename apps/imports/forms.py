from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from apps.imports.kinds import KINDS, ORDER, WORKBOOK
from apps.imports.parsing import MAX_FILE_BYTES

FILE_TOO_LARGE = _("The file is larger than %(limit)s MB; split it into smaller files.")
WRONG_SUFFIX = _("Only .xlsx (Excel) and .csv files can be imported.")


def kind_choices() -> list[tuple[str, str]]:
    choices = [(name, capfirst(KINDS[name].label)) for name in ORDER]
    return [*choices, (WORKBOOK, _("Whole workbook: one sheet per kind"))]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=kind_choices)
    file = forms.FileField(label=_("File (.xlsx or .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(FILE_TOO_LARGE % {"limit": MAX_FILE_BYTES // (1024 * 1024)})
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(WRONG_SUFFIX)
        return upload
