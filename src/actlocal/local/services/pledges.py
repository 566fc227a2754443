"""After a huddle the host records what each participant pledged; pledges tag the person."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from actlocal.common.audit import log_action
from actlocal.events.models import Event
from actlocal.local.models import Pledge
from actlocal.people.models import Person
from actlocal.people.services import tag_person


def _clean(items: Sequence[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        text = " ".join(item.split())[:100]
        if text:
            seen.setdefault(text.lower(), None)
    return list(seen)


def record_pledge(
    *,
    event: Event,
    person: Person,
    skills: Sequence[str] = (),
    time_commitment: str = "",
    actions: Sequence[str] = (),
    note: str = "",
    by: Any = None,
) -> Pledge:
    """Create or update the person's pledge for the event and tag them with it."""
    with transaction.atomic():
        pledge, created = Pledge.objects.update_or_create(
            event=event,
            person=person,
            defaults={
                "skills": _clean(skills),
                "time_commitment": time_commitment,
                "actions": _clean(actions),
                "note": note.strip(),
                "recorded_by": by if getattr(by, "is_authenticated", False) else None,
            },
        )
        tag_person(person=person, tag_names=pledge.tag_names, by=by)
        log_action(
            "pledge.created" if created else "pledge.updated",
            obj=pledge,
            data={
                "event": str(event.uuid),
                "person": str(person.uuid),
                "skills": pledge.skills,
                "actions": pledge.actions,
                "time": time_commitment,
            },
            actor=by,
        )
    return pledge
