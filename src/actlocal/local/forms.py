"""The boundary of local action: public search, host, join and toolkit forms."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actlocal.common import geo
from actlocal.events.models import Campaign, Event
from actlocal.local.models import Pledge

MAX_DESCRIPTION = 5000
MAX_LINKS = 3
LINK_RE = re.compile(r"(https?://|www\.)", re.IGNORECASE)
HOSTABLE_TYPE_CHOICES = [
    (Event.Type.HUDDLE.value, Event.Type.HUDDLE.label),
    (Event.Type.TOWN_HALL.value, Event.Type.TOWN_HALL.label),
    (Event.Type.MEETING.value, Event.Type.MEETING.label),
]


class SearchForm(forms.Form):
    zip = forms.CharField(label=_("ZIP code"), max_length=10, required=False)
    radius = forms.FloatField(
        label=_("Within (miles)"),
        required=False,
        initial=25,
        min_value=geo.MIN_RADIUS_MILES,
        max_value=geo.MAX_RADIUS_MILES,
        error_messages={
            "min_value": _("The radius must be between 1 and 500 miles."),
            "max_value": _("The radius must be between 1 and 500 miles."),
            "invalid": _("The radius must be a number of miles."),
        },
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.filter(is_public=True),
        required=False,
        to_field_name="slug",
        empty_label=_("All campaigns"),
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *HOSTABLE_TYPE_CHOICES]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    accessible = forms.BooleanField(label=_("Accessible venue only"), required=False)
    virtual = forms.BooleanField(label=_("Virtual events instead"), required=False)

    def clean_zip(self) -> str:
        raw = self.cleaned_data.get("zip", "").strip()
        if raw and geo.zip_place(raw) is None:
            raise forms.ValidationError(
                _("“%(zip)s” is not a US ZIP code we know. Enter five digits, e.g. 20009."),
                params={"zip": raw},
            )
        return geo.normalize_zip(raw) or "" if raw else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("“Until” must be on or after “From”."))
        return data


class HoneypotMixin(forms.Form):
    # Hidden from people (CSS + aria-hidden); bots fill every field.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def honeypot_filled(self) -> bool:
        return bool(self.data.get("website"))


def _no_control_chars(value: str) -> str:
    return "".join(ch for ch in value if ch in "\n\t" or ch >= " ")


class HostEventForm(HoneypotMixin):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.none(), to_field_name="slug"
    )
    host_name = forms.CharField(label=_("Your name"), max_length=150)
    host_email = forms.EmailField(label=_("Your email"))
    host_phone = forms.CharField(label=_("Phone (optional)"), max_length=40, required=False)
    title = forms.CharField(label=_("Event title"), max_length=200)
    event_type = forms.ChoiceField(label=_("Kind of event"), choices=HOSTABLE_TYPE_CHOICES)
    summary = forms.CharField(label=_("One-line summary"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_DESCRIPTION,
        help_text=_("Up to 5,000 characters and 3 links."),
    )
    starts_at = forms.DateTimeField(
        label=_("Starts (local time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=15, max_value=24 * 60, initial=90
    )
    venue = forms.CharField(label=_("Venue or place"), max_length=200)
    address_line = forms.CharField(label=_("Street address"), max_length=255, required=False)
    address_is_private = forms.BooleanField(
        label=_("This is a private home: show only the neighborhood and ZIP publicly"),
        required=False,
    )
    city = forms.CharField(label=_("City"), max_length=120)
    state = forms.ChoiceField(
        label=_("State"), choices=[("", "—"), *sorted(geo.US_STATES.items(), key=lambda s: s[1])]
    )
    zip_code = forms.CharField(label=_("ZIP code"), max_length=10)
    capacity = forms.IntegerField(
        label=_("How many people can come? (optional)"),
        min_value=1,
        max_value=100000,
        required=False,
    )
    accessibility_status = forms.ChoiceField(
        label=_("Is the venue accessible?"), choices=Event.Accessibility.choices
    )
    accessibility_notes = forms.CharField(
        label=_("Accessibility notes"), max_length=1000, required=False
    )

    def __init__(self, *args: Any, campaign: Campaign | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from actlocal.local.selectors import open_campaigns

        field = self.fields["campaign"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = open_campaigns()
        if campaign is not None:
            field.initial = campaign.slug
            field.widget = forms.HiddenInput()

    def clean_description(self) -> str:
        text = _no_control_chars(self.cleaned_data["description"])
        if len(LINK_RE.findall(text)) > MAX_LINKS:
            raise forms.ValidationError(
                _("Please include at most %(n)s links in the description."), params={"n": MAX_LINKS}
            )
        return text

    def clean_zip_code(self) -> str:
        place = geo.zip_place(self.cleaned_data["zip_code"])
        if place is None:
            raise forms.ValidationError(
                _("“%(zip)s” is not a US ZIP code we know."),
                params={"zip": self.cleaned_data["zip_code"]},
            )
        return place.zip_code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("title", "summary", "venue", "address_line", "city", "host_name"):
            if isinstance(data.get(name), str):
                data[name] = _no_control_chars(data[name]).strip()
        starts = data.get("starts_at")
        zip_code = data.get("zip_code")
        if starts is not None and zip_code:
            place = geo.zip_place(zip_code)
            tz = ZoneInfo(place.timezone) if place and place.timezone else ZoneInfo("UTC")
            naive = timezone.make_naive(starts) if timezone.is_aware(starts) else starts
            starts = naive.replace(tzinfo=tz)
            data["starts_at"] = starts
            if starts <= timezone.now():
                self.add_error("starts_at", _("The start must be in the future."))
        if starts is not None and data.get("duration_minutes"):
            data["ends_at"] = starts + dt.timedelta(minutes=data["duration_minutes"])
        if data.get("zip_code") and data.get("state"):
            place = geo.zip_place(data["zip_code"])
            if place and place.state and place.state != data["state"]:
                self.add_error(
                    "zip_code",
                    _("ZIP %(zip)s is in %(state)s, not in the state you chose.")
                    % {"zip": data["zip_code"], "state": place.state},
                )
        return data


class ConfirmHostForm(forms.Form):
    password = forms.CharField(
        label=_("Choose a password"), widget=forms.PasswordInput, min_length=10, required=False
    )


class JoinGroupForm(HoneypotMixin):
    given_name = forms.CharField(label=_("First name"), max_length=150)
    family_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"))
    zip_code = forms.CharField(label=_("ZIP code"), max_length=10, required=False)
    phone = forms.CharField(label=_("Phone (optional)"), max_length=40, required=False)
    consent = forms.BooleanField(
        label=_("The organizers may contact me about the group's work"), required=False
    )

    def clean_zip_code(self) -> str:
        raw = self.cleaned_data.get("zip_code", "")
        if raw and geo.zip_place(raw) is None:
            raise forms.ValidationError(
                _("“%(zip)s” is not a US ZIP code we know."), params={"zip": raw}
            )
        return geo.normalize_zip(raw) or "" if raw else ""


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("approve", _("Approve")),
            ("reject", _("Reject")),
            ("changes", _("Ask for changes")),
        ]
    )
    note = forms.CharField(
        label=_("Note to the host (required to reject or ask for changes)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class GroupMessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}), max_length=10000
    )


class PledgeForm(forms.Form):
    rsvp = forms.ChoiceField(label=_("Participant"))
    skills = forms.CharField(label=_("Skills (comma-separated)"), max_length=500, required=False)
    time_commitment = forms.ChoiceField(
        label=_("Time they can give"), choices=[("", "—"), *Pledge.Time.choices], required=False
    )
    actions = forms.CharField(
        label=_("Actions they will take (comma-separated)"), max_length=500, required=False
    )
    note = forms.CharField(
        label=_("In their words"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: Any, participants: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["rsvp"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = participants

    @staticmethod
    def split(value: str) -> list[str]:
        return [part.strip() for part in value.split(",") if part.strip()]


class HostEditForm(HostEventForm):
    """The host's own edit form: the event fields only."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("campaign", "host_name", "host_email", "host_phone", "website"):
            del self.fields[name]

    def honeypot_filled(self) -> bool:
        return False
