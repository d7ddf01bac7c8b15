"""One settings module, driven by environment variables.

CITYWATCH_DATA_DIR   folder for the SQLite database and stored files (default ./citywatch-data)
DATABASE_URL         e.g. postgres://user@host/db; switches from SQLite to PostgreSQL
CITYWATCH_SECRET_KEY secret key (a random one is created in the data folder if unset)
CITYWATCH_DEBUG      "1" for development error pages (never in production)
CITYWATCH_ALLOWED_HOSTS  comma-separated host names (default: localhost names)
"""

from __future__ import annotations

import os
import secrets
import warnings
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("CITYWATCH_DATA_DIR", "citywatch-data")).resolve()


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_secret_key(data_dir: Path) -> str:
    """Use CITYWATCH_SECRET_KEY, or a random key kept in the data folder (created once)."""
    from_env = os.environ.get("CITYWATCH_SECRET_KEY")
    if from_env:
        return from_env
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
    "citywatch.web",
    "citywatch.places",
    "citywatch.actors",
    "citywatch.evidence",
    "citywatch.atlas",
    "citywatch.seed",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "citywatch.urls"
WSGI_APPLICATION = "citywatch.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
WHITENOISE_USE_FINDERS = True
# Files are also found through the finders, so a data folder without collected files is fine.
warnings.filterwarnings("ignore", message="No directory at")
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

# Kosovo has no ISO 3166-1 code; XK is the user-assigned code in common use.
COUNTRIES_OVERRIDE = {"XK": _("Kosovo")}

SESSION_COOKIE_HTTPONLY = True
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
