"""make backup / make restore (scripts/backup.py, scripts/restore.py) give back the same figures and history."""

import json
import os
import subprocess
import sys
import tarfile

import pytest

from tests.deploy.conftest import BASE_DIR, manage

pytestmark = pytest.mark.slow

# What a backup must keep: the open data (the whole period, and one commune with donations) and the
# audit trail (events per model, and the latest events with their data and time).
FIGURES = """
import json
from django.db.models import Count
from django.test import Client
from pghistory.models import Events
from apps.communes.models import Commune

client = Client()
whole = client.get("/open-data/summary.json").json()
commune = next(
    (code, figures)
    for code in Commune.objects.order_by("code").values_list("code", flat=True)
    if (figures := client.get("/open-data/summary.json", {"commune": code}).json())["total"]["household_visits"]
)
counts = dict(Events.objects.values_list("pgh_model").annotate(n=Count("pgh_id")).order_by("pgh_model"))
last = list(
    Events.objects.order_by("-pgh_created_at", "pgh_model", "-pgh_id").values_list(
        "pgh_model", "pgh_label", "pgh_obj_id", "pgh_data", "pgh_created_at"
    )[:20]
)
print(json.dumps({"whole": whole, "commune": commune, "events": counts, "last": last}, default=str))
"""


def _figures(url: str) -> dict:
    return json.loads(manage(url, "shell", "--no-imports", "-c", FIGURES))


def _script(name: str, url: str, *arguments: str, media: str) -> str:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "taybinh.settings", "DATABASE_URL": url, "MEDIA_ROOT": media}
    done = subprocess.run(
        [sys.executable, f"scripts/{name}.py", *arguments],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_a_backup_restored_into_a_fresh_database_gives_the_same_open_data_and_audit_history(
    demo_database, fresh_database, tmp_path
):
    media = tmp_path / "media"
    (media / "articles").mkdir(parents=True)
    (media / "articles" / "anh.jpg").write_bytes(b"\xff\xd8 a picture")
    before = _figures(demo_database)
    assert before["whole"]["total"]["money_vnd"] > 0 and sum(before["events"].values()) > 0

    _script("backup", demo_database, "--to", str(tmp_path / "backups"), media=str(media))
    dumps = list((tmp_path / "backups").glob("taybinh-*.dump"))
    assert len(dumps) == 1 and len(list((tmp_path / "backups").glob("taybinh-*-media.tar.gz"))) == 1

    restored, restored_media = fresh_database(), tmp_path / "restored-media"
    _script("restore", restored, str(dumps[0]), media=str(restored_media))
    after = _figures(restored)

    assert after["whole"] == before["whole"]
    assert after["commune"] == before["commune"]
    assert after["events"] == before["events"]
    assert after["last"] == before["last"]
    assert (restored_media / "articles" / "anh.jpg").read_bytes() == b"\xff\xd8 a picture"

    _script("restore", restored, str(dumps[0]), media=str(restored_media))  # again, over itself: --clean --if-exists
    assert _figures(restored) == before


@pytest.mark.parametrize("name", ["../ngoai.txt", "articles/../../ngoai.txt", "/etc/ngoai.txt"])
def test_a_media_archive_entry_leaving_the_media_folder_stops_the_restore(tmp_path, monkeypatch, name):
    """Checked by the script itself: Debian 12's Python 3.11.2 has no tarfile filter (filter= was a TypeError)."""
    monkeypatch.syspath_prepend(str(BASE_DIR / "scripts"))
    from restore import safe_members

    inside, outside = tarfile.TarInfo("articles/anh.jpg"), tarfile.TarInfo(name)
    link = tarfile.TarInfo("articles/lien-ket")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    assert safe_members([inside], tmp_path) == [inside]
    for refused in (outside, link):
        with pytest.raises(SystemExit, match="Refused"):
            safe_members([inside, refused], tmp_path)
