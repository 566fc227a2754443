"""Merging two players keeps each tie in its own direction; only true repeats collapse."""

from __future__ import annotations

import pytest

from actlocal.network.models import Relationship
from actlocal.network.services.merging import merge_organizations, unmerge
from tests.factories.network import OrganizationFactory

pytestmark = pytest.mark.django_db


def _ties(org: object) -> set[tuple[str, str, str]]:
    return {
        (rel.source.name, rel.kind, rel.target.name)
        for rel in Relationship.objects.select_related("source", "target").filter(
            source__merged_into__isnull=True, target__merged_into__isnull=True
        )
    }


def test_one_way_ties_in_opposite_directions_both_survive_a_merge() -> None:
    keep = OrganizationFactory(name="Casa Uno")
    other = OrganizationFactory(name="Casa 1")
    fund = OrganizationFactory(name="Fund X")
    Relationship.objects.create(source=keep, target=fund, kind="funds")  # Casa funds X
    Relationship.objects.create(source=fund, target=other, kind="funds")  # X funds Casa

    record = merge_organizations(survivor=keep, other=other)

    assert _ties(keep) == {("Casa Uno", "funds", "Fund X"), ("Fund X", "funds", "Casa Uno")}
    unmerge(record=record)
    assert _ties(keep) == {("Casa Uno", "funds", "Fund X"), ("Fund X", "funds", "Casa 1")}


def test_a_symmetric_tie_recorded_the_other_way_is_one_tie() -> None:
    keep = OrganizationFactory(name="Casa Uno")
    other = OrganizationFactory(name="Casa 1")
    ally = OrganizationFactory(name="Ally")
    Relationship.objects.create(source=keep, target=ally, kind="coalition_with")
    Relationship.objects.create(source=ally, target=other, kind="coalition_with")

    merge_organizations(survivor=keep, other=other)

    assert _ties(keep) == {("Casa Uno", "coalition_with", "Ally")}


def test_the_same_tie_from_both_records_is_kept_once() -> None:
    keep = OrganizationFactory(name="Casa Uno")
    other = OrganizationFactory(name="Casa 1")
    parent = OrganizationFactory(name="National")
    Relationship.objects.create(source=keep, target=parent, kind="member_of")
    Relationship.objects.create(source=other, target=parent, kind="member_of")
    Relationship.objects.create(source=other, target=parent, kind="funds")

    merge_organizations(survivor=keep, other=other)

    assert _ties(keep) == {
        ("Casa Uno", "member_of", "National"),
        ("Casa Uno", "funds", "National"),
    }
