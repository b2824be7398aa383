"""How the NIK (and other identity evidence) is kept: encrypted once, looked up by keyed hash.

* Encryption uses Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`). `SATUPINTU_IDENTITY_KEYS`
  is a list: the first key encrypts, every key decrypts, so a key is rotated by putting a new one
  first and running `satupintu rotate-identity-keys`, which re-encrypts every row.
* Lookups use HMAC-SHA256 with `SATUPINTU_IDENTITY_HASH_KEYS` (first key current). A plain hash
  of a NIK is worthless as protection (the space is small and structured); a keyed one is only as
  weak as the key's custody. Values of different kinds are hashed under different labels so a
  name hash can never be confused with a NIK hash.

Keys come from the environment in production (settings refuse to start without them); the
embedded mode generates its own into `var/identity-keys.json`, outside git.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class IdentityKeyError(RuntimeError):
    pass


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise IdentityKeyError("SATUPINTU_IDENTITY_KEYS is empty.")
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


def _encryption() -> MultiFernet:
    return _fernet(tuple(settings.SATUPINTU_IDENTITY_KEYS))


def _hash_keys() -> list[bytes]:
    keys = settings.SATUPINTU_IDENTITY_HASH_KEYS
    if not keys:
        raise IdentityKeyError("SATUPINTU_IDENTITY_HASH_KEYS is empty.")
    return [k.encode() if isinstance(k, str) else k for k in keys]


def encrypt(value: str) -> str:
    return _encryption().encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _encryption().decrypt(token.encode("ascii")).decode()
    except InvalidToken as exc:  # A removed key: say so, without the token.
        raise IdentityKeyError("Cannot decrypt with any configured identity key.") from exc


def reencrypt(token: str) -> str:
    """The same value under the current (first) key."""
    return _encryption().rotate(token.encode("ascii")).decode("ascii")


def keyed_hash(label: str, value: str, key: bytes | None = None) -> str:
    key = key or _hash_keys()[0]
    return hmac.new(key, f"{label}\x00{value}".encode(), hashlib.sha256).hexdigest()


def lookup_hashes(label: str, value: str) -> list[str]:
    """Hashes under every configured key, current first: lookups keep working mid-rotation."""
    return [keyed_hash(label, value, key) for key in _hash_keys()]


def hash_nik(digits: str) -> str:
    return keyed_hash("nik", digits)


def nik_lookup_hashes(digits: str) -> list[str]:
    return lookup_hashes("nik", digits)


def normalise_name(name: str) -> str:
    """The form in which names are compared: registry names are upper case, ASCII-folded,
    single-spaced and without punctuation ("Siti Nur'aini" == "SITI NURAINI")."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = "".join(c if c.isalnum() or c.isspace() else "" for c in text.upper())
    return " ".join(text.split())


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")
