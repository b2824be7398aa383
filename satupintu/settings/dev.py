"""Embedded/development mode: what `make demo` runs. Never use it on a public server."""

import json
import os
import secrets

from cryptography.fernet import Fernet

from .base import *  # noqa: F403

DEBUG = os.environ.get("DEBUG", "1") == "1"
# A fixed key is harmless here: dev settings refuse nothing and production.py never reads it.
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]  # noqa: F405
SATUPINTU_DEMO = os.environ.get("SATUPINTU_DEMO", "1") == "1"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}


def _local_identity_keys():
    """The embedded mode's own NIK keys, made once and kept beside its database (never in git).
    Losing this file makes the stored NIKs unreadable, so a backup of var/ must include it."""
    path = DATA_DIR / "identity-keys.json"  # noqa: F405
    if not path.exists():
        keys = {"encrypt": [Fernet.generate_key().decode()], "hash": [secrets.token_urlsafe(32)]}
        path.touch(mode=0o600)
        path.write_text(json.dumps(keys))
    return json.loads(path.read_text())


if not (SATUPINTU_IDENTITY_KEYS and SATUPINTU_IDENTITY_HASH_KEYS):  # noqa: F405
    _keys = _local_identity_keys()
    SATUPINTU_IDENTITY_KEYS = _keys["encrypt"]
    SATUPINTU_IDENTITY_HASH_KEYS = _keys["hash"]
