"""A fast, salted hash for OAuth client secrets, not for passwords.

A client secret is a long random string made by the provider (128 characters from
django-oauth-toolkit, 192+ bits from the demo and the registration form): nobody can guess it,
so slowing down each check buys nothing. Hashing it with the password hasher (Argon2id, 46 MiB)
made every token request cost ~40 ms of CPU, half an authorization-code exchange
(bench/oidc), and let anyone holding a public client id burn CPU with wrong secrets.

It is listed last in PASSWORD_HASHERS only because django-oauth-toolkit looks hashers up there
(`CLIENT_SECRET_HASHER`); no user password is ever hashed with it, and one that somehow were
would be re-hashed with Argon2id at the next sign-in.
"""

import hashlib
import hmac

from django.contrib.auth.hashers import BasePasswordHasher, mask_hash
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_noop as _


class ClientSecretHasher(BasePasswordHasher):
    algorithm = "sha256_secret"

    def encode(self, password, salt):
        self._check_encode_args(password, salt)
        digest = hmac.new(salt.encode(), password.encode(), hashlib.sha256).hexdigest()
        return f"{self.algorithm}${salt}${digest}"

    def decode(self, encoded):
        algorithm, salt, digest = encoded.split("$", 2)
        assert algorithm == self.algorithm
        return {"algorithm": algorithm, "hash": digest, "salt": salt}

    def verify(self, password, encoded):
        decoded = self.decode(encoded)
        return constant_time_compare(encoded, self.encode(password, decoded["salt"]))

    def safe_summary(self, encoded):
        decoded = self.decode(encoded)
        return {
            _("algorithm"): decoded["algorithm"],
            _("salt"): mask_hash(decoded["salt"], show=2),
            _("hash"): mask_hash(decoded["hash"]),
        }

    def must_update(self, encoded):
        return False

    def harden_runtime(self, password, encoded):
        pass
