import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the reference district (python manage.py load_demo)."""
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)


@pytest.fixture(autouse=True)
def _no_login_lockout(settings):
    """django-axes would count the tests' wrong passwords; tests/accounts/test_lockout.py turns it back on."""
    settings.AXES_ENABLED = False


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
