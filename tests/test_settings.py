"""The settings modules, each started in a fresh interpreter with a controlled environment.

Production must refuse to start, naming the reason, on each configuration that has exposed
real government sites; the embedded (dev) mode must need no environment at all.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

ROOT = Path(__file__).resolve().parent.parent
# 50 characters, as `django.core.management.utils.get_random_secret_key()` would give.
GOOD_KEY = "k7#q2v!x9m@z4t8w$p1r6y3u0i5o-a=s+d^f&g*h(j)l_b%nc3"
# Nothing listens on port 9 (discard): were setup to connect, it would fail at once, locally.
POSTGRES_URL = "postgres://satupintu:rahasia@127.0.0.1:9/satupintu"
REDIS_URL = "redis://127.0.0.1:9/0"
IDENTITY_KEY = "Vx3NwJ0bFQ3m1k2m7XyO0fYqkq8m4C1yJmJbS3b6l2Q="  # a test-only Fernet key
SETUP_OK = "setup-ok"


# The test settings' own signing key: a fresh RSA key per run, never kept in git.
OIDC_KEY = django_settings.SATUPINTU_OIDC_PRIVATE_KEY
PAIRWISE_KEY = "a-random-pairwise-secret-only-for-this-test-0123456789"

PROBE = f"""
import json, django
from django.conf import settings
django.setup()
print({SETUP_OK!r})
print(json.dumps({{
    "DEBUG": settings.DEBUG,
    "ENGINE": settings.DATABASES["default"]["ENGINE"],
    "NAME": str(settings.DATABASES["default"]["NAME"]),
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "CACHE": settings.CACHES["default"]["BACKEND"],
    "SESSION_ENGINE": settings.SESSION_ENGINE,
    "SESSION_COOKIE_SECURE": getattr(settings, "SESSION_COOKIE_SECURE", False),
    "MEDIA_ROOT": str(settings.MEDIA_ROOT),
}}))
"""


def start(settings_module, tmp_path, probe=PROBE, **env):
    """Run `probe` (django.setup() and what it prints) in a subprocess; `env` values of None
    remove the variable."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "REDIS_URL", "ALLOWED_HOSTS"}
        and not k.startswith("SATUPINTU_IDENTITY")
    }
    environment["DJANGO_SETTINGS_MODULE"] = settings_module
    environment["SATUPINTU_DATA_DIR"] = str(tmp_path / "data")
    for key, value in env.items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    return subprocess.run(  # noqa: S603 - our own interpreter, a fixed script
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production(tmp_path, probe=PROBE, **env):
    good = {
        "SECRET_KEY": GOOD_KEY,
        "DATABASE_URL": POSTGRES_URL,
        "REDIS_URL": REDIS_URL,
        "ALLOWED_HOSTS": "lamongankab.go.id, www.lamongankab.go.id",
        "SATUPINTU_IDENTITY_KEYS": IDENTITY_KEY,
        "SATUPINTU_IDENTITY_HASH_KEYS": "a-random-lookup-secret-only-for-this-test-0123456789",
        "SATUPINTU_OIDC_PRIVATE_KEY": OIDC_KEY,
        "SATUPINTU_OIDC_PAIRWISE_KEY": PAIRWISE_KEY,
        "SATUPINTU_BASE_URL": "https://lamongankab.go.id",
    }
    good.update(env)
    return start("satupintu.settings.production", tmp_path, probe=probe, **good)


def loaded(result) -> dict:
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-2] == SETUP_OK
    return json.loads(lines[-1])


def assert_refused(result, *reasons):
    assert result.returncode != 0
    assert SETUP_OK not in result.stdout
    assert "ImproperlyConfigured: Refusing to start in production mode:" in result.stderr
    for reason in reasons:
        assert reason in result.stderr, result.stderr


def test_good_key_is_what_production_asks_for():
    assert len(GOOD_KEY) == 50


