"""Demo data of the API app: nothing. Keys are secrets and are never printed by the demo;
make one with `actlocal create-api-key --user staff@...`. Webhooks stay off."""

from __future__ import annotations

from typing import Any


def load(stdout: Any) -> None:
    if stdout is not None:
        stdout.write("API: make a key with `actlocal create-api-key --user EMAIL` (none in demo).")
