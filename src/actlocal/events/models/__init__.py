from actlocal.events.models.campaign import Campaign
from actlocal.events.models.event import Event, EventHost
from actlocal.events.models.rsvp import RSVP

__all__ = ["RSVP", "Campaign", "Event", "EventHost"]
