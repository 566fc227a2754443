"""RSVPs: capacity under a lock on the event row, a waitlist promoted in order.

On PostgreSQL ``select_for_update()`` locks the event row; on SQLite the
database runs every transaction as ``BEGIN IMMEDIATE``, which serializes
writers, so the read of ``seats_taken`` below is never stale in either case.
A CheckConstraint on Event guards ``seats_taken <= capacity`` besides.
"""

from __future__ import annotations

import secrets
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from actlocal.common.audit import diff, log_action, snapshot
from actlocal.events.models import RSVP, Event
from actlocal.events.services import links
from actlocal.events.services.errors import RSVPError
from actlocal.events.services.rsvp_mail import confirmation_mail, promoted_mail
from actlocal.people.models import Person
from actlocal.people.services import upsert_person

__all__ = [
    "NEED_FIELDS",
    "AlreadyAnsweredError",
    "RSVPError",
    "cancel_rsvp",
    "change_party_size",
    "promote_waitlist",
    "rsvp",
    "rsvp_by_email",
    "rsvp_for_manage_token",
    "transfer_rsvp",
    "update_needs",
]

NEED_FIELDS = {
    "accessibility": "need_accessibility",
    "dietary": "need_dietary",
    "childcare": "need_childcare",
    "interpretation": "need_interpretation",
    "other": "need_other",
}
TRACKED = ("status", "party_size", "waitlist_position", "checked_in_at", *NEED_FIELDS.values())
OPEN_STATUSES = {Event.Status.PUBLISHED}
CHECKIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ACTIVE_STATUSES = (RSVP.Status.ACCEPTED, RSVP.Status.WAITLISTED)


class AlreadyAnsweredError(RSVPError):
    """The email address already has an active RSVP (the public form must not change it)."""


class _UseLockedPath(Exception):
    """Leave the fast path: its savepoint rolls back everything it wrote."""


def _locked_event(event: Event) -> Event:
    locked = Event.objects.select_for_update().get(pk=event.pk)
    # Keep the caller's instance current (pages render it right after).
    event.seats_taken = locked.seats_taken
    event.waitlist_counter = locked.waitlist_counter
    return locked


def _check_open(event: Event) -> None:
    if event.status == Event.Status.CANCELLED:
        raise RSVPError(_("This event has been cancelled."))
    if event.status not in OPEN_STATUSES:
        raise RSVPError(_("This event is not open for RSVPs."))
    if event.ends_at <= timezone.now():
        raise RSVPError(_("This event is over."))


def _check_party_size(event: Event, party_size: int) -> None:
    most = 1 + event.max_guests
    if not isinstance(party_size, int) or party_size < 1:
        raise RSVPError(_("Party size must be at least 1."))
    if party_size > most:
        raise RSVPError(
            _("Party size can be at most %(most)s (you and %(guests)s guests).")
            % {"most": most, "guests": event.max_guests}
        )


def _fits(event: Event, seats: int) -> bool:
    return event.capacity is None or event.seats_taken + seats <= event.capacity


def _apply_needs(record: RSVP, needs: dict[str, Any] | None) -> None:
    for key, value in (needs or {}).items():
        field = NEED_FIELDS.get(key)
        if field is None:
            raise RSVPError(_("Unknown need: %(key)s.") % {"key": key})
        if field == "need_childcare":
            setattr(record, field, bool(value))
        else:
            setattr(record, field, str(value or "").strip())


def _new_checkin_code() -> str:
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(8))


def _issue_manage_token(record: RSVP) -> str:
    token = links.new_token()
    record.manage_token_hash = RSVP.hash_token(token)
    return token


def rsvp(
    *,
    event: Event,
    person: Person,
    party_size: int = 1,
    needs: dict[str, Any] | None = None,
    source: str = "web",
    by: Any = None,
    share_attendance: bool | None = None,
) -> tuple[RSVP, str | None]:
    """Accept ``person`` (and guests) for ``event``, or put them on the waitlist.

    The same person RSVPing again updates their answer. Returns the RSVP and
    the raw manage token when a new one was issued (only then; it is stored hashed).
    """
    return _rsvp(
        event=event,
        person=person,
        party_size=party_size,
        needs=needs,
        source=source,
        by=by,
        share_attendance=share_attendance,
    )


