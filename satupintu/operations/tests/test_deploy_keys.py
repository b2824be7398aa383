"""check-deploy and the production settings on the ID-token signing key (a key that looks like
PEM but does not load; the key in a file instead of the environment) and on Django's
deployment checks that production silences on purpose."""

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core import checks as django_checks
from django.test import override_settings

from satupintu.operations import deploy_checks, signing_key

ROOT = Path(__file__).resolve().parents[3]


# The test settings' own signing key: a fresh RSA key per run (satupintu/settings/test.py).
GOOD_PEM = settings.SATUPINTU_OIDC_PRIVATE_KEY
# What an unquoted `KEY=-----BEGIN PRIVATE KEY-----\nMII…` becomes in a systemd
# EnvironmentFile: each backslash dropped, every `\n` now a plain `n`.
MANGLED_PEM = GOOD_PEM.replace("\n", "n")


def test_only_a_real_rsa_private_key_loads():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    assert "PRIVATE KEY-----" in MANGLED_PEM  # what the old check looked for
    assert signing_key.loads(GOOD_PEM)
    assert not signing_key.loads(MANGLED_PEM)
    assert not signing_key.loads("")
    assert not signing_key.loads(GOOD_PEM[:200] + GOOD_PEM[-40:])  # truncated
    elliptic = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    assert not signing_key.loads(elliptic.decode())  # RS256 needs RSA


def _findings(section, **overrides):
    with override_settings(**overrides):
        return list(section())


def test_check_deploy_explains_a_mangled_key_in_indonesian(monkeypatch):
    monkeypatch.delenv("SATUPINTU_OIDC_PRIVATE_KEY", raising=False)
    found = _findings(
        deploy_checks._signing_key,
        SATUPINTU_OIDC_PRIVATE_KEY=MANGLED_PEM,
        SATUPINTU_OIDC_PRIVATE_KEY_FILE="",
    )
    assert [(f.level, f.topic) for f in found] == [("error", "oidc")]
    assert "tanda kutip tunggal" in found[0].message
    assert "SATUPINTU_OIDC_PRIVATE_KEY_FILE" in found[0].message
    from_file = _findings(
        deploy_checks._signing_key,
        SATUPINTU_OIDC_PRIVATE_KEY=MANGLED_PEM,
        SATUPINTU_OIDC_PRIVATE_KEY_FILE="/etc/satupintu/oidc-signing-key.pem",
    )
    assert [(f.level, f.topic) for f in from_file] == [("error", "oidc")]
    assert "/etc/satupintu/oidc-signing-key.pem" in from_file[0].message


def test_check_deploy_accepts_a_good_key():
    found = _findings(deploy_checks._signing_key, SATUPINTU_OIDC_PRIVATE_KEY=GOOD_PEM)
    assert [(f.level, f.topic) for f in found] == [("ok", "oidc")]
    # An empty key is production's "not set" problem, reported once, by _settings_module.
    assert _findings(deploy_checks._signing_key, SATUPINTU_OIDC_PRIVATE_KEY="") == []


def test_the_english_refusal_for_a_mangled_key_is_not_repeated(monkeypatch):
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "satupintu.settings.production")
    problems = [signing_key.NOT_A_KEY + ": one line, in single quotes", "REDIS_URL is not set"]
    found = _findings(deploy_checks._settings_module, SATUPINTU_DEPLOY_PROBLEMS=problems)
    assert [f.message for f in found] == ["REDIS_URL is not set"]


def test_silenced_django_checks_are_left_out():
    messages = [
        django_checks.Warning("frames", id="security.W019"),
        django_checks.Warning("subdomains", id="security.W005"),
        django_checks.Warning("no hsts", id="security.W004"),
        django_checks.Error("debug", id="security.E999"),
    ]
    with mock.patch.object(deploy_checks.django_checks, "run_checks", return_value=messages):
        found = _findings(
            deploy_checks._django_deploy_checks,
            SILENCED_SYSTEM_CHECKS=["security.W019", "security.W005"],
        )
    assert [(f.level, f.topic) for f in found] == [
        ("warning", "security.W004"),
        ("error", "security.E999"),
    ]


def test_hsts_subdomains_and_preload_are_silenced_for_real():
    hsts = {"SECURE_HSTS_SECONDS": 31536000, "SECURE_HSTS_INCLUDE_SUBDOMAINS": False}
    noisy = {f.topic for f in _findings(deploy_checks._django_deploy_checks, **hsts)}
    assert {"security.W005", "security.W021"} <= noisy
    quiet = _findings(
        deploy_checks._django_deploy_checks,
        SILENCED_SYSTEM_CHECKS=["security.W005", "security.W021"],
        **hsts,
    )
    assert not {"security.W005", "security.W021"} & {f.topic for f in quiet}


def test_check_deploy_reports_the_mangled_key_once_in_indonesian(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SATUPINTU_", "DATABASE_", "REDIS_")) and k != "DJANGO_SETTINGS_MODULE"
    }
    env.update(
        {
            "HOME": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "satupintu.settings.production",
            "SATUPINTU_DATA_DIR": str(tmp_path),
            "SATUPINTU_OIDC_PRIVATE_KEY": MANGLED_PEM,
        }
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "satupintu.cli", "check-deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr, done.stderr
    assert "oidc: SATUPINTU_OIDC_PRIVATE_KEY tidak terbaca" in done.stdout
    assert signing_key.NOT_A_KEY not in done.stdout
