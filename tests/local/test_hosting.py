from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actlocal.accounts.models import User
from actlocal.common.models import AuditEntry, OutboundEmail
from actlocal.events.models import Event, EventHost
from actlocal.local.models import HostedEvent
from tests.factories.local import OpenCampaignFactory

pytestmark = pytest.mark.django_db


def _form(campaign_slug: str, **overrides: Any) -> dict[str, Any]:
    starts = (timezone.localtime() + dt.timedelta(days=10)).strftime("%Y-%m-%dT18:30")
    data = {
        "campaign": campaign_slug,
        "host_name": "Rosa Alvarez",
        "host_email": "rosa@example.net",
        "host_phone": "",
        "title": "Logan Circle huddle",
        "event_type": "huddle",
        "summary": "Neighbors after the march",
        "description": "Share inspirations, concerns and how each will contribute.",
        "starts_at": starts,
        "duration_minutes": "90",
        "venue": "Logan Circle park",
        "address_line": "",
        "city": "Washington",
        "state": "DC",
        "zip_code": "20009",
        "capacity": "30",
        "accessibility_status": "accessible",
        "accessibility_notes": "",
        "website": "",
    }
    data.update(overrides)
    return data


def _confirm_link(email: OutboundEmail) -> str:
    match = re.search(r"/host/confirm/[^/\s]+/", email.body_text)
    assert match, email.body_text
    return match.group(0)


def test_host_page_shows_campaign_pitch_and_instructions(client: Client) -> None:
    campaign = OpenCampaignFactory()
    html = client.get(reverse("web:host-campaign", args=[campaign.slug])).content.decode()
    assert "Bring your neighbors together" in html
    assert "Pick a public, accessible place" in html


def test_host_page_for_a_closed_campaign_is_404(client: Client) -> None:
    campaign = OpenCampaignFactory(is_open_for_hosting=False)
    assert client.get(reverse("web:host-campaign", args=[campaign.slug])).status_code == 404


def test_new_host_submits_confirms_and_event_waits_for_a_guide(client: Client) -> None:
    campaign = OpenCampaignFactory()
    response = client.post(reverse("web:host"), _form(campaign.slug))
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get()
    assert event.status == Event.Status.DRAFT
    assert event.timezone == "America/New_York"
    assert event.starts_at.astimezone(ZoneInfo("America/New_York")).hour == 18
    mail = OutboundEmail.objects.get(template="host_confirm")
    assert mail.to == "rosa@example.net"
    assert "Pick a public, accessible place" in mail.body_text
    link = _confirm_link(mail)
    # GET only shows the page: link scanners must not confirm.
    assert "Choose a password" in client.get(link).content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT
    response = client.post(link, {"password": "a-long-enough-password"})
    assert "waiting for a guide" in response.content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.PENDING
    user = User.objects.get(email="rosa@example.net")
    assert user.check_password("a-long-enough-password")
    assert EventHost.objects.filter(event=event, user=user, role="lead").exists()
    assert AuditEntry.objects.filter(action="event.created", object_id=str(event.pk)).exists()
    # A second click changes nothing.
    client.post(link, {"password": ""})
    assert User.objects.filter(email="rosa@example.net").count() == 1


def test_new_host_must_choose_a_password(client: Client) -> None:
    campaign = OpenCampaignFactory()
    client.post(reverse("web:host"), _form(campaign.slug))
    link = _confirm_link(OutboundEmail.objects.get(template="host_confirm"))
    html = client.post(link, {"password": ""}).content.decode()
    assert "Choose a password for your account" in html
    assert Event.objects.get().status == Event.Status.DRAFT


def test_campaign_without_approval_publishes_on_confirmation(client: Client) -> None:
    campaign = OpenCampaignFactory(requires_approval=False)
    client.post(reverse("web:host"), _form(campaign.slug))
    link = _confirm_link(OutboundEmail.objects.get(template="host_confirm"))
    client.post(link, {"password": "a-long-enough-password"})
    assert Event.objects.get().status == Event.Status.PUBLISHED


def test_unknown_confirmation_link_is_404(client: Client) -> None:
    assert client.get(reverse("web:host-confirm", args=["nope"])).status_code == 404


