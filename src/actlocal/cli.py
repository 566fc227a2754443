"""The `actlocal` console script: Django's manage.py with ActLocal's own commands.

Commands may be written with hyphens (`create-api-key`), `worker` runs the task
worker, and configuration problems print one line naming the setting.
"""

from __future__ import annotations

import os
import sys

ALIASES = {"worker": "db_worker"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "actlocal.settings")
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        command = args[1]
        args[1] = ALIASES.get(command, command.replace("-", "_"))
    try:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured
        from django.core.management import execute_from_command_line
        from django.db.utils import OperationalError

        settings.INSTALLED_APPS  # noqa: B018 -- load settings now so errors are reported here
        try:
            execute_from_command_line(args)
        except OperationalError as exc:
            if _is_connection_error(exc):
                sys.stderr.write(
                    f"actlocal: DATABASE_URL: cannot reach the database ({_first_line(exc)})\n"
                )
                sys.exit(2)
            raise
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"actlocal: {_first_line(exc)}\n")
        sys.exit(2)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__


def _is_connection_error(exc: BaseException) -> bool:
    message = str(exc).lower()
    return any(
        phrase in message
        for phrase in (
            "connection",
            "could not connect",
            "unable to open database",
            "server closed",
            "timeout expired",
            "does not exist",
            "password authentication",
        )
    )


if __name__ == "__main__":
    main()
