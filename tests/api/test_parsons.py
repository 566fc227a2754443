"""End to end with the real, unmodified Parsons connectors pointed at a live test server."""

from __future__ import annotations

from typing import Any

import pytest
from parsons import ActionNetwork, MobilizeAmerica
from parsons.utilities.api_connector import APIConnector

from actlocal.events.models import Event
from actlocal.people.models import Person
from tests.factories.api import make_key
from tests.factories.events import EventFactory
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def action_network(base: str, token: str) -> ActionNetwork:
    """Parsons' documented client with its base URL swapped for ours (as for any AN mirror)."""
    client = ActionNetwork(api_token=token)
    client.api_url = base.rstrip("/")
    client.api = APIConnector(base.rstrip("/") + "/", headers=client.headers)
    return client


def test_parsons_action_network_lists_upserts_tags_and_lists_events(
    live_server: Any, staff_user: Any
) -> None:
    for _ in range(30):
        PersonFactory()
    EventFactory(title="Logan Circle huddle")
    EventFactory(title="Invite-only dinner", visibility=Event.Visibility.INVITE_ONLY)
    _key, token = make_key(staff_user, name="parsons")
    an = action_network(live_server.url + "/api/v2/", token)

    people = an.get_people()
    assert people.num_rows == 30  # walked two pages until the empty one

    created = an.upsert_person(
        email_address="parsons@example.org", given_name="Par", family_name="Sons", tags=["sync"]
    )
    assert created["created_date"] == created["modified_date"]
    person_id = next(
        i.split(":", 1)[1] for i in created["identifiers"] if i.startswith("action_network:")
    )
    updated = an.upsert_person(email_address="parsons@example.org", family_name="Sons-Lee")
    assert updated["family_name"] == "Sons-Lee" and updated["given_name"] == "Par"
    person = Person.objects.get(uuid=person_id)

    tag = an.add_tag("Volunteer lead")
    tag_id = next(i.split(":", 1)[1] for i in tag["identifiers"] if i.startswith("action_network:"))
    an.create_tagging(
        tag_id,
        {"_links": {"osdi:person": {"href": f"{live_server.url}/api/v2/people/{person_id}"}}},
    )
    assert set(person.tags.values_list("name", flat=True)) == {"sync", "Volunteer lead"}
    taggings = an.get_taggings(tag_id)
    assert taggings.num_rows == 1

    events = an.get_events()
    assert events.num_rows == 2  # a staff key sees invite-only events too
    assert set(events["visibility"]) == {"public", "private"}

    found = an.get_people(filter="email eq 'parsons@example.org'")
    assert found.num_rows == 1


def test_parsons_mobilize_reads_the_public_feed(live_server: Any) -> None:
    for n in range(3):
        EventFactory(title=f"Huddle {n}", address_line=f"{n} Logan Cir NW")
    EventFactory(title="Secret", visibility=Event.Visibility.INVITE_ONLY)
    mobilize = MobilizeAmerica()
    mobilize.uri = live_server.url + "/api/public/v1/"
    table = mobilize.get_events(max_timeslots=1)
    assert sorted(table["title"]) == ["Huddle 0", "Huddle 1", "Huddle 2"]
    assert {"latitude", "postal_code", "address_lines"} <= set(table.columns)
    assert any("start_date" in column for column in table.columns)
    assert "0 Logan Cir NW " in list(table["address_lines"])
