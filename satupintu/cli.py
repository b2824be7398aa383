"""The `satupintu` console command.

It is manage.py with two conveniences: the development settings are the default (production
sets DJANGO_SETTINGS_MODULE itself), and commands may be written with dashes
(`satupintu init-regency 35.24`) as the README and the operators' habits spell them.

The commands that only make a new key (KEY_COMMANDS) run without the project's settings: on a
fresh server they come before the environment file, and the development settings would then
create the embedded mode's own keys in var/ (a second, unused set of NIK and signing keys
left in the code folder), while the production settings refuse to load before the very keys
these commands print are filled in.
"""

import os
import sys
from pathlib import Path

# command -> the package whose management/commands/ holds it
KEY_COMMANDS = {
    "generate_identity_key": "satupintu.citizens",
    "backup_key": "satupintu.backup",
}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings.dev")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
        if argv[1] == "check_deploy":
            # Report every unsafe setting rather than stop at production.py's refusal.
            os.environ["SATUPINTU_CHECK_DEPLOY"] = "1"
    argv[0] = "satupintu"

    if len(argv) > 1 and argv[1] in KEY_COMMANDS:
        run_key_command(argv)
        return

    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def key_settings() -> dict:
    """Just what a key command reads: the language of its messages, and the folders
    backup-key refuses to write a private key into. DATA_DIR is worked out as base.py does,
    but not created."""
    package = Path(__file__).resolve().parent
    base = package.parent
    return {
        "BASE_DIR": base,
        "DATA_DIR": Path(os.environ.get("SATUPINTU_DATA_DIR", base / "var")).resolve(),
        "INSTALLED_APPS": [],
        "LANGUAGE_CODE": "id",
        "LANGUAGES": [("id", "Bahasa Indonesia"), ("en", "English")],
        "LOCALE_PATHS": [package / "locale"],
        "USE_I18N": True,
        "USE_TZ": True,
    }


def run_key_command(argv: list[str]) -> None:
    """The command as Django would run it (its options, --help, errors on stderr with exit
    status 1), on settings that hold no keys and create no file."""
    import django
    from django.conf import settings
    from django.core.management import load_command_class

    settings.configure(**key_settings())
    django.setup()
    command = load_command_class(KEY_COMMANDS[argv[1]], argv[1])
    command.run_from_argv(argv)


if __name__ == "__main__":
    main()