def rsvp_by_email(
    *,
    event: Event,
    email: str,
    fields: dict[str, Any],
    party_size: int = 1,
    needs: dict[str, Any] | None = None,
    share_attendance: bool = False,
    source: str = "web",
    by: Any = None,
) -> tuple[RSVP, str | None]:
    """The public RSVP form: find or create the person by email and RSVP, in one transaction.

    An address that already has an active RSVP for ``event`` raises
    ``AlreadyAnsweredError`` and nothing is stored (changes go through the manage link).
    Only empty fields of a known person are filled in.
    """
    attempt = partial(
        _rsvp_by_email,
        event=event,
        email=email,
        fields=fields,
        party_size=party_size,
        needs=needs,
        share_attendance=share_attendance,
        source=source,
        by=by,
    )
    try:
        return attempt()
    except IntegrityError:
        # A new address sent twice at once (a double click): the other request created
        # the person first; answering again finds them (usually "already has an RSVP").
        return attempt()


def _rsvp_by_email(
    *,
    event: Event,
    email: str,
    fields: dict[str, Any],
    party_size: int,
    needs: dict[str, Any] | None,
    share_attendance: bool,
    source: str,
    by: Any,
) -> tuple[RSVP, str | None]:
    with transaction.atomic():
        person, created = upsert_person(
            email=email, fields=fields, source="rsvp", overwrite=False, by=by
        )
        known_absent = created
        if not created:
            # The email row is locked by the upsert, so this answer holds until commit.
            status = (
                RSVP.objects.filter(event=event, person=person)
                .values_list("status", flat=True)
                .first()
            )
            if status in ACTIVE_STATUSES:
                raise AlreadyAnsweredError(
                    _(
                        "This email address already has an RSVP for this event. Use the link "
                        "in your confirmation email to change it."
                    )
                )
            known_absent = status is None
        return _rsvp(
            event=event,
            person=person,
            party_size=party_size,
            needs=needs,
            source=source,
            by=by,
            share_attendance=share_attendance or None,
            known_absent=known_absent,
            email=email.strip().lower(),
            savepoint=False,  # any error leaves this whole transaction anyway
        )


def _rsvp(
    *,
    event: Event,
    person: Person,
    party_size: int,
    needs: dict[str, Any] | None,
    source: str,
    by: Any,
    share_attendance: bool | None,
    known_absent: bool = False,
    email: str | None = None,
    savepoint: bool = True,
) -> tuple[RSVP, str | None]:
    with transaction.atomic(savepoint=savepoint):
        fast = _accept_without_waiting(
            event=event,
            person=person,
            party_size=party_size,
            needs=needs,
            source=source,
            by=by,
            share_attendance=share_attendance,
            known_absent=known_absent,
            email=email,
        )
        if fast is not None:
            return fast
        locked = _locked_event(event)
        _check_open(locked)
        _check_party_size(locked, party_size)
        record = RSVP.objects.filter(event=locked, person=person).first()
        created = record is None
        token: str | None = None
        if record is None:
            record = RSVP(event=locked, person=person, source=source[:50])
            before: dict[str, Any] = {}
        else:
            before = snapshot(record, _tracked(share_attendance))
        record.event = locked
        _apply_needs(record, needs)
        if share_attendance is not None:
            record.share_attendance = share_attendance

        delta = 0
        if record.pk and record.is_confirmed:
            delta = party_size - record.party_size
            if delta > 0 and not _fits(locked, delta):
                raise RSVPError(
                    _("Only %(left)s more seat(s) are free; your RSVP is unchanged.")
                    % {"left": locked.seats_left}
                )
            locked.seats_taken += delta
            record.party_size = party_size
        elif record.pk and record.status == RSVP.Status.WAITLISTED:
            delta = party_size - record.party_size  # a smaller waiting party may fit now
            record.party_size = party_size
        else:
            # New, or coming back after cancelling/declining.
            record.party_size = party_size
            if _fits(locked, party_size) and not _queue_ahead(locked):
                record.status = RSVP.Status.ACCEPTED
                locked.seats_taken += party_size
            else:
                locked.waitlist_counter += 1
                record.status = RSVP.Status.WAITLISTED
                record.waitlist_position = locked.waitlist_counter
            token = _issue_manage_token(record)
        if not record.checkin_code:
            record.checkin_code = _new_checkin_code()
        record.save()
        locked.save(update_fields=["seats_taken", "waitlist_counter", "modified_at"])
        changes = diff(before, snapshot(record, _tracked(share_attendance)))
        if created:
            log_action(
                "rsvp.created", obj=record, changes=changes, actor=by, data={"source": source}
            )
        elif changes:
            log_action("rsvp.updated", obj=record, changes=changes, actor=by)
        if delta < 0:
            promote_waitlist(event=locked, by=by)  # a smaller party frees seats for the queue
        if token or (not created and "status" in changes):
            # Rendered after commit: the event row lock is held only for the seat count.
            transaction.on_commit(lambda: confirmation_mail(record, token, email))
    event.seats_taken = locked.seats_taken
    return record, token


