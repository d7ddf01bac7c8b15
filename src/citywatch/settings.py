"""One settings module, driven by environment variables.

CITYWATCH_DATA_DIR   folder for the SQLite database and stored files (default ./citywatch-data)
DATABASE_URL         e.g. postgres://user@host/db; switches from SQLite to PostgreSQL
CITYWATCH_SECRET_KEY secret key (a random one is created in the data folder if unset)
CITYWATCH_DEBUG      "1" for development error pages (never in production)
CITYWATCH_PAGE_CACHE "0" to compute every page afresh (see citywatch.core.data_cache)
CITYWATCH_WARM_IN_BACKGROUND  "0": a server does not compute the public dataset's version
                     again in the background after a change (see citywatch.core.data_cache)
CITYWATCH_ALLOWED_HOSTS  comma-separated host names (default: localhost names)
CITYWATCH_SITE_URL   public address used in exported permalinks (default http://127.0.0.1:8000)
CITYWATCH_SITE_NAME  the name e-mails and pages give this site (default "CityWatch")
CITYWATCH_EMAIL_URL  where outgoing mail goes: smtp://user:pass@host:587?tls=1, smtps://...,
                     or outbox: (the default: mail is kept in CITYWATCH_DATA_DIR/outbox and
                     read by staff at /outbox/; see citywatch.core.mail)
CITYWATCH_EMAIL_HOST, CITYWATCH_EMAIL_PORT, CITYWATCH_EMAIL_USER, CITYWATCH_EMAIL_PASSWORD,
CITYWATCH_EMAIL_USE_TLS, CITYWATCH_EMAIL_USE_SSL
                     the same SMTP server as separate settings (used when EMAIL_URL is unset)
CITYWATCH_FROM_EMAIL the sender address of outgoing mail
CITYWATCH_OUTBOX_DIR the outbox folder (default CITYWATCH_DATA_DIR/outbox)
CITYWATCH_MAT2       the mat2 program that cleans files (default: mat2 on PATH)
CITYWATCH_TRUSTED_PROXY  IP address of the reverse proxy whose X-Forwarded-* headers
                     `citywatch serve` honours (default: none); CITYWATCH_TRUSTED_PROXY_COUNT
                     how many proxies in a row (default 1)
"""

from __future__ import annotations

import os
import secrets
import warnings
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

from citywatch.core.mail import OUTBOX_BACKEND, SMTP_BACKEND, email_settings_from_url

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("CITYWATCH_DATA_DIR", "citywatch-data")).resolve()


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PRODUCTION = env_flag("CITYWATCH_PRODUCTION")


