"""Settings shared by every mode.

The embedded mode (SQLite, files on local disk, local-memory cache, background work run
in-process) is what you get with no environment at all; production.py switches to PostgreSQL
and Redis from the environment and refuses unsafe combinations.
"""

import contextlib
import ipaddress
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
    "satupintu.registry",
    "satupintu.citizens",
    "satupintu.sso",
    "satupintu.appcatalog",
    "satupintu.reporting",
    "satupintu.datacatalog",
    "satupintu.api",
    "satupintu.operations",
    "satupintu.backup",
    "satupintu.staticexport",
    "satupintu.demo",
    "django_tasks_db",  # the queue the worker (`satupintu db_worker`) takes work from
    "oauth2_provider",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "satupintu.citizens.apps.StaffUsersConfig",  # wagtail.users without citizens
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "ninja",  # serves Swagger UI from our static files, not a CDN
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
    # First, so its request id, timing and metrics cover everything below it.
    "satupintu.operations.middleware.RequestMetricsMiddleware",
    "satupintu.operations.middleware.TrustedProxyMiddleware",
    # Outside wagtail-cache, so it rewrites cached and fresh responses alike.
    "satupintu.operations.middleware.PublicCacheHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "satupintu.operations.headers.SecurityHeadersMiddleware",
    # A NUL in the query string is refused before any view passes it to SQL.
    "satupintu.core.nul.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "wagtailcache.cache.UpdateCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "satupintu.citizens.sessions.AccountSessionMiddleware",
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
    # ResilientRedisCache: if Redis stops, each process serves from its own memory until
    # Redis answers again, so the site stays up, slower (satupintu/operations/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "satupintu.operations.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "satupintu",
        },
        # Whole public pages; cleared on every publish so no citizen sees stale news.
        "pages": {
            "BACKEND": "satupintu.operations.cache.ResilientRedisCache",
            "LOCATION": REDIS_PAGES_URL,
            "KEY_PREFIX": "satupintu-pages",
            "TIMEOUT": 3600,
        },
    }
    # Sessions are written to the database and read through Redis: a Redis restart signs
    # nobody out, and a sign-out while Redis was away is not undone when it returns.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
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

# No avatars from gravatar.com in the admin: it would send a hash of each staff member's e-mail
# address to a third party (and the admin's CSP blocks it anyway).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_CACHE_BACKEND = "pages"
WAGTAIL_CACHE = os.environ.get("SATUPINTU_PAGE_CACHE", "1") == "1"

# Wagtail runs its background work (search index updates, reference index) through Django
# tasks; the embedded mode runs them in-process, immediately.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Passwords and sessions -----------------------------------------------------------------
# Argon2id first (memory-hard, resists GPU guessing), at OWASP's 46 MiB / 1 pass / 1 lane (see
# satupintu/citizens/hashers.py for the measurement); PBKDF2 still reads older hashes and Django
# upgrades them at the next sign-in.
PASSWORD_HASHERS = [
    "satupintu.citizens.hashers.RegencyArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    # Only for OAuth client secrets (long and random), never for passwords: satupintu/sso.
    "satupintu.sso.hashers.ClientSecretHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    # Django's list of 20,000 passwords seen in breaches; a regency may point
    # SATUPINTU_BREACHED_PASSWORDS at a larger list (one password per line, optionally gzipped).
    {
        "NAME": "django.contrib.auth.password_validation.CommonPasswordValidator",
        **(
            {"OPTIONS": {"password_list_path": os.environ["SATUPINTU_BREACHED_PASSWORDS"]}}
            if os.environ.get("SATUPINTU_BREACHED_PASSWORDS")
            else {}
        ),
    },
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "satupintu.citizens.passwords.LocalPasswordValidator"},
    {"NAME": "satupintu.citizens.passwords.MaximumLengthValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Staff sign in with a username; citizens with NIK + password (satupintu.citizens).
    "django.contrib.auth.backends.ModelBackend",
    "satupintu.citizens.backends.NIKBackend",
]
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Citizen accounts and identity (satupintu.identity, .registry, .citizens) ----------------
def _key_list(name: str) -> list[str]:
    return [k.strip() for k in os.environ.get(name, "").split(",") if k.strip()]


# Fernet keys (first encrypts, all decrypt) and HMAC keys (first current) for NIKs. Production
# refuses to start without them; dev.py generates its own under var/.
SATUPINTU_IDENTITY_KEYS = _key_list("SATUPINTU_IDENTITY_KEYS")
SATUPINTU_IDENTITY_HASH_KEYS = _key_list("SATUPINTU_IDENTITY_HASH_KEYS")
# Backups (satupintu.backup): age public keys (age1..., comma-separated) the archives are
# encrypted to; the private keys stay off the server (`satupintu backup-key` elsewhere).
SATUPINTU_BACKUP_RECIPIENTS = _key_list("SATUPINTU_BACKUP_RECIPIENTS")
# Where the nightly backup writes (`satupintu upgrade` backs up there first; check-deploy
# reports the age of the newest archive).
SATUPINTU_BACKUP_DIR = os.environ.get("SATUPINTU_BACKUP_DIR", "")

