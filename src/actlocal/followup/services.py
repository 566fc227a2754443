"""Named actions of follow-up surveys: create, add questions, send, answer, close."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from actlocal.common.audit import diff, log_action, snapshot
from actlocal.common.mail import queue_mail
from actlocal.common.tasks import enqueue_on_commit
from actlocal.events.models import RSVP, Campaign, Event
from actlocal.events.services import links
from actlocal.followup.models import Question, Recipient, Response, Survey


class SurveyError(Exception):
    """A business rule refused the action; ``message`` is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# The questions every survey of local leaders starts with (DESIGN: "Learning").
# Stored in English; the answer page shows them translated (gettext_noop marks them).
NEEDS_CHOICES = [
    gettext_noop("Training"),
    gettext_noop("Funding"),
    gettext_noop("Volunteers"),
    gettext_noop("Data and tools"),
    gettext_noop("Coalition partners"),
]
DEFAULT_QUESTIONS: list[dict[str, Any]] = [
    {
        "kind": Question.Kind.MULTIPLE,
        "prompt": gettext_noop("What do you need most to organize locally?"),
        "choices": NEEDS_CHOICES,
        "required": True,
    },
    {
        "kind": Question.Kind.SINGLE,
        "prompt": gettext_noop("Which one need comes first?"),
        "choices": NEEDS_CHOICES,
    },
    {
        "kind": Question.Kind.SCALE,
        "prompt": gettext_noop(
            "How useful was the convening for your work? (1 = not at all, 5 = very)"
        ),
    },
    {
        "kind": Question.Kind.TEXT,
        "prompt": gettext_noop("What would help your group most in the next three months?"),
    },
]
ANSWERING_STATUSES = (RSVP.Status.ACCEPTED, RSVP.Status.ATTENDED)
SEND_BATCH = 200


def create_survey(
    *,
    title: str,
    by: Any,
    event: Event | None = None,
    campaign: Campaign | None = None,
    intro: str = "",
    default_questions: bool = True,
    closes_on: dt.date | None = None,
) -> Survey:
    if (event is None) == (campaign is None):
        raise ValueError("a survey is for one event or one campaign")
    with transaction.atomic():
        survey = Survey.objects.create(
            title=title,
            intro=intro,
            event=event,
            campaign=campaign,
            closes_on=closes_on,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        if default_questions:
            Question.objects.bulk_create(
                Question(survey=survey, position=i, **spec)
                for i, spec in enumerate(DEFAULT_QUESTIONS, start=1)
            )
        log_action("survey.created", obj=survey, changes=snapshot(survey), actor=by)
    return survey


def add_question(
    *, survey: Survey, by: Any, kind: str, prompt: str, choices: list[str], required: bool = False
) -> Question:
    if survey.status != Survey.Status.DRAFT:
        raise SurveyError(_("Questions can only be added before the survey is sent."))
    if kind in {Question.Kind.SINGLE, Question.Kind.MULTIPLE} and len(choices) < 2:
        raise SurveyError(_("A choice question needs at least two choices, one per line."))
    with transaction.atomic():
        last = survey.questions.order_by("-position").values_list("position", flat=True).first()
        question = Question.objects.create(
            survey=survey,
            position=(last or 0) + 1,
            kind=kind,
            prompt=prompt,
            choices=choices if kind in {Question.Kind.SINGLE, Question.Kind.MULTIPLE} else [],
            required=required,
        )
        log_action(
            "survey.question_added", obj=survey, data={"prompt": prompt, "kind": kind}, actor=by
        )
    return question


def survey_url(token: str) -> str:
    return links.absolute(reverse("web:survey", args=[token]))


def _answering_rsvps(survey: Survey):  # type: ignore[no-untyped-def]
    rsvps = RSVP.objects.filter(status__in=ANSWERING_STATUSES)
    if survey.event_id:
        return rsvps.filter(event_id=survey.event_id)
    return rsvps.filter(event__campaign=survey.campaign)


def eligible_count(*, survey: Survey) -> int:
    """How many people the survey goes to (one link per person, even with several RSVPs)."""
    return int(_answering_rsvps(survey).values("person_id").distinct().count())


def _check_sendable(survey: Survey) -> None:
    if survey.status == Survey.Status.CLOSED:
        raise SurveyError(_("This survey is closed."))
    if not survey.questions.exists():
        raise SurveyError(_("Add at least one question before sending."))


def request_sending(*, survey: Survey, by: Any) -> Survey:
    """Open the survey and send the links in the background (a campaign can mean thousands)."""
    _check_sendable(survey)
    from actlocal.followup.tasks import send_survey_links

    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        locked.status = Survey.Status.OPEN
        locked.send_requested_at = timezone.now()
        locked.save(update_fields=["status", "send_requested_at", "modified_at"])
        log_action("survey.send_requested", obj=locked, actor=by)
        user_id = by.pk if getattr(by, "is_authenticated", False) else None
        enqueue_on_commit(send_survey_links, survey_id=locked.pk, user_id=user_id)
    return locked


def _send_batch(*, survey_id: int, pairs: list[tuple[int, int]]) -> int:
    """One transaction per batch, so a big send never holds the database for long."""
    sent = 0
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey_id)
        if survey.status == Survey.Status.CLOSED:
            return 0
        asked = set(
            survey.recipients.filter(person_id__in=[p for _r, p in pairs]).values_list(
                "person_id", flat=True
            )
        )
        rsvps = (
            RSVP.objects.filter(pk__in=[r for r, _p in pairs])
            .select_related("person", "event")
            .prefetch_related("person__email_addresses")
            .order_by("id")
        )
        for rsvp in rsvps:
            person = rsvp.person
            address = person.primary_email
            if person.pk in asked or not address:
                continue
            asked.add(person.pk)
            token = secrets.token_urlsafe(32)
            Recipient.objects.create(
                survey=survey,
                person=person,
                event=rsvp.event,
                token_hash=Recipient.hash_token(token),
            )
            queue_mail(
                to=address,
                template="survey_invitation",
                context={
                    "survey": survey,
                    "person": person,
                    "event": rsvp.event,
                    "survey_url": survey_url(token),
                },
                dedupe_key=f"survey:{survey.pk}:{person.pk}",
            )
            sent += 1
    return sent


