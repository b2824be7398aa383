"""Fixtures for the citizen account tests: a small synthetic registry, accounts, and helpers
that walk the pages as a browser would. Every person here is invented."""

import re

import pytest
from django.core import mail

from satupintu.citizens.testing import (  # noqa: F401 (the tests import them from here)
    PASSWORD,
    PEOPLE,
    STRANGER_NIK,
    make_citizen,
    registry_csv,
)


@pytest.fixture(autouse=True)
def _clean_counters():
    """Throttle counters live in the cache, which outlives each test's transaction."""
    from django.core.cache import cache

    from satupintu.citizens import codes

    cache.clear()
    codes.sms_outbox.clear()
    yield
    cache.clear()


@pytest.fixture
def registry(db, tmp_path):
    from satupintu.registry.importer import import_registry

    path = tmp_path / "siak.csv"
    path.write_text(registry_csv(PEOPLE.values()), encoding="utf-8")
    result = import_registry(path)
    assert not getattr(result, "errors", None), result
    return PEOPLE


@pytest.fixture
def siti(registry):
    return make_citizen(PEOPLE["siti"], email="siti@example.org")


def last_code(to=None) -> str:
    """The six-digit code in the newest message (optionally to one address)."""
    from satupintu.citizens import codes

    messages = [(m.to[0], m.body) for m in mail.outbox] + [
        (s["to"], s["body"]) for s in codes.sms_outbox
    ]
    if to:
        messages = [m for m in messages if m[0] == to]
    assert messages, "no message was sent"
    found = re.findall(r"\b(\d{6})\b", messages[-1][1])
    assert found, messages[-1][1]
    return found[0]


def sign_up(client, person, email, password=PASSWORD, **extra):
    """Walk the three sign-up steps; returns the last response."""
    response = client.post("/akun/daftar/", {"email": email, "phone": ""})
    assert response.status_code == 302, response.content[:500]
    response = client.post("/akun/daftar/kode/", {"code": last_code(email)})
    assert response.status_code == 302
    data = {
        "nik": person.nik,
        "full_name": person.name,
        "birth_date": person.birth.isoformat(),
        "password1": password,
        "password2": password,
        "consent": "on",
        **extra,
    }
    return client.post("/akun/daftar/identitas/", data)


def sign_in(client, nik, password=PASSWORD, **extra):
    return client.post("/akun/masuk/", {"nik": nik, "password": password, **extra})


@pytest.fixture
def hashing_work(monkeypatch):
    """A list that grows by one for every password hash computed (test settings use MD5)."""
    from django.contrib.auth.hashers import MD5PasswordHasher

    calls = []
    original = MD5PasswordHasher.encode
    monkeypatch.setattr(
        MD5PasswordHasher,
        "encode",
        lambda self, *a, **k: calls.append(1) or original(self, *a, **k),
    )
    return calls
