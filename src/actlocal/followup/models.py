"""Follow-up surveys: what local leaders need after a convening (or a whole campaign)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actlocal.common.models import UUIDModel


class Survey(UUIDModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    event = models.ForeignKey(
        "events.Event",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="surveys",
        verbose_name=_("event"),
    )
    campaign = models.ForeignKey(
        "events.Campaign",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="surveys",
        verbose_name=_("campaign"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closes_on = models.DateField(
        _("answers accepted until"),
        null=True,
        blank=True,
        help_text=_("Optional. The last day people can answer or change their answers."),
    )
    # Sending runs in the background: asked for at, finished at.
    send_requested_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(event__isnull=False) & models.Q(campaign__isnull=True))
                | (models.Q(event__isnull=True) & models.Q(campaign__isnull=False)),
                name="followup_survey_event_or_campaign",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_past_closing_day(self) -> bool:
        return self.closes_on is not None and timezone.localdate() > self.closes_on

    @property
    def accepts_answers(self) -> bool:
        """Open, and its last day (if it has one) not over in the network's time zone."""
        return self.is_open and not self.is_past_closing_day

    @property
    def is_sending(self) -> bool:
        return self.send_requested_at is not None and (
            self.sent_at is None or self.sent_at < self.send_requested_at
        )

    @property
    def subject(self) -> str:
        return str(self.event or self.campaign)


class Question(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("free text")
        SINGLE = "single", _("one choice")
        MULTIPLE = "multiple", _("several choices")
        SCALE = "scale", _("scale 1–5")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    prompt = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("answer required"), default=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.prompt


class Recipient(models.Model):
    """A person asked to answer; the link they got carries a token stored only as a hash."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "person"], name="followup_recipient_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.survey}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class Response(models.Model):
    """One person's answers to one survey; editable while the survey is open."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    recipient = models.OneToOneField(Recipient, on_delete=models.CASCADE, related_name="response")
    # {question id (str): text | choice | [choices] | 1..5}
    answers = models.JSONField(default=dict)
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.recipient}"
