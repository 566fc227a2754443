from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from actlocal.events.models import RSVP, Campaign, Event, EventHost, Invitation, Session


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {n}")
    slug = factory.Sequence(lambda n: f"campaign-{n}")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    campaign = factory.SubFactory(CampaignFactory)
    title = factory.Sequence(lambda n: f"Neighborhood meeting {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    status = Event.Status.PUBLISHED
    visibility = Event.Visibility.PUBLIC
    event_type = Event.Type.HUDDLE
    venue = "Logan Circle"
    city = "Washington"
    state = "DC"
    zip_code = "20009"
    latitude = 38.9096
    longitude = -77.0296
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))


class EventHostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventHost

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory("tests.factories.accounts.UserFactory")
    role = EventHost.Role.LEAD


class RSVPFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RSVP

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory("tests.factories.people.PersonFactory")
    status = RSVP.Status.ACCEPTED
    party_size = 1
    checkin_code = factory.Sequence(lambda n: f"C{n:07d}")


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    event = factory.SubFactory(EventFactory, visibility=Event.Visibility.INVITE_ONLY)
    person = factory.SubFactory("tests.factories.people.PersonFactory")
    status = Invitation.Status.SENT
    token_hash = factory.Sequence(lambda n: RSVP.hash_token(f"invitation-token-{n}"))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Workshop {n}")
    starts_at = factory.LazyAttribute(lambda o: o.event.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.event.starts_at + dt.timedelta(hours=1))
