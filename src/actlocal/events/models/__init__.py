from actlocal.events.models.agenda import CheckIn, Facilitator, Room, Session, SessionChoice, Track
from actlocal.events.models.campaign import Campaign, CampaignDocument
from actlocal.events.models.event import Event, EventHost
from actlocal.events.models.invitation import Invitation, Nomination
from actlocal.events.models.rsvp import RSVP

__all__ = [
    "RSVP",
    "Campaign",
    "CampaignDocument",
    "CheckIn",
    "Event",
    "EventHost",
    "Facilitator",
    "Invitation",
    "Nomination",
    "Room",
    "Session",
    "SessionChoice",
    "Track",
]