def test_host_form_refuses_a_start_in_the_past(client: Client) -> None:
    campaign = OpenCampaignFactory()
    past = (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT10:00")
    html = client.post(reverse("web:host"), _form(campaign.slug, starts_at=past)).content.decode()
    assert "The start must be in the future." in html
    assert not Event.objects.exists()
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("zip_code", "99999", "is not a US ZIP code we know"),
        ("zip_code", "10001", "not in the state you chose"),
        ("host_email", "not-an-email", "Enter a valid email address"),
        ("title", "", "This field is required"),
        ("description", "x" * 5001, "at most 5000 characters"),
        (
            "description",
            "see http://a.example http://b.example www.c.example https://d.example",
            "at most 3 links",
        ),
    ],
)
def test_host_form_bad_input_is_named_and_nothing_is_stored(
    client: Client, field: str, value: str, message: str
) -> None:
    campaign = OpenCampaignFactory()
    html = client.post(reverse("web:host"), _form(campaign.slug, **{field: value})).content.decode()
    assert message in html
    assert not Event.objects.exists()
    assert not HostedEvent.objects.exists()


def test_host_form_with_10_mb_description_gets_a_clear_message(client: Client) -> None:
    campaign = OpenCampaignFactory()
    response = client.post(
        reverse("web:host"), _form(campaign.slug, description="x" * (10 * 1024 * 1024))
    )
    assert response.status_code == 200
    assert "at most 5000 characters" in response.content.decode()
    assert not Event.objects.exists()


def test_host_form_body_over_the_upload_limit_gets_a_clear_message(
    client: Client, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    campaign = OpenCampaignFactory()
    response = client.post(
        reverse("web:host"), _form(campaign.slug, description="x" * (2 * 1024 * 1024))
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert not Event.objects.exists()


def test_html_and_script_in_every_text_field_are_rendered_inert(client: Client) -> None:
    campaign = OpenCampaignFactory(requires_approval=False)
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    fields = {
        name: f"{name} {evil}"
        for name in (
            "title",
            "summary",
            "description",
            "venue",
            "address_line",
            "accessibility_notes",
            "host_name",
        )
    }
    fields["city"] = f"Washington {evil}"
    response = client.post(reverse("web:host"), _form(campaign.slug, **fields))
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.title.startswith("title <script>")  # stored as typed...
    client.post(
        _confirm_link(OutboundEmail.objects.get(template="host_confirm")),
        {"password": "a-long-enough-password"},
    )
    pages = [
        client.get(reverse("web:event-search"), {"zip": "20009", "radius": "5"}),
        client.get(reverse("web:embed-events"), {"zip": "20009"}),
    ]
    for page in pages:
        html = page.content.decode()
        assert "title &lt;script&gt;" in html  # ...and shown as text
        assert '<script>alert("x")</script>' not in html
        assert "<img src=x" not in html
    mail = OutboundEmail.objects.get(template="host_confirm")
    assert "<script>alert" not in mail.body_html


def test_honeypot_submission_is_dropped_silently(client: Client) -> None:
    campaign = OpenCampaignFactory()
    response = client.post(reverse("web:host"), _form(campaign.slug, website="http://spam.example"))
    assert response.status_code == 302
    assert not Event.objects.exists()


def test_host_form_rate_limit_per_email(client: Client) -> None:
    campaign = OpenCampaignFactory()
    for n in range(5):
        response = client.post(reverse("web:host"), _form(campaign.slug, title=f"Huddle {n}"))
        assert response.status_code == 302
    html = client.post(reverse("web:host"), _form(campaign.slug, title="Sixth")).content.decode()
    assert "Too many events submitted" in html
    assert Event.objects.count() == 5


def test_host_form_rate_limit_per_ip(client: Client) -> None:
    campaign = OpenCampaignFactory()
    for n in range(10):
        client.post(
            reverse("web:host"),
            _form(campaign.slug, title=f"Huddle {n}", host_email=f"h{n}@example.net"),
        )
    html = client.post(
        reverse("web:host"), _form(campaign.slug, host_email="new@example.net")
    ).content.decode()
    assert "Too many events submitted" in html
    assert Event.objects.count() == 10