def _tracked(share_attendance: bool | None) -> tuple[str, ...]:
    return TRACKED if share_attendance is None else (*TRACKED, "share_attendance")


_answer = rsvp


def _accept_without_waiting(
    *,
    event: Event,
    person: Person,
    party_size: int,
    needs: dict[str, Any] | None,
    source: str,
    by: Any,
    share_attendance: bool | None,
    known_absent: bool,
    email: str | None,
) -> tuple[RSVP, str | None] | None:
    """Fast path for a first RSVP while seats are free and nobody was ever waitlisted.

    Everything is written first (RSVP, audit entry, confirmation mail in the outbox),
    and the seats are claimed last with one conditional UPDATE, so the event row is
    locked only from there to the commit. ``event`` may be a little stale: the UPDATE
    re-checks every condition, and any doubt means None ("use the locked path", which
    re-reads the event and raises the right error); the savepoint then undoes the writes.
    """
    now = timezone.now()
    if (
        event.status not in OPEN_STATUSES
        or event.ends_at <= now
        or event.waitlist_counter
        or not isinstance(party_size, int)
        or not 1 <= party_size <= 1 + event.max_guests
        or not _fits(event, party_size)
    ):
        return None
    if not known_absent and RSVP.objects.filter(event=event, person=person).exists():
        return None
    record = RSVP(
        event=event,
        person=person,
        source=source[:50],
        party_size=party_size,
        status=RSVP.Status.ACCEPTED,
        checkin_code=_new_checkin_code(),
    )
    _apply_needs(record, needs)
    if share_attendance is not None:
        record.share_attendance = share_attendance
    token = _issue_manage_token(record)
    try:
        with transaction.atomic():
            record.save()
            log_action(
                "rsvp.created",
                obj=record,
                changes=diff({}, snapshot(record, _tracked(share_attendance))),
                actor=by,
                data={"source": source},
            )
            # Rendered and queued before the seat is claimed: no lock is held meanwhile.
            confirmation_mail(record, token, email)
            claimed = (
                Event.objects.filter(
                    pk=event.pk,
                    status=Event.Status.PUBLISHED,
                    waitlist_counter=0,
                    ends_at__gt=now,
                    max_guests__gte=party_size - 1,
                )
                .filter(Q(capacity__isnull=True) | Q(capacity__gte=F("seats_taken") + party_size))
                .update(seats_taken=F("seats_taken") + party_size)
            )
            if not claimed:
                raise _UseLockedPath
    except (_UseLockedPath, IntegrityError):  # full, changed, or the same person raced in
        record.pk = None
        return None
    event.seats_taken += party_size
    return record, token


def _queue_ahead(event: Event) -> bool:
    """People already wait: a newcomer must not jump the queue."""
    if event.capacity is None or event.waitlist_counter == 0:
        return False  # nobody was ever waitlisted
    return RSVP.objects.filter(event=event, status=RSVP.Status.WAITLISTED).exists()


def change_party_size(*, rsvp: RSVP, party_size: int, by: Any = None) -> RSVP:
    """From the manage link: more or fewer seats for the same RSVP."""
    if rsvp.status not in {RSVP.Status.ACCEPTED, RSVP.Status.WAITLISTED}:
        raise RSVPError(_("This RSVP is not active."))
    updated, _token = _answer(
        event=rsvp.event, person=rsvp.person, party_size=party_size, source=rsvp.source, by=by
    )
    return updated


def update_needs(
    *, rsvp: RSVP, needs: dict[str, Any], share_attendance: bool | None = None, by: Any = None
) -> RSVP:
    with transaction.atomic():
        before = snapshot(rsvp, (*TRACKED, "share_attendance"))
        _apply_needs(rsvp, needs)
        if share_attendance is not None:
            rsvp.share_attendance = share_attendance
        rsvp.save()
        changes = diff(before, snapshot(rsvp, (*TRACKED, "share_attendance")))
        if changes:
            log_action("rsvp.updated", obj=rsvp, changes=changes, actor=by)
    return rsvp


