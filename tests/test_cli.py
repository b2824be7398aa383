"""The `satupintu` console command: manage.py with dashes allowed and dev settings by default."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import management

from satupintu import cli

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def captured(monkeypatch):
    """Replace Django's dispatcher: record the argv and the settings it would run with."""
    calls = []

    def fake(argv):
        calls.append((list(argv), os.environ.get("DJANGO_SETTINGS_MODULE")))

    monkeypatch.setattr(management, "execute_from_command_line", fake)
    return calls


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["satupintu", "init-regency", "35.24"], ["satupintu", "init_regency", "35.24"]),
        (
            ["/opt/satupintu/.venv/bin/satupintu", "import-bps-codes", "kode-bps.csv",
             "--source", "BPS-Lamongan-2024"],
            ["satupintu", "import_bps_codes", "kode-bps.csv", "--source", "BPS-Lamongan-2024"],
        ),
        (["satupintu", "add-opd", "--name", "Dinas Sosial"],
         ["satupintu", "add_opd", "--name", "Dinas Sosial"]),
        (["satupintu", "init_regency", "35-24"], ["satupintu", "init_regency", "35-24"]),
        (["satupintu", "runserver", "0.0.0.0:8000"], ["satupintu", "runserver", "0.0.0.0:8000"]),
        (["satupintu", "--version"], ["satupintu", "--version"]),
        (["satupintu", "-h"], ["satupintu", "-h"]),
        (["manage.py"], ["satupintu"]),
    ],
)
def test_only_the_command_name_loses_its_dashes(captured, argv, expected):
    original = list(argv)
    cli.main(argv)
    assert [call[0] for call in captured] == [expected]
    assert argv == original  # the caller's list is left alone


def test_without_arguments_it_reads_sys_argv(captured, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["/usr/local/bin/satupintu", "import-bps-codes", "a.csv"])
    cli.main()
    assert captured[0][0] == ["satupintu", "import_bps_codes", "a.csv"]


def test_dev_settings_are_the_default(captured, monkeypatch):
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE")
    cli.main(["satupintu", "check"])
    assert captured[0][1] == "satupintu.settings.dev"


def test_settings_chosen_by_the_environment_are_kept(captured, monkeypatch):
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "satupintu.settings.production")
    cli.main(["satupintu", "check"])
    assert captured[0][1] == "satupintu.settings.production"


# --- through Django's real dispatcher (in this process, test settings) ----------------------


def test_a_plain_command_runs(capsys):
    cli.main(["satupintu", "check"])
    out = capsys.readouterr().out
    assert out.startswith("System check identified")  # `check` itself ran


def test_a_dashed_command_is_found(capsys):
    with pytest.raises(SystemExit) as finished:
        cli.main(["satupintu", "init-regency", "--help"])
    assert finished.value.code == 0
    out = capsys.readouterr().out
    assert "usage: satupintu init_regency" in out
    assert "Kemendagri code of the kabupaten/kota" in out


def test_a_dashed_command_runs_and_reports_in_indonesian(capsys, tmp_path):
    missing = tmp_path / "tidak-ada.csv"
    with pytest.raises(SystemExit) as finished:
        cli.main(["satupintu", "import-bps-codes", str(missing)])
    assert finished.value.code == 1
    err = capsys.readouterr().err
    assert f"Berkas {missing} tidak ditemukan." in err
    assert "Unknown command" not in err


def test_an_unknown_dashed_command_is_reported_by_its_underscored_name(capsys):
    with pytest.raises(SystemExit) as finished:
        cli.main(["satupintu", "no-such-command"])
    assert finished.value.code == 1
    assert "no_such_command" in capsys.readouterr().err


def test_the_module_runs_as_a_script(tmp_path):
    """`python -m satupintu.cli`, as the console script does, with no settings in the env."""
    dropped = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment["SATUPINTU_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "satupintu.cli", "import-bps-codes", "--help"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "usage: satupintu import_bps_codes" in result.stdout
    assert "--source" in result.stdout
