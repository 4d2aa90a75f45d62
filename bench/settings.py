"""The portal's own settings, plus the framework floor's URL (bench/urls.py) and no per-address limits."""

from taybinh.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# Every benchmark request comes from one loopback address: the per-address abuse limits (anonymous misses a
# minute, counted views a minute, visitors online) would answer 429 or stop counting, which measures the limits,
# not the pages. The load run's counter check needs every view counted.
PORTAL_ANONYMOUS_MISSES_PER_MINUTE = 0
PORTAL_VIEWS_PER_ADDRESS_PER_MINUTE = 0
