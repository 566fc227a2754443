from __future__ import annotations

import pytest

from actlocal.events.models import Event
from actlocal.events.nearby import events_near, filtered_events
from actlocal.local import demo
from actlocal.local.models import GroupMembership, LocalNetwork

pytestmark = pytest.mark.django_db


def test_demo_has_100_public_events_logan_circle_and_groups_and_is_idempotent() -> None:
    demo.load(None)
    counts = (Event.objects.count(), GroupMembership.objects.count())
    demo.load(None)
    assert (Event.objects.count(), GroupMembership.objects.count()) == counts
    assert filtered_events().filter(campaign__slug="hear-our-voice").count() >= 100
    near = [e.title for e, _ in events_near(zip_code="20009", radius_miles=5)]
    assert any("Logan Circle" in title for title in near)
    assert LocalNetwork.objects.count() >= 3
    assert all(n.memberships.count() >= 5 for n in LocalNetwork.objects.all())
    assert Event.objects.filter(status="pending", campaign__slug="hear-our-voice").exists()
