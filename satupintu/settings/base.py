"""Settings shared by every mode.

The embedded mode (SQLite, files on local disk, local-memory cache, background work run
in-process) is what you get with no environment at all; production.py switches to PostgreSQL
and Redis from the environment and refuses unsafe combinations.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent

# Everything the running site writes (embedded database, uploads, collected static files,
# demo credentials) lives under one folder, so a backup is one folder plus the database.
DATA_DIR = Path(os.environ.get("SATUPINTU_DATA_DIR", BASE_DIR / "var")).resolve()

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]

INSTALLED_APPS = [
    "satupintu.core",
    "satupintu.regency",
    "satupintu.media",
    "satupintu.opd",
    "satupintu.home",
    "satupintu.news",
    "satupintu.announcements",
    "satupintu.events",
    "satupintu.services",
    "satupintu.ppid",
    "satupintu.search",
    "satupintu.feeds",
    "satupintu.wordpress",
    "satupintu.linkcheck",
    "satupintu.demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailcache",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "wagtailcache.cache.UpdateCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "satupintu.wordpress.middleware.WordPressRedirectMiddleware",
    "wagtailcache.cache.FetchFromCacheMiddleware",
]

ROOT_URLCONF = "satupintu.urls"
WSGI_APPLICATION = "satupintu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "satupintu.core.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'satupintu.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DB_VENDOR = "postgresql" if "postgres" in DATABASES["default"]["ENGINE"] else "sqlite"
if DB_VENDOR == "sqlite":
    # Many readers, one writer: WAL and a busy timeout keep the embedded mode usable by a few
    # editors at once without "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    INSTALLED_APPS.append("django.contrib.postgres")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, background work -------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")


def _next_redis_db(url: str) -> str:
    """The Redis database after REDIS_URL's: the page cache is cleared (FLUSHDB) on every
    publish, which must not take the sessions and the shared cache with it."""
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + 1
    return urlunsplit(parts._replace(path=f"/{number}"))


REDIS_PAGES_URL = os.environ.get("REDIS_PAGES_URL") or (
    _next_redis_db(REDIS_URL) if REDIS_URL else ""
)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "satupintu",
        },
        # Whole public pages; cleared on every publish so no citizen sees stale news.
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_PAGES_URL,
            "KEY_PREFIX": "satupintu-pages",
            "TIMEOUT": 3600,
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }

WAGTAIL_CACHE_BACKEND = "pages"
WAGTAIL_CACHE = os.environ.get("SATUPINTU_PAGE_CACHE", "1") == "1"

# Wagtail runs its background work (search index updates, reference index) through Django
# tasks; the embedded mode runs them in-process, immediately.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Passwords and sessions -----------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Language: Bahasa Indonesia first -------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploads are hostile until checked: size caps here, type sniffing in satupintu.media.
SATUPINTU_MAX_IMAGE_BYTES = int(os.environ.get("SATUPINTU_MAX_IMAGE_BYTES", 10 * 1024 * 1024))
SATUPINTU_MAX_DOCUMENT_BYTES = int(os.environ.get("SATUPINTU_MAX_DOCUMENT_BYTES", 25 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = SATUPINTU_MAX_IMAGE_BYTES
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 64_000_000
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
WAGTAILIMAGES_IMAGE_MODEL = "media.PortalImage"
WAGTAILIMAGES_IMAGE_FORM_BASE = "satupintu.media.forms.PortalImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "satupintu.media.forms.PortalDocumentForm"
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "odt",
    "ods",
    "csv",
    "txt",
    "zip",
]
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Satu Pintu"
WAGTAILADMIN_BASE_URL = os.environ.get("SATUPINTU_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        # PostgreSQL's Indonesian snowball stemmer makes "izin" find "perizinan".
        **({"SEARCH_CONFIG": "indonesian"} if DB_VENDOR == "postgresql" else {}),
    }
}
WAGTAILEMBEDS_FINDERS = []  # No outbound oEmbed calls from inside the government network.

# --- The regency this installation serves ---------------------------------------------------
# Only the default for `satupintu init-regency` and the demo; the live configuration is the
# RegencySettings row that Kominfo edits in the admin.
SATUPINTU_REGENCY_CODE = os.environ.get("SATUPINTU_REGENCY_CODE", "35.24")
SATUPINTU_DEMO = os.environ.get("SATUPINTU_DEMO", "0") == "1"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per background task and page action is noise on the console; the audit
        # log in the database keeps the page actions.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
