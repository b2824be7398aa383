"""Settings for pytest: the database comes from DATABASE_URL (PostgreSQL) or is SQLite."""

import os
import secrets
import tempfile

from cryptography.fernet import Fernet

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "satupintu.sso.hashers.ClientSecretHasher",
]
# Fresh keys per test run: nothing in git can decrypt anything.
SATUPINTU_IDENTITY_KEYS = [Fernet.generate_key().decode()]
SATUPINTU_IDENTITY_HASH_KEYS = [secrets.token_urlsafe(32)]
SATUPINTU_REGISTRY_BACKEND = "local"
SATUPINTU_SMS_BACKEND = "locmem"
MEDIA_ROOT = tempfile.mkdtemp(prefix="satupintu-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="satupintu-test-static-")  # whitenoise wants it to exist
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
STORAGES["reporting_files"]["OPTIONS"]["location"] = tempfile.mkdtemp(  # noqa: F405
    prefix="satupintu-test-reports-"
)
STORAGES["datacatalog_files"]["OPTIONS"]["location"] = tempfile.mkdtemp(  # noqa: F405
    prefix="satupintu-test-datacatalog-"
)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SATUPINTU_DEMO = False
WAGTAILADMIN_BASE_URL = "http://testserver"
# Cached pages would leak between tests; the cache tests switch it on themselves.
WAGTAIL_CACHE = False

# In CI the page cache also runs against the real Redis, as in production.
# Each pytest-xdist worker keeps its own keys and clears only those: one worker's publish
# (which clears the page cache) must not empty another worker's cache mid-test.
if REDIS_URL:  # noqa: F405
    CACHES["pages"] = {
        "BACKEND": "satupintu.operations.cache.ResilientRedisCache",
        "LOCATION": REDIS_PAGES_URL,  # noqa: F405
        "KEY_PREFIX": "satupintu-test-pages-" + os.environ.get("PYTEST_XDIST_WORKER", "main"),
        "OPTIONS": {"CLEAR": "prefix"},
    }

# --- Single sign-on: a fresh signing key per run; the issuer follows the (live) test server.
from cryptography.hazmat.primitives import serialization as _serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa as _rsa  # noqa: E402

SATUPINTU_OIDC_PRIVATE_KEY = (
    _rsa.generate_private_key(public_exponent=65537, key_size=2048)
    .private_bytes(
        _serialization.Encoding.PEM,
        _serialization.PrivateFormat.PKCS8,
        _serialization.NoEncryption(),
    )
    .decode()
)
SATUPINTU_OIDC_PAIRWISE_KEY = secrets.token_urlsafe(32)
OAUTH2_PROVIDER = {  # noqa: F405
    **OAUTH2_PROVIDER,  # noqa: F405
    "OIDC_RSA_PRIVATE_KEY": SATUPINTU_OIDC_PRIVATE_KEY,
    "OIDC_ISS_ENDPOINT": "",
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
    "ALLOWED_SCHEMES": ["http", "https"],
    "ALWAYS_RELOAD_OAUTHLIB_CORE": True,
}
