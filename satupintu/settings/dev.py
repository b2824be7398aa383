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


# --- Single sign-on: the embedded mode's own signing key and pairwise secret -----------------
def _local_oidc_secrets():
    """Made once and kept beside the database, like the identity keys: a new signing key would
    invalidate every app's tokens, a new pairwise secret would change every app's `sub`."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key_path = DATA_DIR / "oidc-signing-key.pem"  # noqa: F405
    if not key_path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        key_path.parent.mkdir(parents=True, exist_ok=True)
        key_path.touch(mode=0o600)
        key_path.write_bytes(pem)
    pairwise_path = DATA_DIR / "oidc-pairwise-key"  # noqa: F405
    if not pairwise_path.exists():
        pairwise_path.touch(mode=0o600)
        pairwise_path.write_text(secrets.token_urlsafe(32))
    return key_path.read_text(), pairwise_path.read_text().strip()


if not (SATUPINTU_OIDC_PRIVATE_KEY and SATUPINTU_OIDC_PAIRWISE_KEY):  # noqa: F405
    _oidc_key, _pairwise = _local_oidc_secrets()
    SATUPINTU_OIDC_PRIVATE_KEY = SATUPINTU_OIDC_PRIVATE_KEY or _oidc_key  # noqa: F405
    SATUPINTU_OIDC_PAIRWISE_KEY = SATUPINTU_OIDC_PAIRWISE_KEY or _pairwise  # noqa: F405
OAUTH2_PROVIDER = {  # noqa: F405
    **OAUTH2_PROVIDER,  # noqa: F405
    "OIDC_RSA_PRIVATE_KEY": SATUPINTU_OIDC_PRIVATE_KEY,
}
if DEBUG or SATUPINTU_DEMO:
    # The demo's example app runs on http://127.0.0.1; public servers stay https-only.
    OAUTH2_PROVIDER["ALLOWED_REDIRECT_URI_SCHEMES"] = ["http", "https"]
    OAUTH2_PROVIDER["ALLOWED_SCHEMES"] = ["http", "https"]
