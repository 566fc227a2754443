from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from actlocal.common.models import OutboundEmail
from actlocal.events.models import RSVP
from actlocal.events.tasks import queue_due_reminders
from tests.factories.events import EventFactory, RSVPFactory

pytestmark = pytest.mark.django_db


def _event_starting_in(hours: float):
    start = timezone.now() + dt.timedelta(hours=hours)
    return EventFactory(starts_at=start, ends_at=start + dt.timedelta(hours=2))


def test_reminder_a_day_before_is_sent_once_even_when_run_again():
    event = _event_starting_in(20)
    RSVPFactory(event=event)
    RSVPFactory(event=event, status=RSVP.Status.WAITLISTED, waitlist_position=1)
    assert queue_due_reminders() == 1
    assert queue_due_reminders() == 0
    call_command("send_event_reminders")
    (mail,) = OutboundEmail.objects.filter(template="reminder_event")
    assert "is tomorrow" in mail.subject


def test_hour_before_reminder_follows_the_day_before_one():
    event = _event_starting_in(20)
    RSVPFactory(event=event)
    queue_due_reminders()
    later = timezone.now() + dt.timedelta(hours=19, minutes=30)
    assert queue_due_reminders(now=later) == 1
    assert queue_due_reminders(now=later) == 0
    subjects = sorted(OutboundEmail.objects.values_list("subject", flat=True))
    assert len(subjects) == 2 and any("starts in an hour" in s for s in subjects)


def test_no_reminders_for_far_or_cancelled_events():
    RSVPFactory(event=_event_starting_in(72))
    cancelled = _event_starting_in(5)
    cancelled.status = "cancelled"
    cancelled.save()
    RSVPFactory(event=cancelled)
    assert queue_due_reminders() == 0
