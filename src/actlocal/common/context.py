"""Who is acting right now: set by middleware (web), the API auth, the CLI or a task.

Services call ``log_action`` without threading the request through every call.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    user: Any = None
    via: str = "web"
    ip_address: str | None = None


_current: ContextVar[Actor] = ContextVar("actlocal_actor", default=Actor(via="system"))  # noqa: B039 -- frozen


def current_actor() -> Actor:
    return _current.get()


@contextlib.contextmanager
def acting_as(*, user: Any = None, via: str, ip_address: str | None = None) -> Iterator[Actor]:
    actor = Actor(user=user, via=via, ip_address=ip_address)
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)
