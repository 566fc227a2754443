from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from actlocal.events.models import RSVP
from actlocal.local.models import Pledge
from actlocal.local.services.pledges import record_pledge
from tests.factories.events import EventFactory, EventHostFactory
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db


def test_pledge_tags_the_person_and_updates_in_place(staff_user: Any) -> None:
    event = EventFactory()
    person = PersonFactory()
    record_pledge(
        event=event,
        person=person,
        skills=["Spanish", "spanish", " graphic design "],
        time_commitment="monthly",
        actions=["call my senator"],
        by=staff_user,
    )
    names = set(person.tags.values_list("name", flat=True))
    assert names == {
        "skill: spanish",
        "skill: graphic design",
        "action: call my senator",
        "time: a few hours a month",
    }
    record_pledge(event=event, person=person, skills=["cooking"], by=staff_user)
    assert Pledge.objects.count() == 1
    assert "skill: cooking" in set(person.tags.values_list("name", flat=True))


def test_host_records_a_pledge_from_the_toolkit(client: Client) -> None:
    host = EventHostFactory()
    person = PersonFactory(given_name="Lee")
    RSVP.objects.create(event=host.event, person=person)
    client.force_login(host.user)
    url = reverse("orga:local-toolkit", args=[host.event.pk])
    html = client.get(url).content.decode()
    assert "Inspirations" in html and "Concerns" in html
    client.post(
        url, {"rsvp": str(person.pk), "skills": "canvassing", "actions": "host next huddle"}
    )
    assert Pledge.objects.get().skills == ["canvassing"]
    sheet = client.get(reverse("orga:local-signin-sheet", args=[host.event.pk])).content.decode()
    assert "Lee" in sheet


def test_toolkit_is_hidden_from_non_hosts(client: Client, plain_user: Any) -> None:
    event = EventFactory()
    client.force_login(plain_user)
    assert client.get(reverse("orga:local-toolkit", args=[event.pk])).status_code == 404


def test_widget_can_be_framed_sets_no_cookies_and_opens_rsvp_in_a_new_tab(client: Client) -> None:
    event = EventFactory(title="Logan Circle huddle")
    response = client.get(
        reverse("web:embed-events"),
        {"campaign": event.campaign.slug, "zip": "20009"},
        HTTP_HOST="testserver",
    )
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert not response.cookies
    html = response.content.decode()
    assert "Logan Circle huddle" in html
    assert 'target="_blank"' in html
    assert f"http://testserver/events/{event.slug}/" in html


def test_widget_leaves_out_other_campaigns(client: Client) -> None:
    event = EventFactory(title="Ours")
    EventFactory(title="Theirs")
    html = client.get(
        reverse("web:embed-events"), {"campaign": event.campaign.slug, "zip": "20009"}
    ).content.decode()
    assert "Ours" in html and "Theirs" not in html


def test_widget_with_bad_zip_says_so(client: Client) -> None:
    html = client.get(reverse("web:embed-events"), {"zip": "abcde"}).content.decode()
    assert "is not a US ZIP code we know" in html


def test_other_pages_still_refuse_framing(client: Client) -> None:
    assert client.get(reverse("web:event-search")).headers.get("X-Frame-Options") == "DENY"


def test_embed_script_builds_an_iframe(client: Client) -> None:
    response = client.get(reverse("web:embed-script"))
    assert response["Content-Type"].startswith("text/javascript")
    assert "iframe" in response.content.decode()
    assert "/embed/events/" in response.content.decode()
