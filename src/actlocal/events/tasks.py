"""Background work of convenings: thin, take ids, reload, safe to run twice."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from actlocal.common.mail import queue_mail
from actlocal.events.models import RSVP, Event, Invitation
from actlocal.events.services import links

# Hours before the start at which confirmed attendees get a reminder.
REMINDER_HOURS = (24, 1)


@task()
def send_invitations(invitation_ids: list[int]) -> int:
    from actlocal.events.services.errors import InvitationError
    from actlocal.events.services.invitations import send_invitation

    sent = 0
    for invitation in Invitation.objects.filter(
        pk__in=invitation_ids, status=Invitation.Status.PENDING
    ):
        try:
            send_invitation(invitation=invitation)
            sent += 1
        except InvitationError:
            continue
    return sent


def queue_due_reminders(*, now: dt.datetime | None = None) -> int:
    """Queue the reminders that are due; the dedupe key makes each one go out once."""
    now = now or timezone.now()
    queued = 0
    for hours in REMINDER_HOURS:
        window_end = now + dt.timedelta(hours=hours)
        events = Event.objects.filter(
            status=Event.Status.PUBLISHED, starts_at__gt=now, starts_at__lte=window_end
        )
        for record in (
            RSVP.objects.filter(event__in=events, status=RSVP.Status.ACCEPTED)
            .select_related("event", "person")
            .prefetch_related("person__email_addresses")
        ):
            address = record.person.primary_email
            if not address:
                continue
            # The shorter window also falls inside the longer one: send only the nearest.
            if hours != min(
                h for h in REMINDER_HOURS if record.event.starts_at <= now + dt.timedelta(hours=h)
            ):
                continue
            email = queue_mail(
                to=address,
                template="reminder_event",
                context={
                    "event": record.event,
                    "rsvp": record,
                    "person": record.person,
                    "soon": hours <= 1,
                    "event_url": links.event_url(record.event.slug),
                },
                dedupe_key=f"reminder:{record.pk}:{hours}h",
            )
            queued += email is not None
    return queued


@task()
def send_reminders() -> int:
    return queue_due_reminders()
