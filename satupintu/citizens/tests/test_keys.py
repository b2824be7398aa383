"""Rotating the keys that protect stored NIKs."""

import secrets

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from satupintu.citizens.models import Citizen
from satupintu.identity import protection

from .conftest import PEOPLE, make_citizen

pytestmark = pytest.mark.django_db


def test_rotation_re_encrypts_and_re_hashes(settings, registry):
    citizen = make_citizen(PEOPLE["siti"])
    old_token, old_hash = citizen.nik_encrypted, citizen.nik_hash
    new_key, new_hash_key = Fernet.generate_key().decode(), secrets.token_urlsafe(32)
    settings.SATUPINTU_IDENTITY_KEYS = [new_key, *settings.SATUPINTU_IDENTITY_KEYS]
    settings.SATUPINTU_IDENTITY_HASH_KEYS = [new_hash_key, *settings.SATUPINTU_IDENTITY_HASH_KEYS]
    # Mid-rotation, lookups still find the account by its old hash.
    assert Citizen.objects.by_nik(PEOPLE["siti"].nik).get() == citizen
    call_command("rotate_identity_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    citizen.refresh_from_db()
    assert citizen.nik_encrypted != old_token and citizen.nik_hash != old_hash
    # Only the new keys are needed now.
    settings.SATUPINTU_IDENTITY_KEYS = [new_key]
    settings.SATUPINTU_IDENTITY_HASH_KEYS = [new_hash_key]
    assert Citizen.objects.by_nik(PEOPLE["siti"].nik).get().nik == PEOPLE["siti"].nik


def test_a_new_key_is_printed(capsys):
    call_command("generate_identity_key")
    Fernet(capsys.readouterr().out.strip().encode())  # a valid key
    call_command("generate_identity_key", "--hash")
    assert len(capsys.readouterr().out.strip()) >= 48
    assert protection.generate_key() != protection.generate_key()


def test_rotation_re_encrypts_central_portal_tokens(settings):
    from satupintu.datacatalog.models import CentralPortal

    portal = CentralPortal(name="Pusat", url="https://data.example.go.id", organization="kab")
    portal.set_token("rahasia-portal-pusat")
    portal.save()
    new_key = Fernet.generate_key().decode()
    settings.SATUPINTU_IDENTITY_KEYS = [new_key, *settings.SATUPINTU_IDENTITY_KEYS]
    call_command("rotate_identity_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.SATUPINTU_IDENTITY_KEYS = [new_key]
    portal.refresh_from_db()
    assert portal.token() == "rahasia-portal-pusat"
