"""Day-of check-in: idempotent by the client's UUID, by RSVP, by QR code value.

Devices that lost the network queue check-ins with their own UUIDs and send them
later with ``sync_check_ins``; a repeated UUID, or the same person checked in on
two devices, counts once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
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
    *,
    rsvp: RSVP,
    client_uuid: uuid.UUID | None = None,
    by: Any = None,
    method: str = "list",
    at: dt.datetime | None = None,
) -> tuple[RSVP, bool]:
    """Mark the attendee as attended. Returns (rsvp, newly_checked_in).

    Scanning twice, or the same person on two devices, records one attendance.
    ``at`` is when the device saw the person (check-ins queued offline arrive late).
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
                locked.checked_in_at = at or timezone.now()
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
    record, _first = _walk_in(
        event=event,
        given_name=given_name,
        family_name=family_name,
        email=email,
        client_uuid=client_uuid,
        by=by,
    )
    return record


class _SameWalkInRaced(Exception):
    def __init__(self, rsvp: RSVP) -> None:
        super().__init__()
        self.rsvp = rsvp


def _walk_in(
    *,
    event: Event,
    given_name: str,
    family_name: str = "",
    email: str = "",
    client_uuid: uuid.UUID | None = None,
    by: Any = None,
    at: dt.datetime | None = None,
) -> tuple[RSVP, bool]:
    """A walk-in sent twice with the same client UUID (a resubmit, a re-sync) counts once,
    even without an email address to recognise the person by."""
    if client_uuid is not None:
        earlier = _earlier_check_in(event=event, client_uuid=client_uuid)
        if earlier is not None:
            return earlier, False
    try:
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
            record, first = check_in(
                rsvp=record, client_uuid=client_uuid, by=by, method="walk-in", at=at
            )
            if client_uuid is not None and not first:
                winner = CheckIn.objects.select_related("rsvp").get(client_uuid=client_uuid)
                if winner.rsvp_id != record.pk:  # another request created this walk-in first
                    raise _SameWalkInRaced(winner.rsvp)
    except _SameWalkInRaced as raced:
        if raced.rsvp.event_id != event.pk:  # never hand out another event's attendee
            raise CheckInError(_("This check-in ID was already used elsewhere.")) from None
        return raced.rsvp, False
    return record, first


def _earlier_check_in(*, event: Event, client_uuid: uuid.UUID) -> RSVP | None:
    earlier = (
        CheckIn.objects.select_related("rsvp__person", "rsvp__event")
        .filter(client_uuid=client_uuid, rsvp__event=event)
        .first()
    )
    return earlier.rsvp if earlier is not None else None


def live_counts(*, event: Event) -> dict[str, int]:
    confirmed = RSVP.objects.filter(
        event=event, status__in=[RSVP.Status.ACCEPTED, RSVP.Status.ATTENDED]
    )
    return {
        "expected": confirmed.count(),
        "checked_in": confirmed.filter(checked_in_at__isnull=False).count(),
    }


# --- devices that work offline ---------------------------------------------------------

#: How far back a queued check-in's own time is believed (a wrong device clock is clamped).
OFFLINE_CLOCK_WINDOW = dt.timedelta(days=2)
MAX_SYNC_BATCH = 500


def device_roster(*, event: Event, by: Any = None) -> list[dict[str, Any]]:
    """The attendee list a check-in device keeps offline, with as little personal data as
    the door needs (name, code, seats, state). Logged as a personal-data export."""
    rows = (
        RSVP.objects.filter(event=event, status__in=[RSVP.Status.ACCEPTED, RSVP.Status.ATTENDED])
        .select_related("person")
        .only(
            "id",
            "checkin_code",
            "party_size",
            "checked_in_at",
            "person__given_name",
            "person__family_name",
        )
        .order_by("person__family_name", "person__given_name", "id")
    )
    roster = [
        {
            "id": record.pk,
            "name": record.person.full_name,
            "code": record.checkin_code,
            "party_size": record.party_size,
            "checked_in": record.checked_in_at is not None,
        }
        for record in rows
    ]
    with transaction.atomic():
        log_action(
            "attendees.exported",
            obj=event,
            data={"via": "check-in device", "records": len(roster)},
            actor=by,
        )
    return roster


