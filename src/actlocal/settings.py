"""Django settings for ActLocal, read from the environment (see README, "Configuration")."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from actlocal.common import config

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
DATA_DIR = config.data_dir()

DEBUG = config.env_bool("DEBUG", False)
SECRET_KEY = config.secret_key(DATA_DIR)
ALLOWED_HOSTS = config.env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
ACTLOCAL_BASE_URL = config.base_url(
    config.env_str("ACTLOCAL_BASE_URL"), f"http://127.0.0.1:{config.env_int('PORT', 8000)}"
)
ACTLOCAL_MAX_UPLOAD_MB = config.env_int("ACTLOCAL_MAX_UPLOAD_MB", 40, minimum=1)
ACTLOCAL_TILE_URL = config.env_str(
    "ACTLOCAL_TILE_URL", ""
)  # empty: maps draw markers and state outlines without tiles
ACTLOCAL_TILE_ATTRIBUTION = config.env_str("ACTLOCAL_TILE_ATTRIBUTION", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "actlocal.common",
    "actlocal.accounts",
    "actlocal.people",
    "actlocal.network",
    "actlocal.events",
    "actlocal.local",
    "actlocal.followup",
    "actlocal.web",
    "actlocal.orga",
    "actlocal.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "actlocal.common.middleware.StripTrailingSlashMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "actlocal.common.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "actlocal.urls"
WSGI_APPLICATION = "actlocal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "actlocal.common.context_processors.site",
            ],
        },
    }
]

DATABASES = {"default": config.database(config.env_str("DATABASE_URL"), DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        # Shared by every gunicorn worker and app server (rate limits, cached metrics).
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "actlocal_cache",
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "orga:dashboard"
LOGOUT_REDIRECT_URL = "web:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Español"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = config.time_zone(config.env_str("TIME_ZONE"))
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [
    BASE_DIR / "static",
    # Installed from npm by `make assets` (package-lock.json); never loaded from a CDN.
    ("vendor/htmx", PROJECT_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/leaflet", PROJECT_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/topojson-client", PROJECT_DIR / "node_modules" / "topojson-client" / "dist"),
    ("vendor/us-atlas", PROJECT_DIR / "node_modules" / "us-atlas"),
]
STATICFILES_DIRS = [
    entry
    for entry in STATICFILES_DIRS
    if Path(entry[1] if isinstance(entry, tuple) else entry).is_dir()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# An oversized body's files are skipped, never written anywhere (common/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "actlocal.common.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

# Mail: EMAIL_URL (default: files under the data dir).
globals().update(config.email(config.env_str("EMAIL_URL"), DATA_DIR))
DEFAULT_FROM_EMAIL = config.env_str("DEFAULT_FROM_EMAIL", "ActLocal <noreply@actlocal.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ACTLOCAL_MAIL_MAX_ATTEMPTS = config.env_int("ACTLOCAL_MAIL_MAX_ATTEMPTS", 5, minimum=1)

# Public RSVP forms (event page, manage link, invitation): POSTs per window per client IP,
# and per email address (or per manage link / invitation); 0 switches a limit off.
ACTLOCAL_RSVP_LIMIT_PER_IP = config.env_int("ACTLOCAL_RSVP_LIMIT_PER_IP", 60)
ACTLOCAL_RSVP_LIMIT_PER_EMAIL = config.env_int("ACTLOCAL_RSVP_LIMIT_PER_EMAIL", 10)
ACTLOCAL_RSVP_LIMIT_WINDOW = config.env_int("ACTLOCAL_RSVP_LIMIT_WINDOW", 3600, minimum=1)

# Background work: django-tasks with the database backend; `actlocal worker` runs it.
ACTLOCAL_TASKS = config.env_str("ACTLOCAL_TASKS", "database")
if ACTLOCAL_TASKS == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif ACTLOCAL_TASKS == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    raise config.ConfigError(
        f"ACTLOCAL_TASKS: expected 'database' or 'immediate', got {ACTLOCAL_TASKS!r}"
    )

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ActLocal API",
    "DESCRIPTION": "OSDI / Action Network v2 compatible API and a Mobilize-shaped public feed.",
    "VERSION": "2",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if config.env_bool("ACTLOCAL_HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = config.env_bool("ACTLOCAL_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = config.env_int("ACTLOCAL_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [ACTLOCAL_BASE_URL]
# /healthz must answer plain HTTP probes from the proxy or orchestrator.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": config.env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
    },
}
