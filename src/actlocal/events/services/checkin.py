"""Day-of check-in: idempotent by the client's UUID, by RSVP, by QR code value."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actlocal.common.audit import log_action
from actlocal.events.models import RSVP, CheckIn, Event
from actlocal.events.services.errors import CheckInError
from actlocal.events.services.rsvps import rsvp as rsvp_service
from actlocal.people.services import upsert_person


def rsvp_for_code(*, event: Event, code: str) -> RSVP | None:
    """The RSVP for a scanned QR value (``ACTLOCAL:CODE``) or a typed check-in code."""
    value = code.strip().upper()
    if value.startswith("ACTLOCAL:"):
        value = value.split(":", 1)[1]
    if not value:
        return None
    return (
        RSVP.objects.select_related("person", "event")
        .filter(event=event, checkin_code=value)
        .first()
    )


def check_in(
    *, rsvp: RSVP, client_uuid: uuid.UUID | None = None, by: Any = None, method: str = "list"
) -> tuple[RSVP, bool]:
    """Mark the attendee as attended. Returns (rsvp, newly_checked_in).

    Scanning twice, or the same person on two devices, records one attendance.
    """
    client_uuid = client_uuid or uuid.uuid4()
    if CheckIn.objects.filter(client_uuid=client_uuid).exists():
        rsvp.refresh_from_db()
        return rsvp, False
    if rsvp.status not in {RSVP.Status.ACCEPTED, RSVP.Status.ATTENDED}:
        raise CheckInError(
            _("%(name)s is %(status)s, not confirmed: add them as a walk-in instead.")
            % {"name": rsvp.person.full_name, "status": rsvp.get_status_display()}
        )
    try:
        with transaction.atomic():
            locked = RSVP.objects.select_for_update().get(pk=rsvp.pk)
            CheckIn.objects.create(
                rsvp=locked,
                client_uuid=client_uuid,
                by=by if getattr(by, "is_authenticated", False) else None,
                method=method[:20],
            )
            first = locked.checked_in_at is None
            if first:
                locked.checked_in_at = timezone.now()
                locked.status = RSVP.Status.ATTENDED
                locked.save(update_fields=["checked_in_at", "status", "modified_at"])
                log_action(
                    "rsvp.updated",
                    obj=locked,
                    changes={"status": [rsvp.status, "attended"]},
                    data={"check_in": method},
                    actor=by,
                )
    except IntegrityError:  # the same client UUID raced in from another device
        rsvp.refresh_from_db()
        return rsvp, False
    rsvp.refresh_from_db()
    return rsvp, first


def walk_in(
    *,
    event: Event,
    given_name: str,
    family_name: str = "",
    email: str = "",
    client_uuid: uuid.UUID | None = None,
    by: Any = None,
) -> RSVP:
    """Register and check in someone who came without an RSVP (takes a seat)."""
    with transaction.atomic():
        person, _created = upsert_person(
            email=email or None,
            fields={"given_name": given_name, "family_name": family_name},
            source="walk-in",
            by=by,
            overwrite=False,
        )
        existing = RSVP.objects.filter(event=event, person=person).first()
        if existing is None or not existing.is_confirmed:
            record, _token = rsvp_service(event=event, person=person, source="walk-in", by=by)
            if record.status != RSVP.Status.ACCEPTED:
                raise CheckInError(
                    _("The event is full: raise the capacity before adding walk-ins.")
                )
        else:
            record = existing
        record, _first = check_in(rsvp=record, client_uuid=client_uuid, by=by, method="walk-in")
    return record


def live_counts(*, event: Event) -> dict[str, int]:
    confirmed = RSVP.objects.filter(
        event=event, status__in=[RSVP.Status.ACCEPTED, RSVP.Status.ATTENDED]
    )
    return {
        "expected": confirmed.count(),
        "checked_in": confirmed.filter(checked_in_at__isnull=False).count(),
    }
