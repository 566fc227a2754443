"""Anyone hosts an event under an open campaign; the host confirms by email."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from actlocal.accounts.models import User
from actlocal.common import geo
from actlocal.common.audit import log_action
from actlocal.common.mail import queue_mail
from actlocal.events.models import Campaign, Event, EventHost
from actlocal.events.services.links import absolute
from actlocal.local.models import HostedEvent
from actlocal.local.services.errors import LocalActionError
from actlocal.people.services import upsert_person

HOSTABLE_TYPES = (Event.Type.HUDDLE, Event.Type.TOWN_HALL, Event.Type.MEETING)


@dataclass(frozen=True)
class HostDetails:
    name: str
    email: str
    phone: str = ""


@dataclass(frozen=True)
class EventDetails:
    title: str
    event_type: str
    summary: str
    description: str
    venue: str
    address_line: str
    address_is_private: bool
    city: str
    state: str
    zip_code: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int | None
    accessibility_status: str
    accessibility_notes: str
    is_virtual: bool = False
    virtual_url: str = ""


def _unique_slug(title: str) -> str:
    base = slugify(title)[:150] or "event"
    slug = base
    while Event.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(6).lower()}"
    return slug


def submit_hosted_event(
    *, campaign: Campaign, host: HostDetails, details: EventDetails, by: Any = None
) -> tuple[HostedEvent, str]:
    """Create the host's event (a draft until the host confirms by email) and send the link.

    Returns the hosting record and the raw confirmation token.
    """
    if not (campaign.is_open_for_hosting and campaign.is_public):
        raise LocalActionError(_("This campaign is not open for new events."))
    if details.starts_at <= timezone.now():
        raise LocalActionError(_("The start must be in the future."), field="starts_at")
    if details.ends_at <= details.starts_at:
        raise LocalActionError(_("The end must be after the start."), field="ends_at")
    place = geo.zip_place(details.zip_code)
    if place is None and not details.is_virtual:
        raise LocalActionError(_("Enter a valid US ZIP code."), field="zip_code")
    token = secrets.token_urlsafe(32)
    given, _sep, family = host.name.strip().partition(" ")
    with transaction.atomic():
        person, _created = upsert_person(
            email=host.email,
            fields={
                "given_name": given,
                "family_name": family,
                "postal_code": details.zip_code,
            },
            phone=host.phone or None,
            source="host form",
            by=by,
            overwrite=False,
        )
        event = Event.objects.create(
            campaign=campaign,
            slug=_unique_slug(details.title),
            title=details.title,
            event_type=details.event_type,
            visibility=Event.Visibility.PUBLIC,
            status=Event.Status.DRAFT,
            summary=details.summary,
            description=details.description,
            venue=details.venue,
            address_line=details.address_line,
            address_is_private=details.address_is_private,
            city=details.city or (place.city if place else ""),
            state=(details.state or (place.state if place else "")).upper(),
            zip_code=place.zip_code if place else details.zip_code,
            # Offline geocoding stops at the ZIP: its centroid is the published point.
            latitude=place.latitude if place else None,
            longitude=place.longitude if place else None,
            is_virtual=details.is_virtual,
            virtual_url=details.virtual_url,
            starts_at=details.starts_at,
            ends_at=details.ends_at,
            timezone=(place.timezone if place and place.timezone else "America/New_York"),
            capacity=details.capacity,
            accessibility_status=details.accessibility_status,
            accessibility_notes=details.accessibility_notes,
            contact_name=host.name,
            contact_email=host.email,
        )
        hosting = HostedEvent.objects.create(
            event=event,
            host_person=person,
            host_email=host.email.strip().lower(),
            confirm_token_hash=HostedEvent.hash_token(token),
        )
        log_action(
            "event.created",
            obj=event,
            data={"via": "host form", "campaign": campaign.slug, "host": hosting.host_email},
            actor=by,
        )
        queue_mail(
            to=hosting.host_email,
            template="host_confirm",
            context={
                "event": event,
                "campaign": campaign,
                "host_name": host.name,
                "link": absolute(reverse("web:host-confirm", args=[token])),
                "needs_account": not User.objects.filter(email__iexact=host.email).exists(),
            },
        )
    return hosting, token


def hosting_for_token(token: str) -> HostedEvent | None:
    return (
        HostedEvent.objects.select_related("event", "event__campaign")
        .filter(confirm_token_hash=HostedEvent.hash_token(token))
        .first()
    )


def confirm_hosted_event(*, hosting: HostedEvent, password: str = "") -> User:
    """The host clicked the link: their account exists, they host the event, it goes to review.

    Idempotent: a second confirmation changes nothing.
    """
    with transaction.atomic():
        locked = (
            # of=self: PostgreSQL cannot lock the nullable side of the campaign join.
            HostedEvent.objects.select_for_update(of=("self",))
            .select_related("event__campaign")
            .get(pk=hosting.pk)
        )
        user = User.objects.filter(email__iexact=locked.host_email).first()
        if user is None:
            if not password:
                raise LocalActionError(_("Choose a password for your account."), field="password")
            user = User.objects.create_user(
                locked.host_email, password, full_name=locked.event.contact_name
            )
            log_action("user.created", obj=user, data={"via": "host form"}, actor=user)
        person = locked.host_person
        if person.user_id is None and not hasattr(user, "person"):
            person.user = user
            person.save(update_fields=["user"])
        if locked.confirmed_at is not None:
            return user
        EventHost.objects.get_or_create(
            event=locked.event, user=user, defaults={"role": EventHost.Role.LEAD}
        )
        event = locked.event
        campaign = event.campaign
        needs_review = campaign is None or campaign.requires_approval
        event.status = Event.Status.PENDING if needs_review else Event.Status.PUBLISHED
        event.created_by = user
        event.save(update_fields=["status", "created_by", "modified_at"])
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["confirmed_at"])
        log_action(
            "event.updated",
            obj=event,
            changes={"status": [Event.Status.DRAFT, event.status]},
            data={"reason": "host confirmed by email"},
            actor=user,
        )
    return user


EDITABLE = (
    "title", "event_type", "summary", "description", "venue", "address_line",
    "address_is_private", "city", "state", "zip_code", "starts_at", "ends_at", "capacity",
    "accessibility_status", "accessibility_notes",
)  # fmt: skip


def update_hosted_event(*, event: Event, details: EventDetails, by: Any) -> Event:
    """The host edits the event; one sent back for changes goes to review again."""
    from actlocal.common.audit import diff, snapshot

    if details.starts_at <= timezone.now():
        raise LocalActionError(_("The start must be in the future."), field="starts_at")
    place = geo.zip_place(details.zip_code)
    if place is None:
        raise LocalActionError(_("Enter a valid US ZIP code."), field="zip_code")
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.status in {Event.Status.REJECTED, Event.Status.CANCELLED}:
            raise LocalActionError(_("This event can no longer be changed."))
        before = snapshot(locked, (*EDITABLE, "status"))
        for name in EDITABLE:
            setattr(locked, name, getattr(details, name))
        locked.state = locked.state.upper()
        locked.latitude, locked.longitude = place.latitude, place.longitude
        if locked.status == Event.Status.CHANGES_REQUESTED:
            locked.status = Event.Status.PENDING
        locked.save()
        changes = diff(before, snapshot(locked, (*EDITABLE, "status")))
        if changes:
            log_action("event.updated", obj=locked, changes=changes, actor=by)
    event.refresh_from_db()
    return event
