"""The `satupintu` console command.

It is manage.py with two conveniences: the development settings are the default (production
sets DJANGO_SETTINGS_MODULE itself), and commands may be written with dashes
(`satupintu init-regency 35.24`) as the README and the operators' habits spell them.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings.dev")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
        if argv[1] == "check_deploy":
            # Report every unsafe setting rather than stop at production.py's refusal.
            os.environ["SATUPINTU_CHECK_DEPLOY"] = "1"
    argv[0] = "satupintu"

    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
