from __future__ import annotations


class LocalActionError(Exception):
    """A business rule refused the action; ``message`` says why, for the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