def send_survey(*, survey: Survey, by: Any) -> int:
    """Email a personal link to every attendee (accepted or attended) not yet asked.

    Safe to repeat: people who already got a link are skipped. Works in batches of
    ``SEND_BATCH`` people, each in its own transaction. Returns how many were sent.
    """
    _check_sendable(survey)
    if survey.status == Survey.Status.DRAFT:
        with transaction.atomic():
            Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    asked = set(survey.recipients.values_list("person_id", flat=True))
    pairs, seen = [], set(asked)
    for rsvp_id, person_id in (
        _answering_rsvps(survey).order_by("id").values_list("id", "person_id")
    ):
        if person_id not in seen:
            seen.add(person_id)
            pairs.append((rsvp_id, person_id))
    sent = 0
    for start in range(0, len(pairs), SEND_BATCH):
        sent += _send_batch(survey_id=survey.pk, pairs=pairs[start : start + SEND_BATCH])
    with transaction.atomic():
        Survey.objects.filter(pk=survey.pk).update(sent_at=timezone.now())
        log_action("survey.sent", obj=survey, data={"recipients": sent}, actor=by)
    survey.refresh_from_db()
    return sent


def close_survey(*, survey: Survey, by: Any) -> Survey:
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        before = snapshot(locked, ["status"])
        locked.status = Survey.Status.CLOSED
        locked.save(update_fields=["status", "modified_at"])
        log_action(
            "survey.closed",
            obj=locked,
            changes=diff(before, snapshot(locked, ["status"])),
            actor=by,
        )
    return locked


def recipient_for_token(token: str) -> Recipient | None:
    return (
        Recipient.objects.select_related("survey", "person", "event")
        .filter(token_hash=Recipient.hash_token(token))
        .first()
    )


def submit_response(*, recipient: Recipient, answers: dict[str, Any]) -> Response:
    """Store (or replace) the person's answers; refused once the survey is closed."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=recipient.survey_id)
        if not survey.accepts_answers:
            raise SurveyError(_("This survey is closed; answers can no longer be changed."))
        response = Response.objects.filter(recipient=recipient).first()
        if response is None:
            try:
                with transaction.atomic():
                    response = Response.objects.create(
                        survey=survey, recipient=recipient, answers=answers
                    )
            except IntegrityError:  # the same link submitted twice at once
                response = Response.objects.get(recipient=recipient)
            else:
                log_action(
                    "survey_response.created",
                    obj=survey,
                    data={"recipient": recipient.pk},
                    actor=None,
                )
                return response
        response.answers = answers
        response.save(update_fields=["answers", "updated_at"])
        log_action(
            "survey_response.updated", obj=survey, data={"recipient": recipient.pk}, actor=None
        )
    return response
