"""`actlocal demo`'s network: the sizes DESIGN.md promises, idempotent."""

from __future__ import annotations

import pytest

from actlocal.network import demo
from actlocal.network.models import DuplicateCandidate, Leader, Organization, Relationship

pytestmark = pytest.mark.django_db


def test_demo_network_has_promised_sizes_and_is_idempotent() -> None:
    demo.load(None)
    demo.load(None)
    kinds = Organization.objects.values_list("kind", flat=True)
    assert list(kinds).count("anchor") == 6
    assert list(kinds).count("national") >= 50
    assert Organization.objects.exclude(kind__in=["anchor", "national"]).count() >= 300
    assert Organization.objects.filter(listed_publicly=True).exists()
    assert Relationship.objects.count() > 300
    assert DuplicateCandidate.objects.filter(status="pending").count() == 3
    assert Leader.objects.count() == 6
    assert Organization.objects.get(slug="neighbors-rising").admins.exists()
