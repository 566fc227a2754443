from __future__ import annotations

import factory

from actlocal.events.models import Campaign
from actlocal.local.models import GroupMembership, LocalNetwork
from tests.factories.events import CampaignFactory


class OpenCampaignFactory(CampaignFactory):
    name = "Hear Our Voice"
    slug = factory.Sequence(lambda n: f"hear-our-voice-{n}")
    kind = Campaign.Kind.LOCAL_ACTION
    is_open_for_hosting = True
    requires_approval = True
    host_pitch = "Bring your neighbors together for one evening."
    host_instructions = "Pick a public, accessible place. Plan 90 minutes."


class LocalNetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalNetwork

    name = factory.Sequence(lambda n: f"Logan Circle Action {n}")
    slug = factory.Sequence(lambda n: f"logan-circle-action-{n}")
    city = "Washington"
    state = "DC"
    zip_code = "20009"
    neighborhood = "Logan Circle"
    latitude = 38.9096
    longitude = -77.0296


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    network = factory.SubFactory(LocalNetworkFactory)
    person = factory.SubFactory("tests.factories.people.PersonFactory")
    role = GroupMembership.Role.MEMBER