def cancel_rsvp(*, rsvp: RSVP, by: Any = None) -> RSVP:
    """Cancel (or leave the waitlist); freed seats go to the waitlist in order."""
    with transaction.atomic():
        locked = _locked_event(rsvp.event)
        record = RSVP.objects.select_for_update().get(pk=rsvp.pk)
        if record.status in {RSVP.Status.CANCELLED, RSVP.Status.DECLINED}:
            return record
        before = snapshot(record, TRACKED)
        if record.is_confirmed:
            locked.seats_taken = max(0, locked.seats_taken - record.party_size)
        record.status = RSVP.Status.CANCELLED
        record.save(update_fields=["status", "modified_at"])
        locked.save(update_fields=["seats_taken", "modified_at"])
        log_action(
            "rsvp.updated", obj=record, changes=diff(before, snapshot(record, TRACKED)), actor=by
        )
        promote_waitlist(event=locked, by=by)
    rsvp.status = record.status
    rsvp.event.seats_taken = locked.seats_taken
    return record


def transfer_rsvp(
    *, rsvp: RSVP, email: str, given_name: str, family_name: str = "", by: Any = None
) -> tuple[RSVP, str]:
    """Give a confirmed seat (with its guests) to someone else, who gets their own link.

    The seats never go back to the pool, so nobody on the waitlist is passed over and the
    event never overfills. Invite-only events refuse it: an invitation is personal.
    Returns the new RSVP and its raw manage token.
    """
    with transaction.atomic():
        locked = _locked_event(rsvp.event)
        record = RSVP.objects.select_for_update().get(pk=rsvp.pk)
        if locked.is_invite_only:
            raise RSVPError(
                _("Invitations are personal: ask the hosts to invite the person instead.")
            )
        _check_open(locked)
        if record.status != RSVP.Status.ACCEPTED:
            raise RSVPError(_("Only a confirmed seat can be given to someone else."))
        person, _created = upsert_person(
            email=email,
            fields={"given_name": given_name, "family_name": family_name},
            source="rsvp-transfer",
            by=by,
            overwrite=False,
        )
        if person.pk == record.person_id:
            raise RSVPError(_("That is your own email address."))
        target = RSVP.objects.select_for_update().filter(event=locked, person=person).first()
        if target is not None and target.status in (*ACTIVE_STATUSES, RSVP.Status.ATTENDED):
            raise RSVPError(_("That person already has an RSVP for this event."))
        created = target is None
        if target is None:
            target = RSVP(event=locked, person=person, source="transfer")
        before = {} if created else snapshot(target, TRACKED)
        target.status = RSVP.Status.ACCEPTED
        target.party_size = record.party_size
        target.waitlist_position = None
        target.checkin_code = target.checkin_code or _new_checkin_code()
        token = _issue_manage_token(target)
        target.save()
        old = snapshot(record, TRACKED)
        record.status = RSVP.Status.CANCELLED
        record.save(update_fields=["status", "modified_at"])
        log_action(
            "rsvp.updated",
            obj=record,
            changes=diff(old, snapshot(record, TRACKED)),
            data={"transferred_to": target.uuid.hex},
            actor=by,
        )
        log_action(
            "rsvp.created" if created else "rsvp.updated",
            obj=target,
            changes=diff(before, snapshot(target, TRACKED)),
            data={"source": "transfer", "transferred_from": record.uuid.hex},
            actor=by,
        )
        transaction.on_commit(lambda: confirmation_mail(target, token, email))
    return target, token


def promote_waitlist(*, event: Event, by: Any = None) -> list[RSVP]:
    """Give free seats to the waitlist strictly in order (call with the event locked).

    A party is promoted only when all its seats are free; the next entries wait
    behind it, so nobody is overtaken by a later, smaller party.
    """
    promoted: list[RSVP] = []
    if event.capacity is None:
        waiting = list(_waiting(event))
    else:
        waiting = list(_waiting(event)[: max(0, event.capacity - event.seats_taken)])
    for record in waiting:
        if not _fits(event, record.party_size):
            break
        event.seats_taken += record.party_size
        record.status = RSVP.Status.ACCEPTED
        record.save(update_fields=["status", "modified_at"])
        log_action(
            "rsvp.updated",
            obj=record,
            changes={"status": ["waitlisted", "accepted"]},
            data={"promoted_from_position": record.waitlist_position},
            actor=by,
        )
        promoted.append(record)
    if promoted:
        event.save(update_fields=["seats_taken", "modified_at"])
        for record in promoted:
            transaction.on_commit(partial(promoted_mail, record))
    return promoted


def _waiting(event: Event) -> Any:
    return (
        RSVP.objects.select_for_update()
        .filter(event=event, status=RSVP.Status.WAITLISTED)
        .select_related("person", "event")
        .order_by("waitlist_position")
    )


def rsvp_for_manage_token(token: str) -> RSVP | None:
    if not token:
        return None
    return (
        RSVP.objects.select_related("event", "person")
        .filter(manage_token_hash=RSVP.hash_token(token))
        .first()
    )
