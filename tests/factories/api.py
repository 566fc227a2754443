from __future__ import annotations

from typing import Any

from actlocal.api.models import ApiKey
from actlocal.api.services import create_api_key


def make_key(user: Any, **options: Any) -> tuple[ApiKey, str]:
    """A real key made by the service (tokens are only ever known at creation)."""
    options.setdefault("name", "test key")
    return create_api_key(user=user, **options)