def load_secret_key(data_dir: Path) -> str:
    """Use CITYWATCH_SECRET_KEY, or (outside production) a random key kept in the data folder.

    Raises:
        ImproperlyConfigured: in production (CITYWATCH_PRODUCTION) when CITYWATCH_SECRET_KEY is
            not set.
    """
    from_env = os.environ.get("CITYWATCH_SECRET_KEY")
    if from_env:
        return from_env
    if PRODUCTION:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set CITYWATCH_SECRET_KEY in production.")
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = load_secret_key(DATA_DIR)
DEBUG = env_flag("CITYWATCH_DEBUG")
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("CITYWATCH_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "django_countries",
    "simple_history",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "citywatch.core",
    "citywatch.web",
    "citywatch.places",
    "citywatch.actors",
    "citywatch.evidence",
    "citywatch.teams",
    "citywatch.atlas",
    "citywatch.seed",
    "citywatch.commons",
    "citywatch.foi",
    "citywatch.research",
    "ninja",  # serves the API docs' Swagger files itself, so no CDN is used
    "citywatch.exchange",
    "citywatch.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "citywatch.web.middleware.DropNulCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML and JSON gzip-compressed (static files come compressed from WhiteNoise above).
    "django.middleware.gzip.GZipMiddleware",
    "citywatch.core.data_cache.RequestGeneration",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "citywatch.commons.middleware.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "citywatch.urls"
WSGI_APPLICATION = "citywatch.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Project-wide overrides, e.g. allauth's page layout in our own design.
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'citywatch.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Kept open per server thread, like PostgreSQL's: opening one and setting its pragmas
    # costs more than serving a cached page (about 2 ms of 5).
    DATABASES["default"]["CONN_MAX_AGE"] = 60
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts (django-allauth): log in by e-mail, verified addresses, TOTP for reviewers and
# admins. Login rate limits live in the cache (no IP address is ever written to the database).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SIGNUP_OPEN = env_flag("CITYWATCH_SIGNUP_OPEN", True)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
ACCOUNT_ADAPTER = "citywatch.web.accounts.AccountAdapter"
# A password typed at login counts as a fresh re-authentication for this many seconds, so
# setting up two-factor right after logging in does not ask for the password again
# (citywatch.web.accounts); later sensitive changes do.
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
# Rate limits keep no IP address (nor e-mail address) in the database cache: allauth sees a
# keyed hash of the client's address, and rate-limit cache keys are hashed as a whole, with a
# secret that changes every day (citywatch.core.privacy, which the adapter above extends).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "citywatch_cache",
        "KEY_FUNCTION": "citywatch.core.privacy.cache_key",
    },
    # Computed pages, API answers and map layers, in each process's memory, keyed by the data's
    # generation (citywatch.core.data_cache): a change anywhere makes every entry unreachable.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "citywatch-pages",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 500, "CULL_FREQUENCY": 4},
    },
}
CITYWATCH_PAGE_CACHE = env_flag("CITYWATCH_PAGE_CACHE", True)
CITYWATCH_WARM_IN_BACKGROUND = env_flag("CITYWATCH_WARM_IN_BACKGROUND", True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("sr-latn", _("Serbian (Latin)")),
    # Made from the Latin catalogue by transliteration: scripts/make_cyrillic_catalogue.py
    ("sr", _("Serbian (Cyrillic)")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Collected by `citywatch init`/`serve` with hashed names, gzip and Brotli copies and a
# manifest (citywatch.web.static_files); WhiteNoise serves hashed names cached for years.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "citywatch.web.static_files.HashedCompressedStaticFiles"},
}
# Until the files have been collected (a development checkout, the tests) they are found in
# the apps' folders, under their plain names.
WHITENOISE_USE_FINDERS = not (STATIC_ROOT / "staticfiles.json").exists()
warnings.filterwarnings("ignore", message="No directory at")
# Only the hashed copies are kept and compressed (half the work); source maps are not
# compressed (only developer tools read them, and they are the largest files).
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "files"

# Map: no tile server by default (the basemap ships with the app). Set a URL template such as
# https://tiles.example.org/{z}/{x}/{y}.png to add a tile layer; its origin joins the CSP.
CITYWATCH_MAP_TILE_URL = os.environ.get("CITYWATCH_MAP_TILE_URL", "")
CITYWATCH_MAP_TILE_ATTRIBUTION = os.environ.get("CITYWATCH_MAP_TILE_ATTRIBUTION", "")


def tile_origin(url_template: str) -> list[str]:
    """The scheme and host of the optional tile server, for the CSP (nothing by default)."""
    if not url_template:
        return []
    from urllib.parse import urlsplit

    parts = urlsplit(url_template.replace("{s}", "a"))
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


# Strict Content-Security-Policy: everything from this site, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *tile_origin(CITYWATCH_MAP_TILE_URL)],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The public address of this site, used for permalinks in exports and feeds made outside a
# request (e.g. `citywatch export`), so every file names the same addresses.
CITYWATCH_SITE_URL = os.environ.get("CITYWATCH_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The name e-mails (subject prefix, greeting, signature) and the authenticator app give this
# site, instead of its host name and port.
CITYWATCH_SITE_NAME = os.environ.get("CITYWATCH_SITE_NAME", "").strip() or "CityWatch"
MFA_TOTP_ISSUER = CITYWATCH_SITE_NAME

# Outgoing mail (account e-mails, FOI letters, reminders). With no mail server configured it
# is kept in the outbox (see citywatch.core.mail); CITYWATCH_EMAIL_URL or CITYWATCH_EMAIL_HOST
# switch to SMTP delivery, CITYWATCH_EMAIL_BACKEND names any other Django backend.
CITYWATCH_OUTBOX_DIR = Path(os.environ.get("CITYWATCH_OUTBOX_DIR", DATA_DIR / "outbox")).resolve()
EMAIL_BACKEND = OUTBOX_BACKEND
EMAIL_HOST = os.environ.get("CITYWATCH_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("CITYWATCH_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("CITYWATCH_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CITYWATCH_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_flag("CITYWATCH_EMAIL_USE_TLS")
EMAIL_USE_SSL = env_flag("CITYWATCH_EMAIL_USE_SSL")
if os.environ.get("CITYWATCH_EMAIL_HOST"):
    EMAIL_BACKEND = SMTP_BACKEND
if os.environ.get("CITYWATCH_EMAIL_URL"):
    globals().update(email_settings_from_url(os.environ["CITYWATCH_EMAIL_URL"]))
EMAIL_BACKEND = os.environ.get("CITYWATCH_EMAIL_BACKEND", EMAIL_BACKEND)
EMAIL_TIMEOUT = int(os.environ.get("CITYWATCH_EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("CITYWATCH_FROM_EMAIL", "citywatch@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Files sent with tips are cleaned by mat2 (Debian package mat2); see citywatch.evidence.cleaning.
CITYWATCH_MAT2 = os.environ.get("CITYWATCH_MAT2", "mat2")

# Kosovo has no ISO 3166-1 code; XK is the user-assigned code in common use.
COUNTRIES_OVERRIDE = {"XK": _("Kosovo")}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No visitor IP addresses or user agents are logged: requests are not logged at all.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}

# Production (CITYWATCH_PRODUCTION=1): HTTPS only, secure cookies, HSTS. `citywatch check
# --deploy` is clean under these settings. Behind a TLS-terminating proxy, set
# CITYWATCH_BEHIND_PROXY=1 so Django trusts its X-Forwarded-Proto header, and (under
# `citywatch serve`) CITYWATCH_TRUSTED_PROXY=<the proxy's address> so waitress passes it on
# from that proxy only (see docs/admin-guide.md).
CITYWATCH_BEHIND_PROXY = env_flag("CITYWATCH_BEHIND_PROXY")
CITYWATCH_TRUSTED_PROXY = os.environ.get("CITYWATCH_TRUSTED_PROXY", "").strip()
CITYWATCH_TRUSTED_PROXY_COUNT = int(os.environ.get("CITYWATCH_TRUSTED_PROXY_COUNT", "1"))
if PRODUCTION:
    DEBUG = False
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if CITYWATCH_BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
