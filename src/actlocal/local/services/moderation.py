"""Guides review hosted events: approve, reject with a reason, or ask for changes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from actlocal.common.audit import log_action
from actlocal.common.mail import queue_mail
from actlocal.events.models import Event
from actlocal.events.services.links import absolute
from actlocal.local.links import event_link
from actlocal.local.models import ModerationDecision
from actlocal.local.services.errors import LocalActionError

REVIEWABLE = {Event.Status.PENDING, Event.Status.CHANGES_REQUESTED}


def _decide(
    *, event: Event, by: Any, decision: str, status: str, note: str, template: str
) -> ModerationDecision:
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.status not in REVIEWABLE:
            raise LocalActionError(
                _("This event is not waiting for review (it is %(status)s).")
                % {"status": locked.get_status_display()}
            )
        before = locked.status
        locked.status = status
        locked.moderation_note = note
        locked.save(update_fields=["status", "moderation_note", "modified_at"])
        record = ModerationDecision.objects.create(
            event=locked, decision=decision, note=note, decided_by=by
        )
        log_action(
            f"event.{decision}",
            obj=locked,
            changes={"status": [before, status]},
            data={"note": note},
            actor=by,
        )
        hosting = getattr(locked, "hosting", None)
        to = hosting.host_email if hosting is not None else locked.contact_email
        if to:
            queue_mail(
                to=to,
                template=template,
                context={
                    "event": locked,
                    "note": note,
                    "link": event_link(locked.slug),
                    "edit_link": absolute(reverse("web:host-edit", args=[locked.pk])),
                },
            )
    event.refresh_from_db()
    return record


def approve_event(*, event: Event, by: Any, note: str = "") -> ModerationDecision:
    """Publish a hosted event; the host is told by email."""
    return _decide(
        event=event,
        by=by,
        decision=ModerationDecision.Decision.APPROVED,
        status=Event.Status.PUBLISHED,
        note=note.strip(),
        template="moderation_approved",
    )


def reject_event(*, event: Event, by: Any, reason: str) -> ModerationDecision:
    """Refuse a hosted event; the reason is required and emailed to the host."""
    if not reason.strip():
        raise LocalActionError(_("Give the host a reason for the rejection."), field="note")
    return _decide(
        event=event,
        by=by,
        decision=ModerationDecision.Decision.REJECTED,
        status=Event.Status.REJECTED,
        note=reason.strip(),
        template="moderation_rejected",
    )


def request_changes(*, event: Event, by: Any, note: str) -> ModerationDecision:
    """Send the event back to its host with what to change."""
    if not note.strip():
        raise LocalActionError(_("Tell the host what to change."), field="note")
    return _decide(
        event=event,
        by=by,
        decision=ModerationDecision.Decision.CHANGES_REQUESTED,
        status=Event.Status.CHANGES_REQUESTED,
        note=note.strip(),
        template="moderation_changes",
    )
