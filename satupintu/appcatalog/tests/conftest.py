"""Fixtures for the catalogue tests: one app per OPD of the shared portal, a citizen, and an
empty cache (the usage counters live there and outlive each test's transaction)."""

import datetime

import pytest

SECRET = "RAHASIA-DLH"


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def category(db):
    from satupintu.appcatalog.models import AppCategory

    return AppCategory.objects.create(name="Kesehatan", slug="kesehatan")


@pytest.fixture
def apps(portal, category):
    from satupintu.appcatalog.models import App

    own = App.objects.create(
        name="Antrean Puskesmas",
        slug="antrean-puskesmas",
        owner=portal.a,
        audience=App.Audience.CITIZENS,
        category=category,
        url="https://antrean.contoh.example/",
    )
    other = App.objects.create(
        name=f"{SECRET} Bank Sampah",
        slug="bank-sampah",
        description=f"{SECRET} deskripsi",
        owner=portal.b,
        audience=App.Audience.CITIZENS,
        url="https://sampah.contoh.example/",
    )
    return {"a": own, "b": other}


@pytest.fixture
def citizen(db):
    from satupintu.citizens.accounts import create_citizen
    from satupintu.citizens.models import Citizen

    return create_citizen(
        nik="3524015008900003",
        full_name="Siti Aminah",
        birth_date=datetime.date(1990, 8, 10),
        sex="P",
        verdict_row=None,
        contact={"email": "siti@example.org"},
        level=Citizen.IdentityLevel.REGISTRY,
        source="test",
    )
