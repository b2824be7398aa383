"""Is the ID-token signing key (SATUPINTU_OIDC_PRIVATE_KEY) a key at all?

Imported by the production settings, before Django is set up: nothing here may touch Django.

The key usually reaches the settings through an environment file, on one line with `\\n` for
the newlines. Unquoted in a systemd EnvironmentFile, each `\\n` loses its backslash and becomes
a plain `n`: the text still contains "PRIVATE KEY-----", but nothing can sign with it, and
every sign-in to the regency's apps fails. Loading it is the only honest test.
"""

# The start of production's refusal for a key that does not load; check-deploy says the same
# in Indonesian (deploy_checks._signing_key) and leaves this English line out.
NOT_A_KEY = "SATUPINTU_OIDC_PRIVATE_KEY does not load as a PEM RSA private key"


def loads(pem: str) -> bool:
    """True when `pem` is an unencrypted PEM RSA private key (what RS256 signing needs)."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key((pem or "").encode(), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):  # not PEM, damaged, or encrypted
        return False
    return isinstance(key, rsa.RSAPrivateKey)
