"""The public map: only players listed publicly, only their public fields."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from actlocal.network.models import IssueArea, Leader, Relationship
from tests.factories.network import OrganizationFactory
from tests.factories.people import EmailAddressFactory, PersonFactory

pytestmark = pytest.mark.django_db

PRIVATE_VALUES = (
    "leader.private@example.net",
    "Quiet Hidden Collective",
    "partnerx:4471",
    "internal-vip-tag",
    "spreadsheet-of-partner-x",
    "relationship note only staff see",
)


@pytest.fixture
def network() -> dict[str, Any]:
    listed = OrganizationFactory(
        name="Open Door Alliance",
        slug="open-door-alliance",
        listed_publicly=True,
        website="https://opendoor.example.org",
        public_email="hello@opendoor.example.org",
        public_phone="202-555-0101",
        tags=["internal-vip-tag"],
        source_identifiers=["partnerx:4471"],
        provenance={"name": {"source": "spreadsheet-of-partner-x", "run": 1}},
    )
    listed.issue_areas.add(IssueArea.objects.get_or_create(slug="housing", name="Housing")[0])
    friend = OrganizationFactory(
        name="Neighbors United", slug="neighbors-united", listed_publicly=True
    )
    hidden = OrganizationFactory(name="Quiet Hidden Collective", slug="quiet-hidden")
    person = PersonFactory(given_name="Lena", family_name="Privat", email=None)
    EmailAddressFactory(person=person, address="leader.private@example.net")
    Leader.objects.create(organization=listed, person=person, role="Chair")
    Relationship.objects.create(source=listed, target=friend, kind="coalition_with")
    Relationship.objects.create(
        source=hidden, target=listed, kind="funds", notes="relationship note only staff see"
    )
    return {"listed": listed, "friend": friend, "hidden": hidden}


def _all_public_responses(client: Any, org: Any, **params: str) -> list[str]:
    pages = [
        client.get(reverse("web:network-map-public"), params).content.decode(),
        client.get(
            reverse("web:network-map-public-data"), {"zoom": "4", **params}
        ).content.decode(),
        client.get(
            reverse("web:network-map-public-data"), {"zoom": "12", **params}
        ).content.decode(),
    ]
    card = client.get(reverse("web:network-player-public", args=[org.uuid]))
    assert card.status_code == 200
    pages.append(card.content.decode())
    return pages


def test_non_public_player_is_absent_from_page_json_list_and_search(
    client: Any, network: dict[str, Any]
) -> None:
    hidden = network["hidden"]
    page = client.get(reverse("web:network-map-public"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Open Door Alliance" in html and "Neighbors United" in html
    assert hidden.name not in html
    assert "2 players" in html

    clusters = client.get(reverse("web:network-map-public-data"), {"zoom": "4"}).json()
    assert clusters["mode"] == "clusters" and clusters["total"] == 2
    points = client.get(reverse("web:network-map-public-data"), {"zoom": "12"}).json()
    assert {p["name"] for p in points["points"]} == {"Open Door Alliance", "Neighbors United"}

    search = client.get(reverse("web:network-map-public"), {"q": "Quiet Hidden"})
    assert hidden.name not in search.content.decode()
    assert "0 players" in search.content.decode()
    data = client.get(reverse("web:network-map-public-data"), {"zoom": "12", "q": "Quiet"})
    assert data.json()["points"] == []
    assert client.get(reverse("web:network-player-public", args=[hidden.uuid])).status_code == 404


def test_private_fields_never_appear(client: Any, network: dict[str, Any]) -> None:
    listed = network["listed"]
    pages = _all_public_responses(client, listed)
    pages += _all_public_responses(client, listed, q="Open Door")
    for body in pages:
        for value in PRIVATE_VALUES:
            assert value not in body, value
    card = pages[3]
    # The public fields are there.
    assert "hello@opendoor.example.org" in card and "202-555-0101" in card
    assert "https://opendoor.example.org" in card and "Housing" in card
    assert "Neighbors United" in card  # a relationship between two public players


def test_public_json_points_carry_only_whitelisted_keys(
    client: Any, network: dict[str, Any]
) -> None:
    data = client.get(reverse("web:network-map-public-data"), {"zoom": "12"}).json()
    assert data["points"]
    for point in data["points"]:
        assert set(point) <= {"id", "name", "kind", "kind_label", "place", "lat", "lng"}
    clusters = client.get(reverse("web:network-map-public-data"), {"zoom": "3"}).json()
    for cluster in clusters["clusters"]:
        assert set(cluster) == {"count", "lat", "lng"}


def test_tag_partner_and_related_filters_reveal_nothing_private(
    client: Any, network: dict[str, Any]
) -> None:
    hidden = network["hidden"]
    # A tag filter is ignored on the public map: it would confirm an internal label.
    by_tag = client.get(reverse("web:network-map-public"), {"tag": "internal-vip-tag"})
    assert "2 players" in by_tag.content.decode()
    assert 'name="tag"' not in by_tag.content.decode()
    # "Related to" a hidden player is ignored rather than listing its public partners.
    related_hidden = client.get(reverse("web:network-map-public"), {"related_to": hidden.slug})
    assert "2 players" in related_hidden.content.decode()
    assert hidden.name not in related_hidden.content.decode()
    # "Related to" a public player shows it and its public connections.
    related = client.get(
        reverse("web:network-map-public-data"), {"zoom": "12", "related_to": "neighbors-united"}
    ).json()
    assert {p["name"] for p in related["points"]} == {"Neighbors United", "Open Door Alliance"}
    # A hidden player never shows up in the partner choices.
    page = client.get(reverse("web:network-map-public")).content.decode()
    assert hidden.slug not in page


def test_anonymous_map_goes_to_the_public_map_keeping_filters(client: Any) -> None:
    response = client.get(reverse("web:network-map"), {"state": "DC"})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:network-map-public") + "?state=DC"


def test_public_map_page_uses_bounded_queries(
    client: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(40):
        OrganizationFactory(name=f"Listed {i}", listed_publicly=True)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("web:network-map-public"))
    assert b"40 players" in response.content


def test_map_pages_draw_state_outlines_from_our_own_static_files(
    client: Any, staff_user: Any
) -> None:
    page = client.get(reverse("web:network-map-public")).content.decode()
    assert 'data-outlines="/static/vendor/us-atlas/states-10m.json"' in page
    assert "/static/vendor/topojson-client/topojson-client.min.js" in page
    assert "//" not in page.split('data-outlines="')[1].split('"')[0]
    client.force_login(staff_user)
    assert "states-10m.json" in client.get(reverse("web:network-map")).content.decode()
    served = client.get("/static/vendor/us-atlas/states-10m.json")
    assert served.status_code == 200
    topo = json.loads(b"".join(served.streaming_content) if served.streaming else served.content)
    assert topo["type"] == "Topology" and len(topo["objects"]["states"]["geometries"]) >= 50
