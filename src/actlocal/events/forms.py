"""Forms at the boundary: turn input into typed values or a clear, field-named error."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from actlocal.events.models import RSVP, Event, EventHost, Session
from actlocal.events.models.event import ConflictRule


def party_size_field(event: Event) -> forms.IntegerField:
    """Seats for the attendee and the guests the event allows (hidden when none)."""
    most = 1 + event.max_guests
    field = forms.IntegerField(
        label=_("Seats (you and guests)"), min_value=1, max_value=most, initial=1
    )
    if most == 1:
        field.widget = forms.HiddenInput()
    return field


class NeedsForm(forms.Form):
    need_accessibility = forms.CharField(
        label=_("Accessibility needs"), required=False, max_length=500
    )
    need_dietary = forms.CharField(label=_("Dietary needs"), required=False, max_length=500)
    need_childcare = forms.BooleanField(label=_("I need childcare"), required=False)
    need_interpretation = forms.CharField(
        label=_("Interpretation into (language)"), required=False, max_length=100
    )
    need_other = forms.CharField(
        label=_("Anything else we should know"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    share_attendance = forms.BooleanField(
        label=_("Show my attendance to other attendees"), required=False
    )

    def needs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "accessibility": data["need_accessibility"],
            "dietary": data["need_dietary"],
            "childcare": data["need_childcare"],
            "interpretation": data["need_interpretation"],
            "other": data["need_other"],
        }


class RSVPForm(NeedsForm):
    given_name = forms.CharField(label=_("First name"), max_length=150)
    family_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email address"))
    postal_code = forms.CharField(label=_("ZIP code"), max_length=10, required=False)
    party_size = forms.IntegerField(label=_("Seats (you and guests)"), min_value=1, initial=1)

    field_order = ["given_name", "family_name", "email", "postal_code", "party_size"]

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party_size"] = party_size_field(event)


class AnswerForm(NeedsForm):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("Yes, I will come")), ("decline", _("No, I can't come"))],
        widget=forms.RadioSelect,
    )
    party_size = forms.IntegerField(label=_("Seats (you and guests)"), min_value=1, initial=1)

    field_order = ["answer", "party_size"]

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party_size"] = party_size_field(event)
        self.order_fields(self.field_order)


class PartySizeForm(forms.Form):
    party_size = forms.IntegerField(label=_("Seats (you and guests)"), min_value=1)


class TransferForm(forms.Form):
    """Give my seat to someone else: they get their own confirmation and link."""

    given_name = forms.CharField(label=_("Their first name"), max_length=100)
    family_name = forms.CharField(label=_("Their last name"), max_length=100, required=False)
    email = forms.EmailField(label=_("Their email"))


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title",
            "event_type",
            "visibility",
            "status",
            "summary",
            "description",
            "venue",
            "address_line",
            "address_is_private",
            "city",
            "state",
            "zip_code",
            "starts_at",
            "ends_at",
            "timezone",
            "capacity",
            "max_guests",
            "accessibility_status",
            "accessibility_notes",
            "contact_name",
            "contact_email",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 2}),
        }


class SessionForm(forms.ModelForm):
    track_name = forms.CharField(label=_("Track"), required=False, max_length=120)
    room_name = forms.CharField(label=_("Room"), required=False, max_length=120)
    facilitator_emails = forms.CharField(
        label=_("Facilitators (emails, one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    topics_text = forms.CharField(
        label=_("Topics (comma separated)"), required=False, max_length=500
    )

    class Meta:
        model = Session
        fields = ["title", "format", "starts_at", "ends_at", "capacity", "description"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The session must end after it starts."))
        return data

    def emails(self) -> list[str]:
        raw = self.cleaned_data.get("facilitator_emails") or ""
        return [
            line.strip().lower() for line in raw.replace(",", "\n").splitlines() if line.strip()
        ]

    def topics(self) -> list[str]:
        raw = self.cleaned_data.get("topics_text") or ""
        return [t.strip() for t in raw.split(",") if t.strip()]


class HostForm(forms.Form):
    email = forms.EmailField(label=_("Email of the host's account"))
    role = forms.ChoiceField(label=_("Role"), choices=EventHost.Role.choices)


class InviteByEmailForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses (one per line: email, first name, last name)"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    send_now = forms.BooleanField(label=_("Send the invitations now"), required=False, initial=True)


class InviteFromMapForm(forms.Form):
    kind = forms.CharField(label=_("Organization kind"), required=False)
    issue_area = forms.CharField(label=_("Issue area"), required=False)
    organization = forms.CharField(label=_("Organization (name contains)"), required=False)
    send_now = forms.BooleanField(label=_("Send the invitations now"), required=False, initial=True)


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("QR code value or check-in code"), max_length=80)
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)


class WalkInForm(forms.Form):
    given_name = forms.CharField(label=_("First name"), max_length=150)
    family_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email address"), required=False)
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)


class RSVPStatusFilter(forms.Form):
    status = forms.ChoiceField(choices=[("", _("all")), *RSVP.Status.choices], required=False)


class NominationForm(forms.Form):
    email = forms.EmailField(label=_("Leader's email address"))
    given_name = forms.CharField(label=_("First name"), max_length=150)
    family_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    state = forms.CharField(
        label=_("State (two letters)"),
        min_length=2,
        max_length=2,
        help_text=_("The leader's state, for example IL."),
    )
    reason = forms.CharField(
        label=_("Why this leader?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def clean_state(self) -> str:
        value = str(self.cleaned_data["state"]).strip().upper()
        if not value.isalpha():
            raise forms.ValidationError(_("Use the two-letter state code, for example IL."))
        return value


class ConflictRulesForm(forms.Form):
    room_conflicts = forms.ChoiceField(
        label=_("Same room at the same time"), choices=ConflictRule.choices
    )
    facilitator_conflicts = forms.ChoiceField(
        label=_("Same facilitator at the same time"), choices=ConflictRule.choices
    )