@dataclass(frozen=True)
class QueuedCheckIn:
    """One check-in a device recorded, possibly offline: an RSVP (by id or code) or a walk-in."""

    client_uuid: uuid.UUID
    rsvp_id: int | None = None
    code: str = ""
    checked_at: dt.datetime | None = None
    method: str = "list"
    walk_in: dict[str, str] | None = None


@dataclass
class SyncResult:
    client_uuid: str
    status: str  # checked_in | already | unknown | error
    message: str
    rsvp: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "client_uuid": self.client_uuid,
            "status": self.status,
            "message": self.message,
            "rsvp": self.rsvp or None,
        }


def _door_time(at: dt.datetime | None) -> dt.datetime:
    now = timezone.now()
    if at is None or at > now:
        return now
    return max(at, now - OFFLINE_CLOCK_WINDOW)


def _summary(record: RSVP) -> dict[str, Any]:
    return {
        "id": record.pk,
        "name": record.person.full_name,
        "code": record.checkin_code,
        "party_size": record.party_size,
        "checked_in": record.checked_in_at is not None,
    }


def _result(item: QueuedCheckIn, record: RSVP, first: bool) -> SyncResult:
    name = record.person.full_name or record.checkin_code
    if first:
        return SyncResult(
            str(item.client_uuid),
            "checked_in",
            _("%(name)s is checked in.") % {"name": name},
            _summary(record),
        )
    return SyncResult(
        str(item.client_uuid),
        "already",
        _("%(name)s was already checked in.") % {"name": name},
        _summary(record),
    )


def _sync_one(*, event: Event, item: QueuedCheckIn, by: Any, earlier: CheckIn | None) -> SyncResult:
    if earlier is not None:
        if earlier.rsvp.event_id == event.pk:
            return _result(item, earlier.rsvp, False)
        # The UUID was used at another event: never say whose it was.
        return SyncResult(
            str(item.client_uuid), "error", _("This check-in ID was already used elsewhere.")
        )
    at = _door_time(item.checked_at)
    try:
        if item.walk_in is not None:
            record, first = _walk_in(
                event=event,
                given_name=item.walk_in.get("given_name", ""),
                family_name=item.walk_in.get("family_name", ""),
                email=item.walk_in.get("email", ""),
                client_uuid=item.client_uuid,
                by=by,
                at=at,
            )
            return _result(item, record, first)
        found: RSVP | None
        if item.rsvp_id is not None:
            found = (
                RSVP.objects.select_related("person", "event")
                .filter(event=event, pk=item.rsvp_id)
                .first()
            )
        else:
            found = rsvp_for_code(event=event, code=item.code)
        if found is None:
            return SyncResult(
                str(item.client_uuid), "unknown", _("No RSVP for this event has this code.")
            )
        record, first = check_in(
            rsvp=found,
            client_uuid=item.client_uuid,
            by=by,
            method=f"sync-{item.method}",
            at=at,
        )
        return _result(item, record, first)
    except CheckInError as exc:
        return SyncResult(str(item.client_uuid), "error", exc.message)


def sync_check_ins(*, event: Event, items: list[QueuedCheckIn], by: Any = None) -> list[SyncResult]:
    """Apply check-ins queued on a device, each in its own transaction (one refused
    walk-in must not undo the others), and audit the batch as one run."""
    items = items[:MAX_SYNC_BATCH]
    # A re-sent outbox is mostly known UUIDs: one query answers all of those.
    earlier = {
        checkin.client_uuid: checkin
        for checkin in CheckIn.objects.select_related("rsvp__person").filter(
            client_uuid__in=[item.client_uuid for item in items]
        )
    }
    results = [
        _sync_one(event=event, item=item, by=by, earlier=earlier.get(item.client_uuid))
        for item in items
    ]
    tally: dict[str, int] = {}
    for result in results:
        tally[result.status] = tally.get(result.status, 0) + 1
    with transaction.atomic():
        log_action(
            "checkins.synced",
            obj=event,
            data={"received": len(items), **tally},
            actor=by,
        )
    return results
