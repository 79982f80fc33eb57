"""Settings for the diplomatic visits site, read from environment variables.

Safe by default: debug is off unless DJANGO_DEBUG is set, and without debug a
secret key must be given. The database is an SQLite file in the project folder
unless DATABASE_URL names another (postgres://user@host:5432/name).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from visits.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(set DJANGO_DEBUG=1 for local development)."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-debug"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django.forms",
    "django_filters",
    "simple_history",
    "axes",
    "nested_admin",
    "visits",
]

MIDDLEWARE = [
    # First: each request's id (X-Request-ID, in every log line) and its one line in the log.
    "visits.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what the site renders (whitenoise serves static files compressed already);
    # before every middleware that reads or changes the body, as Django's docs ask.
    "visits.compression.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface's language from the request (Accept-Language; English by default); after
    # the session and before CommonMiddleware, as Django's docs ask. No i18n_patterns: the
    # addresses stay the same in every language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Each request reads the data version (what every cache key holds) once.
    "visits.caching.DataVersionMiddleware",
    # Whole public pages kept in the cache on the data version (PAGE_CACHE); before the
    # middleware that changes the body, so that a page is kept as it is sent.
    "visits.pagecache.PageCacheMiddleware",
    # No control character reaches an HTML page, whatever the records hold.
    "visits.text.StripControlCharactersMiddleware",
    # Who made a change, for the history of every record.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees failed sign-ins to the admin.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "visits.urls"
# Form widgets render with the site's templates (the date period's labelled inputs).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "visits.wsgi.application"

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

# Persistent connections, checked before each request reuses them: a restarted PostgreSQL
# needs no restart of the application.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DJANGO_DB_CONNECT_TIMEOUT", 5
    )
    # For this site's connections: no JIT compilation (the queries are short, and PostgreSQL
    # compiled the first ones of each connection for up to 800 ms at a million visits: its
    # cost estimates pass the JIT thresholds long before compiling pays off); and the planner
    # may reorder up to 12 tables (8 by default), so that a page's fifty keys are found first
    # and joined to their countries, delegation, head and journey after (the API's visit list
    # joins nine tables: past eight, PostgreSQL joined all the million visits, 4.8 s, then
    # kept fifty).
    options = DATABASES["default"]["OPTIONS"]
    options["options"] = (
        f"{options.get('options', '')} -c jit=off -c join_collapse_limit=12"
        " -c from_collapse_limit=12"
    ).strip()
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes on one file: readers never wait for a writer (WAL), a writer takes
    # the lock when its transaction begins (no "database is locked" half-way through) and
    # waits up to DJANGO_SQLITE_TIMEOUT seconds for another writer to finish.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("DJANGO_SQLITE_TIMEOUT", 30),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )


def cache_settings(url):
    """CACHES for a CACHE_URL: redis://host:port/db (Django's Redis backend, one cache shared by
    every process), locmem:// (each process's own memory: the default) or dummy:// (none).
    Either is correct with several processes: every key holds the data version, which lives
    in the database (visits.caching). Two caches: "default" for figures and fragments, and
    "pages" for whole rendered pages (visits.pagecache), which in a process's memory holds
    fewer entries, as a page weighs up to a megabyte."""
    timeout = 60 * 60 * 24
    if url.startswith(("redis://", "rediss://", "unix://")):
        prefix = os.environ.get("CACHE_KEY_PREFIX", "visits")
        redis = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "TIMEOUT": timeout,
        }
        return {
            "default": {**redis, "KEY_PREFIX": prefix},
            "pages": {**redis, "KEY_PREFIX": f"{prefix}:pages"},
        }
    if url.startswith("dummy://"):
        dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
        return {"default": dummy, "pages": dummy}
    if url == "" or url.startswith("locmem://"):
        locmem = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "TIMEOUT": timeout}
        return {
            "default": {**locmem, "LOCATION": "default", "OPTIONS": {"MAX_ENTRIES": 5000}},
            "pages": {
                **locmem,
                "LOCATION": "pages",
                "OPTIONS": {"MAX_ENTRIES": env_int("DJANGO_PAGE_CACHE_ENTRIES", 500)},
            },
        }
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis://, locmem:// or dummy://, not {url!r}."
    )


CACHES = cache_settings(os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or "")
# Whole rendered public pages kept in that cache (visits.pagecache); DJANGO_PAGE_CACHE=0 stops it.
PAGE_CACHE = env_bool("DJANGO_PAGE_CACHE", True)

# What identifies this release of the code in ETags; a digest of the sources when empty.
RELEASE = os.environ.get("DJANGO_RELEASE", "")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface is marked for translation (templates, forms, filters); English is the default
# and, until a catalogue in locale/ ships, the only language (see README: translations).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("DJANGO_PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

LOGIN_URL = "admin:login"
# The admin's address can be moved away from the well-known /admin/.
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

# Security ------------------------------------------------------------------------------------
# Headers on every response. Behind a TLS-terminating proxy, set DJANGO_SECURE_PROXY_SSL_HEADER.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD")
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# No inline scripts or styles anywhere (the admin's included): only files from this site.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Repeated failed sign-ins lock the account from that address out for a while (django-axes).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)

# One line per event on stderr, with the request's id: JSON objects when DJANGO_LOG_FORMAT=json,
# readable lines otherwise (visits.logs). Each request is logged at INFO by "visits.requests".
LOGGING = logging_config(
    os.environ.get("DJANGO_LOG_FORMAT", "text"),
    level=os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
    request_level=os.environ.get("DJANGO_REQUEST_LOG_LEVEL", "INFO"),
)
