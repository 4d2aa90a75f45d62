"""Settings for the test suite only (pyproject.toml: ``--ds=taybinh.settings_test``).

Everything a test run changes about the real settings is here, in one place, as in
cookiecutter-django's ``config/settings/test.py``.
"""

from taybinh.settings import *  # noqa: F403

# For speed: PBKDF2 costs about 0,7 s per password on a small machine, and over a hundred
# tests create users. Tests never check the strength of the hash.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# django-axes would count the tests' wrong passwords; tests/accounts/test_lockout.py turns it back on.
AXES_ENABLED = False

# A connection kept open by the live server's request threads would outlive the run and block
# the test database's teardown ("database ... is being accessed by other users").
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# A second alias for the read-replica router's tests (tests/deploy/test_replica.py): a mirror reads the
# primary's test database. No router is installed here, so every other test uses "default" alone.
DATABASES.setdefault("replica", {**DATABASES["default"], "TEST": {"MIRROR": "default"}})  # noqa: F405

# Every test client comes from 127.0.0.1 and the local-memory cache outlives a test, so the rate limit
# would count the whole run; tests/portal/test_caching.py turns it back on.
PORTAL_ANONYMOUS_MISSES_PER_MINUTE = 0
# The same for the visitor counter's views per address; tests/portal/test_visitor_counter.py turns it on.
PORTAL_VIEWS_PER_ADDRESS_PER_MINUTE = 0
# No time threshold for the visitor counter's flushes (every PORTAL_VISITS_FLUSH_EVERY-th view of a day only),
# so that the queries a test counts never depend on the clock; tests/portal/test_visitor_counter.py sets it.
PORTAL_VISITS_FLUSH_SECONDS = 0
