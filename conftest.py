"""Shared fixtures: one portal with two provisioned OPDs and their people, built once.

The base data is created once per test session inside the test database; each test runs in a
transaction that is rolled back. Transactional tests (the browser test) flush the database,
so they rebuild it with `build_portal()`, which is idempotent.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

PASSWORD = "kata-sandi-uji-123"  # noqa: S105 (test accounts only)


def build_portal():
    from satupintu.home.setup import ensure_site
    from satupintu.opd.models import OPD
    from satupintu.opd.provisioning import KOMINFO_GROUP, ensure_kominfo_group, provision_opd
    from satupintu.regency.loading import init_regency
    from satupintu.regency.models import RegencySettings

    _ensure_tree_root()
    if RegencySettings.load().kemendagri_code != "35.24":
        init_regency("35.24")
    ensure_site()
    ensure_kominfo_group()
    opds = {}
    for key, name, acronym, slug in [
        ("a", "Dinas Kesehatan", "Dinkes", "dinkes"),
        ("b", "Dinas Lingkungan Hidup", "DLH", "dlh"),
    ]:
        opd = OPD.objects.filter(slug=slug).first() or OPD(
            name=name, acronym=acronym, slug=slug, type=OPD.Type.DINAS
        )
        provision_opd(opd)
        opds[key] = opd

    User = get_user_model()

    def user(username, group=None, superuser=False):
        account, _created = User.objects.get_or_create(username=username)
        account.set_password(PASSWORD)
        account.is_superuser = account.is_staff = superuser
        account.save()
        if group is not None:
            account.groups.add(group)
        return account

    from django.contrib.auth.models import Group

    user("kominfo", Group.objects.get(name=KOMINFO_GROUP), superuser=True)
    for key, opd in opds.items():
        user(f"operator_{key}", opd.operator_group)
        user(f"verifikator_{key}", opd.verifier_group)


def _ensure_tree_root():
    """Wagtail's migrations create the default locale and the roots of the page and collection
    trees; a transactional test's flush deletes them, and the next one must get them back."""
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_portal()
    yield
    with django_db_blocker.unblock():
        _close_other_sessions()


def _close_other_sessions():
    """Live-server threads (serving a browser's kept-alive connection, say) can still hold a
    connection to the test database when the run ends, and PostgreSQL then refuses to drop
    it. They belong to the test run itself: end them before pytest-django drops the database."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _default_language(settings):
    """A request to /en/ leaves English active in the thread; every test starts Indonesian."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """The page cache outlives each test's rolled-back transaction; start every test empty."""
    from django.core.cache import caches

    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture
def portal(db):
    """The two OPDs (a: Dinkes, b: DLH), their home pages and their people."""
    from satupintu.home.models import RegencyHomePage
    from satupintu.opd.models import OPD

    User = get_user_model()
    users = {u.username: u for u in User.objects.all()}
    a = OPD.objects.select_related("home_page", "collection").get(slug="dinkes")
    b = OPD.objects.select_related("home_page", "collection").get(slug="dlh")
    return SimpleNamespace(
        home=RegencyHomePage.objects.get(),
        a=a,
        b=b,
        kominfo=users["kominfo"],
        operator_a=users["operator_a"],
        verifier_a=users["verifikator_a"],
        operator_b=users["operator_b"],
        verifier_b=users["verifikator_b"],
        password=PASSWORD,
    )


@pytest.fixture
def portal_live(live_server):
    """The live server, with the portal rebuilt: transactional tests flush the database.
    For the browser tests and for nginx in front of the live server (tests/deploy)."""
    build_portal()
    return live_server


@pytest.fixture
def client_for(client):
    """Log a test client in as one of the portal's users."""

    def login(user):
        client.force_login(user)
        return client

    return login
