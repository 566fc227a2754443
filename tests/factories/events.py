from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from actlocal.events.models import Campaign, Event, EventHost


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