# Which registry answers "is this person who they say they are": "local" (a SIAK extract
# imported with `satupintu import-registry`), "dukcapil" (Disdukcapil's verification web
# service) or "upstream" (only an upstream OpenID provider such as INApas proves identity).
SATUPINTU_REGISTRY_BACKEND = os.environ.get("SATUPINTU_REGISTRY_BACKEND", "local")
# Extra fields the regency's PKS requires at sign-up, from: birth_place, mother_name.
SATUPINTU_SIGNUP_EXTRA_FIELDS = _key_list("SATUPINTU_SIGNUP_EXTRA_FIELDS")
SATUPINTU_DUKCAPIL = {
    "URL": os.environ.get("SATUPINTU_DUKCAPIL_URL", ""),
    "USER_ID": os.environ.get("SATUPINTU_DUKCAPIL_USER_ID", ""),
    "PASSWORD": os.environ.get("SATUPINTU_DUKCAPIL_PASSWORD", ""),
    "IP_USER": os.environ.get("SATUPINTU_DUKCAPIL_IP_USER", ""),
    # A CA bundle for the government network's private CA; verification is never turned off.
    "CA_BUNDLE": os.environ.get("SATUPINTU_DUKCAPIL_CA_BUNDLE", ""),
    "THRESHOLD": int(os.environ.get("SATUPINTU_DUKCAPIL_THRESHOLD", "90")),
    "CONNECT_TIMEOUT": float(os.environ.get("SATUPINTU_DUKCAPIL_CONNECT_TIMEOUT", "3")),
    "READ_TIMEOUT": float(os.environ.get("SATUPINTU_DUKCAPIL_READ_TIMEOUT", "8")),
    "RETRIES": int(os.environ.get("SATUPINTU_DUKCAPIL_RETRIES", "2")),
    "BREAKER_FAILURES": int(os.environ.get("SATUPINTU_DUKCAPIL_BREAKER_FAILURES", "5")),
    "BREAKER_COOLDOWN": int(os.environ.get("SATUPINTU_DUKCAPIL_BREAKER_COOLDOWN", "60")),
    "BACKOFF": float(os.environ.get("SATUPINTU_DUKCAPIL_BACKOFF", "0.5")),
    "BACKOFF_MAX": float(os.environ.get("SATUPINTU_DUKCAPIL_BACKOFF_MAX", "4")),
    # The citizen waits on this page: a bound on all attempts together, below gunicorn's timeout.
    "TOTAL_TIMEOUT": float(os.environ.get("SATUPINTU_DUKCAPIL_TOTAL_TIMEOUT", "15")),
    # The province and regency names exactly as the PKS annex says the service expects them;
    # empty = derived from the region data ("JAWA TIMUR", "LAMONGAN").
    "PROP_NAME": os.environ.get("SATUPINTU_DUKCAPIL_PROP_NAME", ""),
    "KAB_NAME": os.environ.get("SATUPINTU_DUKCAPIL_KAB_NAME", ""),
}
# An upstream OpenID provider (e.g. INApas) as one more way to prove who someone is.
SATUPINTU_UPSTREAM_OIDC = {
    "NAME": os.environ.get("SATUPINTU_UPSTREAM_OIDC_NAME", "INApas"),
    "ISSUER": os.environ.get("SATUPINTU_UPSTREAM_OIDC_ISSUER", ""),
    "CLIENT_ID": os.environ.get("SATUPINTU_UPSTREAM_OIDC_CLIENT_ID", ""),
    "CLIENT_SECRET": os.environ.get("SATUPINTU_UPSTREAM_OIDC_CLIENT_SECRET", ""),
    "SCOPE": os.environ.get("SATUPINTU_UPSTREAM_OIDC_SCOPE", "openid profile"),
    # The claim that carries the NIK at that provider.
    "NIK_CLAIM": os.environ.get("SATUPINTU_UPSTREAM_OIDC_NIK_CLAIM", "nik"),
    "CA_BUNDLE": os.environ.get("SATUPINTU_UPSTREAM_OIDC_CA_BUNDLE", ""),
}
# Where one-time codes for a phone number go: "console", "locmem" (tests) or "http" (a gateway
# that takes a JSON POST {"to", "message"} with a bearer token).
SATUPINTU_SMS_BACKEND = os.environ.get("SATUPINTU_SMS_BACKEND", "console")
SATUPINTU_SMS_GATEWAY_URL = os.environ.get("SATUPINTU_SMS_GATEWAY_URL", "")
SATUPINTU_SMS_GATEWAY_TOKEN = os.environ.get("SATUPINTU_SMS_GATEWAY_TOKEN", "")
# Citizens' sessions: idle and absolute limits (seconds). Staff keep Django's cookie age.
SATUPINTU_CITIZEN_IDLE_TIMEOUT = int(os.environ.get("SATUPINTU_CITIZEN_IDLE_TIMEOUT", 30 * 60))
SATUPINTU_CITIZEN_ABSOLUTE_TIMEOUT = int(
    os.environ.get("SATUPINTU_CITIZEN_ABSOLUTE_TIMEOUT", 12 * 3600)
)
SATUPINTU_STAFF_IDLE_TIMEOUT = int(os.environ.get("SATUPINTU_STAFF_IDLE_TIMEOUT", 4 * 3600))
# Accounts are for people who hold a KTP-el: 17 years old (or married, which the registry
# cannot tell us online). Younger citizens are served through a parent's account.
SATUPINTU_MINIMUM_AGE = 17
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Satu Pintu")
LOGIN_URL = "citizens:signin"

