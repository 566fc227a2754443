"""Extension resources with the actlocal: curie: organizations and relationships."""

from __future__ import annotations

from typing import Any

import pytest

from actlocal.network.models import Relationship
from tests.api.conftest import OsdiClient
from tests.factories.network import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_organizations_use_actlocal_curie_and_collection_shape(staff_api: OsdiClient) -> None:
    org = OrganizationFactory(name="Riverside Tenants", source_identifiers=["partner_x:1001"])
    data = staff_api.get("/api/v2/organizations").json()
    assert set(data) >= {"total_pages", "per_page", "page", "total_records", "_links", "_embedded"}
    [entry] = data["_embedded"]["actlocal:organizations"]
    assert entry["name"] == "Riverside Tenants"
    assert entry["identifiers"][:2] == [f"actlocal:{org.uuid}", f"action_network:{org.uuid}"]
    assert "partner_x:1001" in entry["identifiers"]
    assert entry["_links"]["actlocal:relationships"]["href"].endswith(
        f"/organizations/{org.uuid}/relationships"
    )


def test_relationships_of_an_organization(staff_api: OsdiClient) -> None:
    national = OrganizationFactory(name="National")
    chapter = OrganizationFactory(name="Chapter")
    Relationship.objects.create(source=chapter, target=national, kind="chapter_of")
    data = staff_api.get(f"/api/v2/organizations/{national.uuid}/relationships").json()
    [rel] = data["_embedded"]["actlocal:relationships"]
    assert rel["kind"] == "chapter_of"
    assert rel["_links"]["actlocal:source"]["href"].endswith(f"/organizations/{chapter.uuid}")


def test_partner_key_sees_own_and_publicly_listed_organizations_only(
    partner: Any, partner_api: OsdiClient
) -> None:
    listed = OrganizationFactory(name="Listed", listed_publicly=True, public_email="hi@x.org")
    hidden = OrganizationFactory(name="Hidden")
    names = {
        o["name"]
        for o in partner_api.get("/api/v2/organizations").json()["_embedded"][
            "actlocal:organizations"
        ]
    }
    assert names == {"Riverside Tenants", "Listed"}
    assert partner_api.get(f"/api/v2/organizations/{hidden.uuid}").status_code == 404
    public = partner_api.get(f"/api/v2/organizations/{listed.uuid}").json()
    assert "email" not in public  # contact details only for one's own organization
