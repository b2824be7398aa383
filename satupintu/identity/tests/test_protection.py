"""Encryption with rotating keys, keyed hashes, and the form names are compared in."""

import hashlib
import hmac

import pytest
from cryptography.fernet import Fernet

from satupintu.identity.protection import (
    IdentityKeyError,
    decrypt,
    encrypt,
    hash_nik,
    keyed_hash,
    lookup_hashes,
    nik_lookup_hashes,
    normalise_name,
    reencrypt,
)

NIK = "3524011203850001"  # made up
KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture
def keys(settings):
    settings.SATUPINTU_IDENTITY_KEYS = [KEY_A]
    settings.SATUPINTU_IDENTITY_HASH_KEYS = ["hash-key-one"]
    return settings


# --- Encryption ---------------------------------------------------------------------------------
def test_round_trip(keys):
    token = encrypt(NIK)
    assert NIK not in token
    assert decrypt(token) == NIK


def test_same_value_encrypts_differently_each_time(keys):
    assert encrypt(NIK) != encrypt(NIK)


def test_non_ascii_round_trip(keys):
    assert decrypt(encrypt("Siti Nur’aini")) == "Siti Nur’aini"


def test_rotation_new_key_first_old_still_decrypts(keys):
    old_token = encrypt(NIK)
    keys.SATUPINTU_IDENTITY_KEYS = [KEY_B, KEY_A]
    assert decrypt(old_token) == NIK
    new_token = encrypt(NIK)
    # Encrypted under the first key: readable once the old key is gone.
    keys.SATUPINTU_IDENTITY_KEYS = [KEY_B]
    assert decrypt(new_token) == NIK


def test_reencrypt_moves_a_token_to_the_current_key(keys):
    old_token = encrypt(NIK)
    keys.SATUPINTU_IDENTITY_KEYS = [KEY_B, KEY_A]
    rotated = reencrypt(old_token)
    assert rotated != old_token
    keys.SATUPINTU_IDENTITY_KEYS = [KEY_B]
    assert decrypt(rotated) == NIK
    with pytest.raises(IdentityKeyError):
        decrypt(old_token)


def test_removed_key_gives_identity_key_error_without_the_token(keys):
    token = encrypt(NIK)
    keys.SATUPINTU_IDENTITY_KEYS = [KEY_B]
    with pytest.raises(IdentityKeyError) as caught:
        decrypt(token)
    assert token not in str(caught.value)
    assert NIK not in str(caught.value)


def test_tampered_token_is_refused(keys):
    token = encrypt(NIK)
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(IdentityKeyError):
        decrypt(tampered)


def test_no_encryption_key(keys):
    keys.SATUPINTU_IDENTITY_KEYS = []
    with pytest.raises(IdentityKeyError):
        encrypt(NIK)


# --- Keyed hashes -------------------------------------------------------------------------------
def test_keyed_hash_is_hmac_sha256_of_label_and_value(keys):
    expected = hmac.new(b"hash-key-one", f"nik\x00{NIK}".encode(), hashlib.sha256).hexdigest()
    assert keyed_hash("nik", NIK) == expected == hash_nik(NIK)
    assert len(expected) == 64


def test_keyed_hash_is_not_a_plain_hash(keys):
    assert keyed_hash("nik", NIK) != hashlib.sha256(NIK.encode()).hexdigest()


def test_keyed_hash_differs_per_label(keys):
    hashes = {keyed_hash(label, "SITI AMINAH") for label in ("name", "mother_name", "birth_place")}
    assert len(hashes) == 3


def test_label_and_value_cannot_be_shifted(keys):
    # The separator keeps ("ab", "c") and ("a", "bc") apart.
    assert keyed_hash("ab", "c") != keyed_hash("a", "bc")


def test_keyed_hash_differs_per_key(keys):
    first = keyed_hash("nik", NIK)
    assert keyed_hash("nik", NIK, b"another-key") != first
    keys.SATUPINTU_IDENTITY_HASH_KEYS = ["hash-key-two"]
    assert keyed_hash("nik", NIK) != first


def test_explicit_key_overrides_the_settings(keys):
    assert keyed_hash("nik", NIK, b"hash-key-one") == keyed_hash("nik", NIK)


def test_lookup_hashes_current_key_first(keys):
    keys.SATUPINTU_IDENTITY_HASH_KEYS = ["hash-key-two", "hash-key-one"]
    assert lookup_hashes("nik", NIK) == [
        keyed_hash("nik", NIK, b"hash-key-two"),
        keyed_hash("nik", NIK, b"hash-key-one"),
    ]
    assert nik_lookup_hashes(NIK) == lookup_hashes("nik", NIK)
    # What is stored from now on is the current key's hash.
    assert hash_nik(NIK) == lookup_hashes("nik", NIK)[0]


def test_bytes_keys_are_accepted(keys):
    keys.SATUPINTU_IDENTITY_HASH_KEYS = [b"hash-key-one"]
    assert keyed_hash("nik", NIK) == keyed_hash("nik", NIK, b"hash-key-one")


def test_no_hash_key(keys):
    keys.SATUPINTU_IDENTITY_HASH_KEYS = []
    with pytest.raises(IdentityKeyError):
        hash_nik(NIK)
    with pytest.raises(IdentityKeyError):
        lookup_hashes("nik", NIK)


# --- Names --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("SITI NURAINI", "SITI NURAINI"),
        ("Siti Nur'aini", "SITI NURAINI"),
        ("Siti Nur’aini", "SITI NURAINI"),  # typographic apostrophe
        ("  siti   nuraini  ", "SITI NURAINI"),
        ("Siti\tNur\u00a0Aini", "SITI NUR AINI"),  # tab and no-break space are spaces
        ("M. Abdul-Rahman", "M ABDULRAHMAN"),  # punctuation goes, no space in its place
        ("H. Moch. Ali, S.Pd.", "H MOCH ALI SPD"),
        ("José Fernández", "JOSE FERNANDEZ"),  # accents folded
        ("Ｓｉｔｉ", "SITI"),  # full-width letters fold to ASCII
        ("Dian 2", "DIAN 2"),
        ("", ""),
        (None, ""),
        ("...", ""),
    ],
)
def test_normalise_name(typed, expected):
    assert normalise_name(typed) == expected


def test_normalise_name_is_idempotent():
    once = normalise_name("Siti  Nur'aini, S.Pd.")
    assert normalise_name(once) == once