def test_production_starts_with_a_complete_environment(tmp_path):
    values = loaded(production(tmp_path))
    assert values["DEBUG"] is False
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["NAME"] == "satupintu"
    assert values["ALLOWED_HOSTS"] == ["lamongankab.go.id", "www.lamongankab.go.id"]
    assert values["CACHE"] == "satupintu.operations.cache.ResilientRedisCache"
    # In the database, read through Redis: a Redis restart signs nobody out.
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert values["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize("debug", ["0", "", "false", "False"])
def test_production_accepts_debug_off(tmp_path, debug):
    assert loaded(production(tmp_path, DEBUG=debug))["DEBUG"] is False


@pytest.mark.parametrize("debug", ["1", "true", "True", "yes"])
def test_production_refuses_debug(tmp_path, debug):
    assert_refused(production(tmp_path, DEBUG=debug), "DEBUG must be off in production")


def test_production_refuses_without_secret_key(tmp_path):
    assert_refused(production(tmp_path, SECRET_KEY=None), "SECRET_KEY is not set.")
    assert_refused(production(tmp_path, SECRET_KEY=""), "SECRET_KEY is not set.")


@pytest.mark.parametrize(
    "key",
    [
        "dev-only-insecure-key-not-for-production",  # the dev settings' key
        "test-only-insecure-key",  # the test settings' key
        "django-insecure-" + "x7" * 25,  # Django's startproject default, however long
        "changeme" * 6,
        "my-secret-" * 5,
        "Zq3vX9mT2pL8wK4rN7yB1cF6hJ0dG5sA",  # random, but only 32 characters
    ],
)
def test_production_refuses_short_or_default_keys(tmp_path, key):
    assert_refused(
        production(tmp_path, SECRET_KEY=key),
        "SECRET_KEY is a default or too short (use 50 random characters).",
    )


@pytest.mark.parametrize(
    "url",
    [None, "sqlite:///var/satupintu.sqlite3", "sqlite:////tmp/portal.db"],
)
def test_production_refuses_sqlite(tmp_path, url):
    assert_refused(
        production(tmp_path, DATABASE_URL=url),
        "DATABASE_URL must point to PostgreSQL; SQLite is for the embedded mode.",
    )


def test_production_refuses_without_allowed_hosts_or_redis(tmp_path):
    assert_refused(production(tmp_path, ALLOWED_HOSTS=" , "), "ALLOWED_HOSTS is empty")
    assert_refused(production(tmp_path, ALLOWED_HOSTS="*"), "not '*'")
    assert_refused(production(tmp_path, REDIS_URL=None), "REDIS_URL is not set")


def test_production_names_every_problem_at_once(tmp_path):
    result = start("satupintu.settings.production", tmp_path, DEBUG="1")
    assert_refused(
        result,
        "DEBUG must be off",
        "SECRET_KEY is not set",
        "DATABASE_URL must point to PostgreSQL",
        "ALLOWED_HOSTS is empty",
        "REDIS_URL is not set",
        "SATUPINTU_IDENTITY_KEYS is not set",
        "SATUPINTU_IDENTITY_HASH_KEYS is not set",
    )


def test_production_refuses_without_the_oidc_signing_key(tmp_path):
    assert_refused(
        production(tmp_path, SATUPINTU_OIDC_PRIVATE_KEY=None),
        "SATUPINTU_OIDC_PRIVATE_KEY is not set",
    )
    assert_refused(
        production(tmp_path, SATUPINTU_OIDC_PAIRWISE_KEY="short"), "SATUPINTU_OIDC_PAIRWISE_KEY"
    )


@pytest.mark.parametrize(
    "url", ["http://lamongankab.go.id", "https://portal.elsewhere.example", "http://10.0.0.5:8000"]
)
def test_production_refuses_an_issuer_that_apps_cannot_trust(tmp_path, url):
    assert_refused(production(tmp_path, SATUPINTU_BASE_URL=url), "SATUPINTU_BASE_URL must be")


def test_production_accepts_a_loopback_address_for_local_measurements(tmp_path):
    assert loaded(production(tmp_path, SATUPINTU_BASE_URL="http://127.0.0.1:8010"))


def test_dev_settings_keep_their_own_identity_keys_outside_git(tmp_path):
    start("satupintu.settings.dev", tmp_path)
    keys = tmp_path / "data" / "identity-keys.json"
    assert keys.exists() and oct(keys.stat().st_mode & 0o777) == "0o600"
    first = keys.read_text()
    start("satupintu.settings.dev", tmp_path)
    assert keys.read_text() == first  # made once; losing it would make stored NIKs unreadable


def test_dev_settings_need_no_environment(tmp_path):
    values = loaded(start("satupintu.settings.dev", tmp_path))
    data_dir = (tmp_path / "data").resolve()
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["NAME"] == str(data_dir / "satupintu.sqlite3")
    assert values["MEDIA_ROOT"] == str(data_dir / "media")
    assert values["DEBUG"] is True
    assert "localhost" in values["ALLOWED_HOSTS"]
    assert values["CACHE"] == "django.core.cache.backends.locmem.LocMemCache"
    assert data_dir.is_dir()  # created on start, so a fresh clone runs at once
    assert not (data_dir / "satupintu.sqlite3").exists()  # but no database opened yet


def test_dev_settings_follow_database_url(tmp_path):
    values = loaded(start("satupintu.settings.dev", tmp_path, DATABASE_URL=POSTGRES_URL))
    assert values["ENGINE"] == "django.db.backends.postgresql"


def test_production_refuses_a_registry_backend_without_its_connection(tmp_path):
    assert_refused(
        production(tmp_path, SATUPINTU_REGISTRY_BACKEND="dukcapil"),
        "needs SATUPINTU_DUKCAPIL_URL",
    )
    assert_refused(
        production(tmp_path, SATUPINTU_REGISTRY_BACKEND="upstream"),
        "needs SATUPINTU_UPSTREAM_OIDC_ISSUER",
    )
    assert_refused(production(tmp_path, SATUPINTU_REGISTRY_BACKEND="ktp"), "must be local")


# --- The OIDC signing key (satupintu/operations/signing_key.py) ----------------------------
# What an unquoted `KEY=-----BEGIN PRIVATE KEY-----\nMII…` becomes in a systemd
# EnvironmentFile: each backslash dropped, every `\n` now a plain `n`.
MANGLED_OIDC_KEY = OIDC_KEY.replace("\n", "n")
KEY_PROBE = """
import json
from django.conf import settings
print(json.dumps({
    "problems": settings.SATUPINTU_DEPLOY_PROBLEMS,
    "silenced": settings.SILENCED_SYSTEM_CHECKS,
    "key": settings.SATUPINTU_OIDC_PRIVATE_KEY,
    "dot_key": settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"],
}))
"""


def key_view(tmp_path, **env):
    """The production settings' view of the signing key; SATUPINTU_CHECK_DEPLOY=1 lists the
    problems instead of refusing to start."""
    done = production(tmp_path, probe=KEY_PROBE, SATUPINTU_CHECK_DEPLOY="1", **env)
    assert done.returncode == 0, done.stderr
    values = json.loads(done.stdout.splitlines()[-1])
    values["key_problems"] = [p for p in values["problems"] if "SATUPINTU_OIDC_PRIVATE_KEY" in p]
    return values


def test_production_takes_a_good_inline_key_and_silences_the_hsts_noise(tmp_path):
    # As in the env file: one line, newlines written as \n.
    values = key_view(tmp_path, SATUPINTU_OIDC_PRIVATE_KEY=OIDC_KEY.replace("\n", "\\n"))
    assert values["problems"] == []
    assert values["key"] == values["dot_key"] == OIDC_KEY
    assert {"security.W019", "security.W005", "security.W021"} <= set(values["silenced"])


def test_production_refuses_a_key_whose_newlines_lost_their_backslashes(tmp_path):
    from satupintu.operations import signing_key

    [problem] = key_view(tmp_path, SATUPINTU_OIDC_PRIVATE_KEY=MANGLED_OIDC_KEY)["key_problems"]
    assert problem.startswith(signing_key.NOT_A_KEY)
    assert "single quotes" in problem and "SATUPINTU_OIDC_PRIVATE_KEY_FILE" in problem


def test_production_reads_the_key_from_a_file(tmp_path):
    key_file = tmp_path / "oidc-signing-key.pem"
    key_file.write_text(OIDC_KEY)
    key_file.chmod(0o640)
    values = key_view(
        tmp_path, SATUPINTU_OIDC_PRIVATE_KEY=None, SATUPINTU_OIDC_PRIVATE_KEY_FILE=str(key_file)
    )
    assert values["problems"] == []
    assert values["key"] == values["dot_key"] == OIDC_KEY


def test_production_names_what_is_wrong_with_the_key_file(tmp_path):
    from satupintu.operations import signing_key

    both = key_view(tmp_path, SATUPINTU_OIDC_PRIVATE_KEY_FILE=str(tmp_path / "k.pem"))
    assert "are both set" in both["key_problems"][0]
    missing = key_view(
        tmp_path,
        SATUPINTU_OIDC_PRIVATE_KEY=None,
        SATUPINTU_OIDC_PRIVATE_KEY_FILE=str(tmp_path / "nothing.pem"),
    )
    assert "cannot be read (no such file)" in missing["key_problems"][0]
    damaged = tmp_path / "damaged.pem"
    damaged.write_text(MANGLED_OIDC_KEY)
    not_a_key = key_view(
        tmp_path, SATUPINTU_OIDC_PRIVATE_KEY=None, SATUPINTU_OIDC_PRIVATE_KEY_FILE=str(damaged)
    )
    [problem] = not_a_key["key_problems"]
    assert problem.startswith(signing_key.NOT_A_KEY) and str(damaged) in problem


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_production_says_when_the_site_user_may_not_read_the_key_file(tmp_path):
    key_file = tmp_path / "root-only.pem"
    key_file.write_text(OIDC_KEY)
    key_file.chmod(0o000)
    values = key_view(
        tmp_path, SATUPINTU_OIDC_PRIVATE_KEY=None, SATUPINTU_OIDC_PRIVATE_KEY_FILE=str(key_file)
    )
    assert "this user may not read it" in values["key_problems"][0]
