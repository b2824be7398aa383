"""Production mode: PostgreSQL, Redis and secrets from the environment.

Starting is refused, with the reason, when DEBUG is on, the secret key is missing or a known
default, the database is SQLite, or no host is allowed: each of these has exposed real
government sites.
"""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from satupintu.operations import signing_key as _signing_key

from .base import *  # noqa: F403

_problems = []
if os.environ.get("DEBUG", "0") not in ("0", "", "false", "False"):
    _problems.append("DEBUG must be off in production (unset DEBUG or set DEBUG=0).")
DEBUG = False

_insecure_markers = ("insecure", "dev-only", "changeme", "django-insecure", "secret")
if not SECRET_KEY:  # noqa: F405
    _problems.append("SECRET_KEY is not set.")
elif len(SECRET_KEY) < 40 or any(m in SECRET_KEY.lower() for m in _insecure_markers):  # noqa: F405
    _problems.append("SECRET_KEY is a default or too short (use 50 random characters).")
if DB_VENDOR != "postgresql":  # noqa: F405
    _problems.append("DATABASE_URL must point to PostgreSQL; SQLite is for the embedded mode.")
if not ALLOWED_HOSTS:  # noqa: F405
    _problems.append("ALLOWED_HOSTS is empty (comma-separated host names).")
elif "*" in ALLOWED_HOSTS:  # noqa: F405
    _problems.append("ALLOWED_HOSTS must name the portal's hosts, not '*'.")
if not REDIS_URL:  # noqa: F405
    _problems.append("REDIS_URL is not set (cache and sessions live in Redis).")
if not SATUPINTU_IDENTITY_KEYS:  # noqa: F405
    _problems.append(
        "SATUPINTU_IDENTITY_KEYS is not set (Fernet keys that encrypt NIKs; "
        "generate one with `satupintu generate-identity-key`)."
    )
if not SATUPINTU_IDENTITY_HASH_KEYS:  # noqa: F405
    _problems.append("SATUPINTU_IDENTITY_HASH_KEYS is not set (a random secret for NIK lookups).")
if SATUPINTU_REGISTRY_BACKEND not in ("local", "dukcapil", "upstream"):  # noqa: F405
    _problems.append("SATUPINTU_REGISTRY_BACKEND must be local, dukcapil or upstream.")
if SATUPINTU_REGISTRY_BACKEND == "dukcapil" and not all(  # noqa: F405
    SATUPINTU_DUKCAPIL[k] for k in ("URL", "USER_ID", "PASSWORD")  # noqa: F405
):
    _problems.append(
        "SATUPINTU_REGISTRY_BACKEND=dukcapil needs SATUPINTU_DUKCAPIL_URL, _USER_ID and _PASSWORD."
    )
if SATUPINTU_REGISTRY_BACKEND == "upstream" and not SATUPINTU_UPSTREAM_OIDC["ISSUER"]:  # noqa: F405
    _problems.append(
        "SATUPINTU_REGISTRY_BACKEND=upstream needs SATUPINTU_UPSTREAM_OIDC_ISSUER (e.g. INApas)."
    )
_key_file = SATUPINTU_OIDC_PRIVATE_KEY_FILE  # noqa: F405
if _key_file and os.environ.get("SATUPINTU_OIDC_PRIVATE_KEY"):
    _problems.append(
        "SATUPINTU_OIDC_PRIVATE_KEY and SATUPINTU_OIDC_PRIVATE_KEY_FILE are both set: keep one "
        "(the file is easier: the PEM as openssl writes it, mode 640 root:satupintu)."
    )
elif _key_file and not SATUPINTU_OIDC_PRIVATE_KEY:  # noqa: F405
    if not os.path.isfile(_key_file):  # noqa: PTH113
        _reason = "no such file"
    elif not os.access(_key_file, os.R_OK):
        _reason = "this user may not read it"
    else:
        _reason = "it is empty or not text"
    _problems.append(
        f"SATUPINTU_OIDC_PRIVATE_KEY_FILE={_key_file} cannot be read ({_reason}): the site "
        "runs as satupintu; give the file mode 640, owner root:satupintu."
    )
elif not SATUPINTU_OIDC_PRIVATE_KEY.strip():  # noqa: F405
    _problems.append(
        "SATUPINTU_OIDC_PRIVATE_KEY is not set (the PEM RSA key that signs ID tokens for the "
        "regency's apps; generate one with `openssl genrsa 2048` and keep it outside git; or "
        "put it in a file named by SATUPINTU_OIDC_PRIVATE_KEY_FILE)."
    )
elif not _signing_key.loads(SATUPINTU_OIDC_PRIVATE_KEY):  # noqa: F405
    _problems.append(
        _signing_key.NOT_A_KEY
        + (
            f" (read from SATUPINTU_OIDC_PRIVATE_KEY_FILE={_key_file})."
            if _key_file
            else ": in the environment file write it on one line, in single quotes, with its "
            "newlines as \\n (unquoted, systemd drops the backslashes), or put the PEM in a "
            "file named by SATUPINTU_OIDC_PRIVATE_KEY_FILE."
        )
    )
if len(SATUPINTU_OIDC_PAIRWISE_KEY) < 32:  # noqa: F405
    _problems.append(
        "SATUPINTU_OIDC_PAIRWISE_KEY is not set or too short (32+ random characters; it derives "
        "each app's user identifiers and must never change)."
    )
_base = urlsplit(SATUPINTU_BASE_URL)  # noqa: F405
if _base.hostname not in ("127.0.0.1", "localhost", "::1") and (
    _base.scheme != "https" or _base.hostname not in ALLOWED_HOSTS  # noqa: F405
):
    _problems.append(
        "SATUPINTU_BASE_URL must be the portal's public https:// address on one of "
        "ALLOWED_HOSTS (it is the issuer the regency's apps trust, and the address in e-mails)."
    )
# `satupintu check-deploy` loads these settings to list every problem instead of stopping at
# the first refusal; nothing serves requests in that mode.
SATUPINTU_DEPLOY_PROBLEMS = list(_problems)
if _problems and os.environ.get("SATUPINTU_CHECK_DEPLOY") != "1":
    raise ImproperlyConfigured("Refusing to start in production mode: " + " ".join(_problems))

# Queued work goes to the database queue, run by `satupintu worker` (deploy/systemd/).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_FORMAT == "json" else "text"  # noqa: F405
SATUPINTU_ACCESS_LOG = os.environ.get("SATUPINTU_ACCESS_LOG", "1") == "1"
SATUPINTU_DEMO = os.environ.get("SATUPINTU_DEMO", "0") == "1"
SILENCED_SYSTEM_CHECKS = [
    # Wagtail's preview shows the page in a frame of the admin, on the same origin.
    "security.W019",
    # HSTS: nginx sends the header itself with includeSubDomains on every https response
    # (deploy/nginx/satupintu-http.conf, map $satupintu_hsts), so Django's own
    # SECURE_HSTS_INCLUDE_SUBDOMAINS (W005) does not matter; preload (W021) is a policy
    # decision for the regency (hstspreload.org binds every subdomain for years).
    "security.W005",
    "security.W021",
]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
