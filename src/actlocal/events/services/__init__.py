"""Named actions on campaigns, events, RSVPs, invitations, agendas and check-in."""

from actlocal.events.services.errors import (
    AgendaError,
    CheckInError,
    EventsError,
    InvitationError,
    RSVPError,
)

__all__ = ["AgendaError", "CheckInError", "EventsError", "InvitationError", "RSVPError"]
