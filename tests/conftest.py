import hashlib
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from hypothesis import settings as hypothesis_settings

# Property tests try the same examples on every run (CI included): a failure is reproducible, never luck.
# HYPOTHESIS_PROFILE=explore searches afresh on a developer's machine.
hypothesis_settings.register_profile("ci", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# --- The test database: the reference district, loaded once and kept between runs. ---
#
# pyproject.toml passes --reuse-db, so a run keeps its test database (one per xdist worker) for the
# next. A database is reused only while it was built from the same migrations and demo code: the
# fingerprint below is written on the database (COMMENT ON DATABASE) once the demo is in, and any
# difference, or --create-db (make test, CI), builds it afresh. Nothing in the suite flushes the
# database (no transactional tests; the browser tests read the demo through a live server without
# writing it), so a marked database still holds the demo.

DEMO_MARK = "taybinh test database, demo {fingerprint}"


def _demo_fingerprint() -> str:
    """A hash of everything a database built for the tests depends on: the migrations and the demo code."""
    digest = hashlib.sha256()
    apps_dir = Path(settings.BASE_DIR) / "apps"
    for path in sorted(apps_dir.rglob("*.py")):
        relative = path.relative_to(apps_dir).as_posix()
        if "/migrations/" in relative or "demo" in relative:
            digest.update(relative.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _test_database_name() -> str:
    from django.db.backends.base.creation import TEST_DATABASE_PREFIX

    return connection.settings_dict["TEST"]["NAME"] or TEST_DATABASE_PREFIX + connection.settings_dict["NAME"]


def _stored_mark() -> str | None:
    """The mark on the test database, read from the server's maintenance database (the test one may be absent)."""
    import psycopg2

    # Django's own connection parameters (the embedded server's socket is among the OPTIONS).
    params = {**connection.get_connection_params(), "dbname": "postgres"}
    with psycopg2.connect(**params) as maintenance, maintenance.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [_test_database_name()],
        )
        row = cursor.fetchone()
    maintenance.close()
    return row[0] if row else None


@pytest.fixture(scope="session")
def django_db_createdb(request, django_db_modify_db_settings) -> bool:
    """Build the test database afresh with --create-db, or when the reused one is missing or out of date."""
    if request.config.getvalue("create_db"):
        return True
    return _stored_mark() != DEMO_MARK.format(fingerprint=_demo_fingerprint())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_createdb, django_db_keepdb):
    """Every test database starts with the reference district (python manage.py load_demo), loaded once."""
    if django_db_keepdb and not django_db_createdb:
        return  # reused, and marked as holding the demo of this very code
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)
        with connection.cursor() as cursor:
            name = connection.ops.quote_name(connection.settings_dict["NAME"])  # the test database, once set up
            cursor.execute(f"COMMENT ON DATABASE {name} IS %s", [DEMO_MARK.format(fingerprint=_demo_fingerprint())])


# --- Personas: the people of PROGRAMME.md "Who does what", plus an outsider who must see nothing. ---


def _staff_user(username: str, role: str | None, **focal):
    from django.contrib.auth.models import Group, User

    from apps.accounts.models import FocalPoint
    from apps.accounts.roles import GROUP_NAMES

    user = User.objects.create_user(username=username, password="s3cret-pass", is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    if focal:
        FocalPoint.objects.create(user=user, **focal)
    return user


@pytest.fixture
def district_officer(db):
    return _staff_user("can_bo_huyen", "district_staff")


@pytest.fixture
def leader(db):
    return _staff_user("lanh_dao", "leadership")


@pytest.fixture
def focal_unit(db):
    from tests.factories import UnitFactory

    return UnitFactory(name="Đơn vị của đầu mối")


@pytest.fixture
def unit_focal_point(db, focal_unit):
    return _staff_user("dau_moi_don_vi", "unit_focal_point", unit=focal_unit)


@pytest.fixture
def focal_commune(db):
    from tests.factories import CommuneFactory

    return CommuneFactory(name="Xã của đầu mối")


@pytest.fixture
def commune_focal_point(db, focal_commune):
    return _staff_user("dau_moi_xa", "commune_focal_point", commune=focal_commune)


@pytest.fixture
def outsider(db):
    """Staff flag but no role: must see and change nothing of the programme."""
    return _staff_user("nguoi_ngoai", None)
