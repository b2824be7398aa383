import os
import subprocess
import sys

import pytest
from django.test import override_settings

from satupintu.operations import deploy_checks


def findings(section, **overrides):
    with override_settings(**overrides):
        return [(f.level, f.topic) for f in section()]


def test_check_deploy_lists_every_unsafe_setting_instead_of_refusing_at_the_first(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "satupintu.settings.production",
        "SATUPINTU_DATA_DIR": str(tmp_path),
        "DEBUG": "1",
        "SECRET_KEY": "changeme",
        "ALLOWED_HOSTS": "*",
    }
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "satupintu.cli", "check-deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    out = done.stdout
    for expected in (
        "DEBUG must be off",
        "SECRET_KEY is a default",
        "DATABASE_URL must point to PostgreSQL",
        "ALLOWED_HOSTS must name",
        "REDIS_URL is not set",
        "SATUPINTU_IDENTITY_KEYS is not set",
        "SATUPINTU_OIDC_PRIVATE_KEY is not set",
    ):
        assert expected in out, expected
    assert "Traceback" not in done.stderr


def test_the_page_cache_must_not_share_the_sessions_redis_database(settings):
    shared = {
        alias: {
            "BACKEND": "satupintu.operations.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens: also reported as down
        }
        for alias in ("default", "pages")
    }
    found = findings(deploy_checks._caches, CACHES=shared)
    assert found.count(("error", "cache")) == 3  # two aliases down, one shared database


@pytest.mark.django_db
def test_demo_accounts_on_a_server_are_an_error(settings, tmp_path):
    (tmp_path / "demo-credentials.json").write_text("{}")
    assert ("error", "demo") in findings(deploy_checks._files, DATA_DIR=tmp_path)
    assert ("error", "demo") not in findings(deploy_checks._files, DATA_DIR=tmp_path / "x")


def test_metrics_open_to_everyone_is_an_error():
    import ipaddress

    wide = [ipaddress.ip_network("0.0.0.0/0")]
    assert ("error", "metrics") in findings(
        deploy_checks._surroundings, SATUPINTU_METRICS_ALLOW=wide
    )


def test_private_files_inside_the_public_media_folder_are_an_error(settings, tmp_path):
    storages = {
        **settings.STORAGES,
        "reporting_files": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media" / "reports")},
        },
    }
    found = findings(deploy_checks._files, MEDIA_ROOT=tmp_path / "media", STORAGES=storages)
    assert ("error", "files") in found


@pytest.mark.django_db
def test_an_unmigrated_database_is_an_error():
    from unittest import mock

    with mock.patch(
        "django.db.migrations.executor.MigrationExecutor.migration_plan", return_value=[1, 2]
    ):
        assert ("error", "database") in [(f.level, f.topic) for f in deploy_checks._database()]
    assert ("ok", "database") in [(f.level, f.topic) for f in deploy_checks._database()]
