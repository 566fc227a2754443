"""The agenda: sessions with rooms, tracks and facilitators; conflict warnings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from actlocal.common.audit import diff, log_action, snapshot
from actlocal.events.models import RSVP, Event, Facilitator, Room, Session, SessionChoice, Track
from actlocal.events.models.event import ConflictRule
from actlocal.events.services.errors import AgendaError
from actlocal.people.models import Person


def save_session(
    *,
    event: Event,
    by: Any,
    session: Session | None = None,
    track_name: str = "",
    room_name: str = "",
    facilitators: list[Person] | None = None,
    **fields: Any,
) -> Session:
    """Create or update a session; rooms and tracks are made by name as needed."""
    with transaction.atomic():
        created = session is None
        session = session or Session(event=event)
        for name, value in fields.items():
            setattr(session, name, value)
        if session.ends_at <= session.starts_at:
            raise AgendaError(_("The session must end after it starts."))
        session.track = (
            Track.objects.get_or_create(event=event, name=track_name.strip())[0]
            if track_name.strip()
            else None
        )
        session.room = (
            Room.objects.get_or_create(event=event, name=room_name.strip())[0]
            if room_name.strip()
            else None
        )
        session.save()
        if facilitators is not None:
            session.facilitators.all().delete()
            Facilitator.objects.bulk_create(
                [Facilitator(session=session, person=p) for p in facilitators]
            )
        _refuse_blocked(event, session)  # rolls the whole save back
        log_action(
            "session.created" if created else "session.updated",
            obj=session,
            changes=snapshot(session, ["title", "starts_at", "ends_at", "room_id", "capacity"]),
            actor=by,
        )
    return session


def delete_session(*, session: Session, by: Any) -> None:
    with transaction.atomic():
        log_action("session.deleted", obj=session, data={"title": session.title}, actor=by)
        session.delete()


@dataclass(frozen=True)
class Conflict:
    rule: str  # "room" or "facilitator"
    message: str
    sessions: tuple[int, int]


def _rule(event: Event, kind: str) -> str:
    return str(event.room_conflicts if kind == "room" else event.facilitator_conflicts)


def find_conflicts(*, event: Event) -> list[Conflict]:
    """Overlapping sessions that share a room or a facilitator, whatever the rules say."""
    sessions = list(
        Session.objects.filter(event=event)
        .select_related("room")
        .prefetch_related("facilitators__person", "facilitators__organization")
        .order_by("starts_at", "id")
    )
    found: list[Conflict] = []
    for i, a in enumerate(sessions):
        for b in sessions[i + 1 :]:
            if b.starts_at >= a.ends_at:
                break
            if a.room_id and a.room_id == b.room_id:
                found.append(
                    Conflict(
                        "room",
                        _("Room %(room)s: “%(a)s” and “%(b)s” overlap.")
                        % {"room": a.room, "a": a.title, "b": b.title},
                        (a.pk, b.pk),
                    )
                )
            people_a = {(f.person_id, f.organization_id) for f in a.facilitators.all()}
            for f in b.facilitators.all():
                if (f.person_id, f.organization_id) in people_a:
                    found.append(
                        Conflict(
                            "facilitator",
                            _("%(who)s facilitates both “%(a)s” and “%(b)s” at the same time.")
                            % {"who": f, "a": a.title, "b": b.title},
                            (a.pk, b.pk),
                        )
                    )
    return found


def conflicts(*, event: Event) -> list[str]:
    """Warnings for the agenda page: every conflict whose rule is not "ignore"."""
    return [
        c.message
        for c in find_conflicts(event=event)
        if _rule(event, c.rule) != ConflictRule.IGNORE
    ]


def _refuse_blocked(event: Event, session: Session) -> None:
    blocked = [
        c.message
        for c in find_conflicts(event=event)
        if session.pk in c.sessions and _rule(event, c.rule) == ConflictRule.BLOCK
    ]
    if blocked:
        raise AgendaError(
            _("Not saved: %(conflicts)s This event's rules refuse such conflicts.")
            % {"conflicts": " ".join(blocked)}
        )


def set_conflict_rules(*, event: Event, room: str, facilitator: str, by: Any) -> Event:
    valid = set(ConflictRule.values)
    if room not in valid or facilitator not in valid:
        raise AgendaError(_("Choose block, warn or ignore for each rule."))
    with transaction.atomic():
        before = snapshot(event, ["room_conflicts", "facilitator_conflicts"])
        event.room_conflicts, event.facilitator_conflicts = room, facilitator
        event.save(update_fields=["room_conflicts", "facilitator_conflicts", "modified_at"])
        changes = diff(before, snapshot(event, ["room_conflicts", "facilitator_conflicts"]))
        if changes:
            log_action("event.updated", obj=event, changes=changes, actor=by)
    return event


def choose_sessions(*, rsvp: RSVP, sessions: list[Session], by: Any = None) -> list[Session]:
    """An attendee's picks; sessions with a capacity refuse once full."""
    if not rsvp.is_confirmed:
        raise AgendaError(_("Only confirmed attendees can pick sessions."))
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=rsvp.event_id)  # serialize picks per event
        ids = [s.pk for s in sessions if s.event_id == rsvp.event_id]
        SessionChoice.objects.filter(rsvp=rsvp).exclude(session_id__in=ids).delete()
        taken = dict(
            Session.objects.filter(pk__in=ids).annotate(n=Count("choices")).values_list("pk", "n")
        )
        mine = set(SessionChoice.objects.filter(rsvp=rsvp).values_list("session_id", flat=True))
        for session in sessions:
            if session.pk in mine:
                continue
            if session.capacity is not None and taken.get(session.pk, 0) >= session.capacity:
                raise AgendaError(_("“%(title)s” is full.") % {"title": session.title})
            SessionChoice.objects.create(session=session, rsvp=rsvp)
        log_action("rsvp.sessions_chosen", obj=rsvp, data={"sessions": ids}, actor=by)
    return sessions
