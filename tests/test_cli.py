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


# --- Key commands: run before the environment file exists, they leave no keys behind --------


def _console_script() -> list[str]:
    script = Path(sys.executable).parent / "satupintu"  # .venv/bin/satupintu
    return [str(script)] if script.is_file() else [sys.executable, "-m", "satupintu.cli"]


def _run_fresh(tmp_path, *args, settings_module=None):
    """As on a fresh server: no environment file loaded, a data folder that does not exist
    yet, an unrelated working directory (root's home, say)."""
    dropped = {
        "DJANGO_SETTINGS_MODULE",
        "DATABASE_URL",
        "SECRET_KEY",
        "SATUPINTU_IDENTITY_KEYS",
        "SATUPINTU_IDENTITY_HASH_KEYS",
        "SATUPINTU_OIDC_PRIVATE_KEY",
        "SATUPINTU_OIDC_PAIRWISE_KEY",
    }
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment["SATUPINTU_DATA_DIR"] = str(tmp_path / "var")
    if settings_module:
        environment["DJANGO_SETTINGS_MODULE"] = settings_module
    work = tmp_path / "kerja"
    work.mkdir(exist_ok=True)
    return subprocess.run(  # noqa: S603 - our own console script
        [*_console_script(), *args],
        cwd=work, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )


def _left_behind(tmp_path) -> list[str]:
    return sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))


@pytest.mark.parametrize("settings_module", [None, "satupintu.settings.production"])
def test_generate_identity_key_prints_a_key_and_creates_no_file(tmp_path, settings_module):
    from cryptography.fernet import Fernet

    result = _run_fresh(tmp_path, "generate-identity-key", settings_module=settings_module)
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip()
    Fernet(key)  # a usable SATUPINTU_IDENTITY_KEYS entry
    hashed = _run_fresh(
        tmp_path, "generate-identity-key", "--hash", settings_module=settings_module
    )
    assert hashed.returncode == 0, hashed.stderr
    assert len(hashed.stdout.strip()) == 64 and hashed.stdout.strip() != key
    # No var/ with identity-keys.json, oidc-signing-key.pem, oidc-pairwise-key: nothing at all.
    assert _left_behind(tmp_path) == ["kerja"]


def test_backup_key_writes_only_the_file_it_is_asked_for(tmp_path):
    from pyrage import x25519

    out = tmp_path / "admin" / "identitas-cadangan.txt"
    out.parent.mkdir()
    result = _run_fresh(tmp_path, "backup-key", "--out", str(out))
    assert result.returncode == 0, result.stderr
    public = out.read_text().split("# public key: ")[1].split()[0]
    assert public in result.stdout and "Kunci privat ditulis" in result.stdout
    x25519.Identity.from_str(out.read_text().strip().splitlines()[-1])
    assert _left_behind(tmp_path) == ["admin", "admin/identitas-cadangan.txt", "kerja"]
    # Its refusal still knows the data folder (from SATUPINTU_DATA_DIR, as the site would).
    refused = _run_fresh(tmp_path, "backup-key", "--out", str(tmp_path / "var" / "k.txt"))
    assert refused.returncode == 1
    assert "Kunci privat tidak boleh disimpan di" in refused.stderr
    assert not (tmp_path / "var").exists()


def test_key_commands_never_import_the_project_settings(tmp_path):
    """Whatever SATUPINTU_DATA_DIR says: the settings modules (which create the development
    keys and the data folder on import) are not even loaded."""
    probe = (
        "import sys\n"
        "from satupintu import cli\n"
        "cli.main(['satupintu', 'generate-identity-key'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('satupintu.settings')))\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", probe],
        cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"


def test_key_commands_take_dashes_and_skip_the_django_dispatcher(captured, monkeypatch):
    ran = []
    monkeypatch.setattr(cli, "run_key_command", lambda argv: ran.append(list(argv)))
    cli.main(["/opt/satupintu/.venv/bin/satupintu", "generate-identity-key", "--hash"])
    cli.main(["satupintu", "backup-key", "--out", "/root/k.txt"])
    assert ran == [
        ["satupintu", "generate_identity_key", "--hash"],
        ["satupintu", "backup_key", "--out", "/root/k.txt"],
    ]
    assert captured == []
