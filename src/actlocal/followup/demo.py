"""Demo: a follow-up survey of the first ActLocal November convening, with a few answers."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from actlocal.events.models import Campaign, Event
from actlocal.followup import services
from actlocal.followup.models import Recipient, Response, Survey

TITLE = "What do you need after ActLocal November?"
SAMPLE_ANSWERS = [
    (["Training", "Volunteers"], "Training", 5, "A training on running a phone bank."),
    (["Funding"], "Funding", 4, "Small grants for meeting space."),
    (["Data and tools", "Coalition partners"], "Coalition partners", 4, ""),
    (["Training", "Funding", "Volunteers"], "Volunteers", 3, "More people to knock doors."),
]


def load(stdout: Any) -> None:
    campaign = Campaign.objects.filter(slug="actlocal-november").first()
    if campaign is None:
        return
    event = (
        Event.objects.filter(campaign=campaign, rsvps__status__in=services.ANSWERING_STATUSES)
        .order_by("starts_at", "id")
        .first()
    )
    if event is None or Survey.objects.filter(event=event, title=TITLE).exists():
        return
    with transaction.atomic():
        survey = services.create_survey(
            title=TITLE,
            by=None,
            event=event,
            intro="Five minutes: tell us what would help your work most.",
        )
        services.send_survey(survey=survey, by=None)
        questions = list(survey.questions.order_by("position"))
        recipients = Recipient.objects.filter(survey=survey).order_by("id")
        for recipient, sample in zip(recipients, SAMPLE_ANSWERS, strict=False):
            answers = {}
            for question, value in zip(questions, sample, strict=False):
                if value not in ("", None):
                    answers[str(question.pk)] = value
            services.submit_response(recipient=recipient, answers=answers)
    count = Response.objects.filter(survey=survey).count()
    if stdout:
        stdout.write(f"demo: follow-up survey of {event.title} with {count} answers")