# --- Single sign-on (satupintu.sso) ----------------------------------------------------------
# Satu Pintu is the OpenID provider for the regency's apps (django-oauth-toolkit, hardened; see
# satupintu/sso/). The RS256 signing key comes from the environment (PEM); production refuses
# to start without it, dev.py keeps its own under var/. Keys listed in
# SATUPINTU_OIDC_INACTIVE_KEYS stay in the JWKS after a rotation until their tokens expire.
def _pem_blocks(text: str) -> list[str]:
    import re

    return re.findall(r"-----BEGIN [A-Z ]+-----.+?-----END [A-Z ]+-----", text or "", re.S)


SATUPINTU_BASE_URL = os.environ.get("SATUPINTU_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
SATUPINTU_OIDC_PRIVATE_KEY = os.environ.get("SATUPINTU_OIDC_PRIVATE_KEY", "").replace("\\n", "\n")
# ... or, instead (production refuses both), the path of a PEM file holding it as
# `openssl genrsa` writes it: no quoting, no `\n`. E.g. /etc/satupintu/oidc-signing-key.pem,
# mode 640 root:satupintu. A file that cannot be read leaves the key empty; production.py
# says why.
SATUPINTU_OIDC_PRIVATE_KEY_FILE = os.environ.get("SATUPINTU_OIDC_PRIVATE_KEY_FILE", "").strip()
if SATUPINTU_OIDC_PRIVATE_KEY_FILE and not SATUPINTU_OIDC_PRIVATE_KEY:
    with contextlib.suppress(OSError, UnicodeDecodeError):
        SATUPINTU_OIDC_PRIVATE_KEY = Path(SATUPINTU_OIDC_PRIVATE_KEY_FILE).read_text()
SATUPINTU_OIDC_INACTIVE_KEYS = _pem_blocks(
    os.environ.get("SATUPINTU_OIDC_INACTIVE_KEYS", "").replace("\\n", "\n")
)
# Secret for pairwise subject identifiers: changing it changes every app's `sub` for everyone.
SATUPINTU_OIDC_PAIRWISE_KEY = os.environ.get("SATUPINTU_OIDC_PAIRWISE_KEY", "")
# A refresh-token family dies this long after its authorization, however often it is used.
SATUPINTU_OIDC_REFRESH_ABSOLUTE_SECONDS = int(
    os.environ.get("SATUPINTU_OIDC_REFRESH_ABSOLUTE_SECONDS", 30 * 24 * 3600)
)
# Back-channel logout: how long one POST to an app may take; sign-out never waits for it.
SATUPINTU_OIDC_BACKCHANNEL_TIMEOUT = float(
    os.environ.get("SATUPINTU_OIDC_BACKCHANNEL_TIMEOUT", "3")
)
# DOT's own model, named so migrations that point at it resolve (it is not swapped).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "CLIENT_SECRET_HASHER": "sha256_secret",
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": SATUPINTU_BASE_URL + "/sso",
    "OIDC_RSA_PRIVATE_KEY": SATUPINTU_OIDC_PRIVATE_KEY,
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": SATUPINTU_OIDC_INACTIVE_KEYS,
    "OAUTH2_VALIDATOR_CLASS": "satupintu.sso.validators.SatuPintuValidator",
    "SCOPES": {
        "openid": "OpenID Connect",
        "profile": "Nama",
        "email": "Alamat surel",
        "phone": "Nomor ponsel",
        "domicile": "Kode wilayah domisili",
        "identity": "Tingkat keyakinan identitas",
        "nik": "Nomor Induk Kependudukan",
    },
    "DEFAULT_SCOPES": ["openid"],
    "OIDC_SUBJECT_TYPES_SUPPORTED": ["pairwise"],
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["authorization_code", "refresh_token"],
    "PKCE_REQUIRED": True,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 10 * 60,
    "ID_TOKEN_EXPIRE_SECONDS": 10 * 60,
    # Sliding: a refresh token unused for a week dies; the absolute limit is enforced in
    # satupintu.sso.validators from the family's first issue.
    "REFRESH_TOKEN_EXPIRE_SECONDS": 7 * 24 * 3600,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "ALLOWED_SCHEMES": ["https"],
    "ALLOW_URI_WILDCARDS": False,
    "REQUEST_APPROVAL_PROMPT": "force",
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
    "OIDC_RP_INITIATED_LOGOUT_ACCEPT_EXPIRED_TOKENS": True,
    "OIDC_RP_INITIATED_LOGOUT_DELETE_TOKENS": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}

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
    # Report attachments: outside MEDIA_ROOT (nginx never serves them); the reporting views
    # check the OPD before streaming a file.
    "reporting_files": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "private" / "reporting"), "base_url": None},
    },
    # Dataset files: also private; a file is public only through the version the Walidata
    # verified, which the catalog views check.
    "datacatalog_files": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "private" / "datacatalog"), "base_url": None},
    },
}
SATUPINTU_MAX_REPORT_FILE_BYTES = int(
    os.environ.get("SATUPINTU_MAX_REPORT_FILE_BYTES", 10 * 1024 * 1024)
)
# A dataset file (CSV/XLSX/PDF...); nginx's client_max_body_size must allow it too.
SATUPINTU_MAX_DATASET_FILE_BYTES = int(
    os.environ.get("SATUPINTU_MAX_DATASET_FILE_BYTES", 200 * 1024 * 1024)
)

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

