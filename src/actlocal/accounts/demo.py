"""Demo logins. The passwords are public on purpose: this is demo data."""

from __future__ import annotations

from typing import Any

from actlocal.accounts.models import User

DEMO_PASSWORD = "organize-local-2026"  # noqa: S105 -- printed by `make run`, demo only
STAFF_EMAIL = "staff@actlocal.example"
HOST_EMAIL = "host@actlocal.example"
PARTNER_EMAIL = "partner@actlocal.example"

DEMO_LOGINS = [
    ("staff", STAFF_EMAIL, DEMO_PASSWORD),
    ("host", HOST_EMAIL, DEMO_PASSWORD),
    ("partner", PARTNER_EMAIL, DEMO_PASSWORD),
]

_NAMES = {
    STAFF_EMAIL: ("Rosa Delgado-Finch", True),
    HOST_EMAIL: ("Marcus Okonkwo-Lee", False),
    PARTNER_EMAIL: ("Priya Vanterpool", False),
}


def demo_user(email: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        name, staff = _NAMES[email]
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name, is_staff=staff)
    return user


def load(stdout: Any) -> None:
    for _role, email, _password in DEMO_LOGINS:
        demo_user(email)
    if stdout:
        stdout.write("demo: logins ready")
