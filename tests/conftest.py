import pytest
from django.core.management import call_command, get_commands


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the reference district (python manage.py load_demo)."""
    if "load_demo" not in get_commands():  # TEMPORARY while the demo loader is being written
        return
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)