# Error e-mails and debug pages never carry a NIK, even from a local variable.
DEFAULT_EXCEPTION_REPORTER_FILTER = "satupintu.identity.reporting.NIKSafeExceptionReporterFilter"

# --- Logs, metrics, health (satupintu/operations/) ---------------------------------------------
# LOG_FORMAT=json in production: one JSON object per line with the request id. Both formats
# mask NIKs, e-mail addresses and phone numbers (satupintu/operations/logs.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "satupintu.operations.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "satupintu.operations.logs.JsonFormatter"},
        "text": {"()": "satupintu.operations.logs.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per background task and page action is noise on the console; the audit
        # log in the database keeps the page actions.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
# One access-log line per request from Django (gunicorn's own access log, which would carry
# query strings, stays off).
SATUPINTU_ACCESS_LOG = os.environ.get("SATUPINTU_ACCESS_LOG", "0") == "1"
# /metrics: these networks, or a request with "Authorization: Bearer <token>".
SATUPINTU_METRICS_ALLOW = [
    ipaddress.ip_network(n.strip())
    for n in os.environ.get("SATUPINTU_METRICS_ALLOW", "127.0.0.0/8,::1/128").split(",")
    if n.strip()
]
SATUPINTU_METRICS_TOKEN = os.environ.get("SATUPINTU_METRICS_TOKEN", "")
# Public pages: how long browsers may keep them, and nginx's micro-cache (purged on publish).
SATUPINTU_BROWSER_MAX_AGE = int(os.environ.get("SATUPINTU_BROWSER_MAX_AGE", "60"))
SATUPINTU_MICROCACHE_SECONDS = int(os.environ.get("SATUPINTU_MICROCACHE_SECONDS", "10"))
# Reverse proxies whose X-Forwarded-For is believed (nginx on the same machine by default).
SATUPINTU_TRUSTED_PROXIES = [
    ipaddress.ip_network(n.strip())
    for n in os.environ.get("SATUPINTU_TRUSTED_PROXIES", "127.0.0.0/8,::1/128").split(",")
    if n.strip()
]
# nginx's micro-cache, purged on publish (deploy/nginx/): the address of its purge listener.
SATUPINTU_FRONTEND_CACHE_URL = os.environ.get("SATUPINTU_FRONTEND_CACHE_URL", "")
if SATUPINTU_FRONTEND_CACHE_URL:
    WAGTAILFRONTENDCACHE = {
        "nginx": {
            "BACKEND": "satupintu.operations.frontend_cache.NginxPurgeBackend",
            "LOCATION": SATUPINTU_FRONTEND_CACHE_URL,
        }
    }
