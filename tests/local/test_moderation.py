from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actlocal.common.models import AuditEntry, OutboundEmail
from actlocal.events.models import Event
from actlocal.local.models import GroupMembership, HostedEvent, ModerationDecision
from actlocal.local.services import LocalActionError
from actlocal.local.services.moderation import approve_event, reject_event, request_changes
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory, EventHostFactory
from tests.factories.local import GroupMembershipFactory, OpenCampaignFactory
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db


def _pending(**kwargs: Any) -> Event:
    event = EventFactory(campaign=OpenCampaignFactory(), status=Event.Status.PENDING, **kwargs)
    HostedEvent.objects.create(
        event=event,
        host_person=PersonFactory(),
        host_email="host@example.net",
        confirm_token_hash=HostedEvent.hash_token(f"t{event.pk}"),
    )
    return event


def _guide() -> Any:
    user = UserFactory(email="guide@example.org")
    GroupMembershipFactory(person=PersonFactory(user=user), role=GroupMembership.Role.ORGANIZER)
    return user


def test_approve_publishes_audits_and_emails_the_host(staff_user: Any) -> None:
    event = _pending()
    approve_event(event=event, by=staff_user)
    assert event.status == Event.Status.PUBLISHED
    assert ModerationDecision.objects.get(event=event).decision == "approved"
    assert AuditEntry.objects.filter(action="event.approved", actor=staff_user).exists()
    assert OutboundEmail.objects.get(template="moderation_approved").to == "host@example.net"


def test_reject_needs_a_reason_and_emails_it(staff_user: Any) -> None:
    event = _pending()
    with pytest.raises(LocalActionError):
        reject_event(event=event, by=staff_user, reason="  ")
    event.refresh_from_db()
    assert event.status == Event.Status.PENDING
    reject_event(event=event, by=staff_user, reason="Not a public place.")
    assert event.status == Event.Status.REJECTED
    assert event.moderation_note == "Not a public place."
    assert (
        "Not a public place." in OutboundEmail.objects.get(template="moderation_rejected").body_text
    )


def test_request_changes_keeps_event_unlisted_and_emails_the_note(staff_user: Any) -> None:
    event = _pending()
    request_changes(event=event, by=staff_user, note="Add the start time.")
    assert event.status == Event.Status.CHANGES_REQUESTED
    assert (
        "Add the start time." in OutboundEmail.objects.get(template="moderation_changes").body_text
    )


def test_a_published_event_cannot_be_moderated_again(staff_user: Any) -> None:
    event = EventFactory()
    with pytest.raises(LocalActionError, match="not waiting for review"):
        approve_event(event=event, by=staff_user)


def test_guide_sees_the_queue_and_approves(client: Client) -> None:
    event = _pending(title="Logan Circle huddle")
    client.force_login(_guide())
    html = client.get(reverse("orga:local-moderation")).content.decode()
    assert "Logan Circle huddle" in html
    assert "host@example.net" in html
    client.post(reverse("orga:local-moderate", args=[event.pk]), {"decision": "approve"})
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_reject_without_reason_in_queue_shows_the_error(client: Client, staff_user: Any) -> None:
    event = _pending()
    client.force_login(staff_user)
    response = client.post(
        reverse("orga:local-moderate", args=[event.pk]),
        {"decision": "reject", "note": ""},
        follow=True,
    )
    assert "Give the host a reason" in response.content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.PENDING


def test_plain_user_may_not_moderate(client: Client, plain_user: Any) -> None:
    event = _pending()
    client.force_login(plain_user)
    assert client.get(reverse("orga:local-moderation")).status_code == 403
    response = client.post(reverse("orga:local-moderate", args=[event.pk]), {"decision": "approve"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.status == Event.Status.PENDING


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get(reverse("orga:local-moderation"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_moderation_queue_query_count(
    client: Client, staff_user: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(12):
        _pending()
    client.force_login(staff_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("orga:local-moderation"))
    assert response.content.decode().count('class="card"') == 12


def test_invite_only_events_are_not_in_the_queue(client: Client, staff_user: Any) -> None:
    EventFactory(title="Private convening", status=Event.Status.PENDING, visibility="invite_only")
    client.force_login(staff_user)
    assert "Private convening" not in client.get(reverse("orga:local-moderation")).content.decode()


def test_host_edits_after_changes_requested_and_event_returns_to_review(
    client: Client, staff_user: Any
) -> None:
    event = _pending(title="Huddle")
    host = EventHostFactory(event=event).user
    request_changes(event=event, by=staff_user, note="Add an accessible venue.")
    mail = OutboundEmail.objects.get(template="moderation_changes")
    assert f"/host/events/{event.pk}/" in mail.body_text
    client.force_login(host)
    url = reverse("web:host-edit", args=[event.pk])
    html = client.get(url).content.decode()
    assert "Add an accessible venue." in html
    data = {
        "title": "Huddle at the library",
        "event_type": "huddle",
        "summary": "",
        "description": "Accessible room.",
        "starts_at": (timezone.localtime() + dt.timedelta(days=9)).strftime("%Y-%m-%dT18:00"),
        "duration_minutes": "90",
        "venue": "Library",
        "address_line": "",
        "city": "Washington",
        "state": "DC",
        "zip_code": "20009",
        "capacity": "",
        "accessibility_status": "accessible",
        "accessibility_notes": "",
    }
    client.post(url, data)
    event.refresh_from_db()
    assert event.title == "Huddle at the library"
    assert event.status == Event.Status.PENDING
    assert AuditEntry.objects.filter(action="event.updated", object_id=str(event.pk)).exists()


def test_other_users_cannot_edit_a_hosted_event(client: Client, plain_user: Any) -> None:
    event = _pending()
    client.force_login(plain_user)
    assert client.get(reverse("web:host-edit", args=[event.pk])).status_code == 404
