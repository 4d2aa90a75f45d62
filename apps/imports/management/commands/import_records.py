"""python manage.py import_records KIND FILE [--dry-run] (CONTRACT.md, "Management commands")."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from apps.imports.importer import Report, import_file
from apps.imports.kinds import ORDER, WORKBOOK
from apps.imports.parsing import MAX_FILE_BYTES, MAX_ROWS


class Command(BaseCommand):
    help = (
        f"Import one .xlsx or .csv file of one KIND ({', '.join(ORDER)}), or '{WORKBOOK} FILE.xlsx' with one "
        "sheet per KIND. All or nothing: any bad row is printed as 'row N, column C: reason', nothing is "
        f"written and the exit status is 1. Limits: {MAX_FILE_BYTES // (1024 * 1024)} MB and "
        f"{MAX_ROWS} rows of data per file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help=f"one of: {', '.join([*ORDER, WORKBOOK])}")
        parser.add_argument("file", help=".xlsx or .csv (UTF-8)")
        parser.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
        parser.add_argument("--user", help="username recorded in the audit trail as the importer")

    def handle(self, *args, kind: str, file: str, dry_run: bool, user: str | None, **options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("File not found: %(file)s") % {"file": file})
        actor = None
        if user:
            actor = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: user}).first()
            if actor is None:
                raise CommandError(_("No user named %(user)s.") % {"user": user})
        with path.open("rb") as handle:
            # Read one byte past the limit so an oversized file is refused without reading it all.
            content = handle.read(MAX_FILE_BYTES + 1)
        report = import_file(kind, content, path.name, dry_run=dry_run, user=actor, via="command")
        self.print_report(report)
        if not report.ok:
            raise CommandError(
                _("Nothing was imported: %(count)s problem(s) found.") % {"count": len(report.errors)}, returncode=1
            )

    def print_report(self, report: Report) -> None:
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(_("warning: %(problem)s") % {"problem": warning}))
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.ok:
            return
        for result in report.results:
            counts = {
                "kind": result.kind,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            }
            if report.dry_run:
                line = _("%(kind)s: would create %(created)s, update %(updated)s; %(unchanged)s unchanged") % counts
            else:
                line = _("%(kind)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged") % counts
            self.stdout.write(line)
        if report.dry_run:
            self.stdout.write(self.style.WARNING(_("Dry run: nothing was written.")))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Imported: %(created)s created, %(updated)s updated.")
                    % {"created": report.created, "updated": report.updated}
                )
            )
