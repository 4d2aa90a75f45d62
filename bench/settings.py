"""The portal's own settings, plus the framework floor's URL (bench/urls.py): nothing else changes."""

from taybinh.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
