"""Domain errors of the events app: the message is shown to the user as is."""

from __future__ import annotations


class EventsError(Exception):
    """A business rule refused the action; ``message`` says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RSVPError(EventsError):
    pass


class InvitationError(EventsError):
    pass


class AgendaError(EventsError):
    pass


class CheckInError(EventsError):
    pass
