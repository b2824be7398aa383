"""deploy/gunicorn.conf.py's two pools and the systemd units the README tells operators to
enable: a renamed unit or a pool that binds the wrong port would only show on a server."""

import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "deploy" / "gunicorn.conf.py"
UNITS = ROOT / "deploy" / "systemd"


def _conf(monkeypatch, **env):
    for name in ("SATUPINTU_POOL", "WEB_CONCURRENCY", "ACCOUNTS_CONCURRENCY", "GUNICORN_BIND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 2)
    return runpy.run_path(str(CONF))


def test_the_public_pool_and_the_accounts_pool(monkeypatch):
    web = _conf(monkeypatch)
    assert (web["bind"], web["workers"], web["niceness"]) == ("127.0.0.1:8000", 5, 0)
    accounts = _conf(monkeypatch, SATUPINTU_POOL="accounts")
    assert (accounts["bind"], accounts["workers"]) == ("127.0.0.1:8001", 3)
    assert accounts["niceness"] > 0 and accounts["proc_name"] == "satupintu-accounts"
    # WEB_CONCURRENCY sizes the public pool only, though both units read one environment file.
    assert _conf(monkeypatch, SATUPINTU_POOL="accounts", WEB_CONCURRENCY="9")["workers"] == 3


def test_the_nginx_upstreams_point_at_the_pools(monkeypatch):
    http = (ROOT / "deploy" / "nginx" / "satupintu-http.conf").read_text()
    accounts = re.search(r"upstream satupintu_accounts \{(.*?)\}", http, re.S).group(1)
    assert "server 127.0.0.1:8001;" in accounts
    assert "server 127.0.0.1:8000 backup;" in accounts  # the main pool stands in
    unit = (UNITS / "satupintu-web-accounts.service").read_text()
    assert "Environment=SATUPINTU_POOL=accounts" in unit


def _readme_units():
    """Every unit a `systemctl` line of the README names."""
    readme = (ROOT / "README.md").read_text().replace("\\\n", " ")  # continued lines
    lines = [line for line in readme.splitlines() if "systemctl " in line]
    return sorted({n for line in lines for n in re.findall(r"\bsatupintu-[a-z.-]+", line)})


def test_the_readme_names_units():
    assert {"satupintu-web", "satupintu-web-accounts", "satupintu-worker"} <= set(_readme_units())


@pytest.mark.parametrize("name", _readme_units())
def test_every_unit_the_readme_names_is_shipped(name):
    assert (UNITS / name).is_file() or (UNITS / f"{name}.service").is_file()


def test_every_unit_runs_a_command_that_exists():
    from django.core.management import get_commands

    commands = get_commands()
    for unit in UNITS.glob("*.service"):
        for line in re.findall(r"^ExecStart=(.*)$", unit.read_text(), re.M):
            args = line.split()
            if args[0].endswith("/satupintu"):
                assert args[1].replace("-", "_") in commands, f"{unit.name}: {args[1]}"
            else:
                assert args[0].startswith("/opt/satupintu/.venv/bin/"), unit.name
