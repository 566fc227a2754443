"""Merges keep every identifier and relationship, and can be undone."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from actlocal.common.models import AuditEntry
from actlocal.network.models import DuplicateCandidate, MergeRecord, NotDuplicate, Relationship
from actlocal.network.services import NetworkError
from actlocal.network.services.dedupe import run_dedupe
from actlocal.network.services.merging import mark_not_duplicate, merge_organizations, unmerge
from tests.factories.network import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_merge_keeps_identifiers_relationships_and_fills_blanks() -> None:
    keep = OrganizationFactory(name="Casa Uno", source_identifiers=["a:1"], website="")
    other = OrganizationFactory(
        name="Casa 1", source_identifiers=["b:9"], website="https://casa.org"
    )
    partner = OrganizationFactory(name="Partner")
    Relationship.objects.create(source=other, target=partner, kind="partner_of")

    merge_organizations(survivor=keep, other=other)

    keep.refresh_from_db()
    assert keep.identifiers == [keep.identifier, "a:1", other.identifier, "b:9"]
    assert keep.website == "https://casa.org" and "Casa 1" in keep.aliases
    assert Relationship.objects.get().source == keep
    assert AuditEntry.objects.filter(action="organization.merged").count() == 1


def test_unmerge_restores_both_players() -> None:
    keep = OrganizationFactory(name="Casa Uno", source_identifiers=["a:1"])
    other = OrganizationFactory(name="Casa 1", source_identifiers=["b:9"], public_phone="555")
    partner = OrganizationFactory(name="Partner")
    rel = Relationship.objects.create(source=partner, target=other, kind="funds")
    record = merge_organizations(survivor=keep, other=other)

    unmerge(record=record)

    keep.refresh_from_db()
    other.refresh_from_db()
    rel.refresh_from_db()
    assert other.merged_into is None
    assert keep.source_identifiers == ["a:1"] and keep.public_phone == ""
    assert rel.target == other
    with pytest.raises(NetworkError):
        unmerge(record=record)


def test_not_a_duplicate_is_remembered_by_dedupe() -> None:
    a = OrganizationFactory(name="Casa Comunidad", website="https://casa1.org")
    b = OrganizationFactory(name="Casa Comunidad", website="https://casa2.org")
    run_dedupe()
    candidate = DuplicateCandidate.objects.get()
    mark_not_duplicate(candidate=candidate, by=None)
    run_dedupe()
    assert NotDuplicate.objects.filter(left=a, right=b).exists()
    assert not DuplicateCandidate.objects.filter(status="pending").exists()


def test_staff_undo_a_merge_from_the_review_page(client: Any, staff_user: Any) -> None:
    keep, other = OrganizationFactory(name="Casa Uno"), OrganizationFactory(name="Casa 1")
    record = merge_organizations(survivor=keep, other=other)
    client.force_login(staff_user)
    page = client.get(reverse("orga:network-review"))
    assert "Casa 1" in page.content.decode()
    client.post(reverse("orga:network-unmerge", args=[record.uuid]))
    other.refresh_from_db()
    assert other.merged_into is None
    assert MergeRecord.objects.get().undone_at is not None


def test_review_queue_query_count(
    client: Any, staff_user: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(20):
        DuplicateCandidate.objects.create(
            left=OrganizationFactory(name=f"A {i}"),
            right=OrganizationFactory(name=f"B {i}"),
            score=0.8,
        )
    client.force_login(staff_user)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("orga:network-review")).status_code == 200
