"""Forms of campaign pages: the campaign with its branding and defaults, shared documents."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from actlocal.events import branding, uploads
from actlocal.events.models import Campaign, Event
from actlocal.events.services.campaigns import CAMPAIGN_FIELDS, RESERVED_SLUGS


def _check_upload(upload: UploadedFile, allowed: tuple[uploads.Kind, ...]) -> uploads.Kind:
    try:
        return uploads.identify(
            name=upload.name or "", stream=upload, size=upload.size or 0, allowed=allowed
        )
    except uploads.UploadRefused as exc:
        raise forms.ValidationError(str(exc)) from None


class CampaignForm(forms.ModelForm):
    # A plain text field: clean_slug explains a bad one better than SlugField would.
    slug = forms.CharField(
        label=_("Web address"),
        required=False,
        max_length=200,
        help_text=_("Lower-case letters, digits and hyphens; filled in from the name."),
    )
    logo_file = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP; shown on the campaign's public pages."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    class Meta:
        model = Campaign
        fields = list(CAMPAIGN_FIELDS)
        labels = {
            "is_public": _("Listed publicly"),
            "default_event_type": _("New events: type"),
            "default_visibility": _("New events: visibility"),
            "default_capacity": _("New events: capacity"),
            "default_start_time": _("New events: start time"),
            "default_end_time": _("New events: end time"),
            "default_timezone": _("New events: time zone"),
            "default_description": _("New events: description"),
            "default_accessibility_status": _("New events: accessibility"),
            "default_accessibility_notes": _("New events: accessibility notes"),
            "default_contact_name": _("New events: contact name"),
            "default_contact_email": _("New events: contact email"),
            "template_event": _("New events: copy the agenda of"),
        }
        help_texts = {
            "brand_color": _(
                "#rrggbb. White button text must stay readable: contrast 4.5:1 or more."
            ),
        }
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "default_start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "default_end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "brand_color": forms.TextInput(attrs={"pattern": "#[0-9a-fA-F]{6}", "size": 8}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "host_pitch": forms.Textarea(attrs={"rows": 3}),
            "host_instructions": forms.Textarea(attrs={"rows": 3}),
            "default_description": forms.Textarea(attrs={"rows": 3}),
            "default_accessibility_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        events = Event.objects.none()
        if self.instance.pk:
            events = Event.objects.filter(campaign=self.instance).order_by("starts_at", "id")
        self.fields["template_event"].queryset = events  # type: ignore[attr-defined]
        if not self.instance.pk or not self.instance.logo:
            del self.fields["remove_logo"]

    def clean_slug(self) -> str:
        raw = (self.cleaned_data.get("slug") or "").strip()
        slug = raw or slugify(self.data.get("name", ""))[:200]
        if not slug:
            raise forms.ValidationError(_("Give the campaign a name or a web address."))
        if slugify(slug) != slug:
            raise forms.ValidationError(
                _("Use only lower-case letters, digits and hyphens, e.g. %(example)s.")
                % {"example": slugify(slug) or "actlocal-november"}
            )
        if slug in RESERVED_SLUGS or (
            Campaign.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists()
        ):
            raise forms.ValidationError(
                _("Another campaign already uses the web address “%(slug)s”.") % {"slug": slug}
            )
        return slug

    def validate_unique(self) -> None:
        """Slug uniqueness is checked in clean_slug with a clearer message."""

    def clean_brand_color(self) -> str:
        color = (self.cleaned_data.get("brand_color") or "").strip().lower()
        if not branding.is_hex_color(color):
            raise forms.ValidationError(
                _("Enter the colour as # and six hex digits, e.g. #1d4ed8.")
            )
        ratio = branding.contrast_with_white(color)
        if ratio < branding.MIN_CONTRAST_WITH_WHITE:
            raise forms.ValidationError(
                _(
                    "White text on %(color)s has a contrast of only %(ratio).1f:1; buttons need "
                    "at least 4.5:1 (WCAG AA). Choose a darker colour."
                )
                % {"color": color, "ratio": ratio}
            )
        return color

    def clean_default_timezone(self) -> str:
        value = (self.cleaned_data.get("default_timezone") or "").strip()
        if value:
            try:
                ZoneInfo(value)
            except (ValueError, KeyError):
                raise forms.ValidationError(
                    _("“%(tz)s” is not a known time zone, e.g. America/Chicago.") % {"tz": value}
                ) from None
        return value

    def clean_logo_file(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("logo_file")
        if upload:
            _check_upload(upload, uploads.IMAGE_KINDS)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("starts_on"), data.get("ends_on")
        if first and last and last < first:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        return data

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in CAMPAIGN_FIELDS}


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, DOCX, XLSX, PPTX, PNG, JPEG or TXT."),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        _check_upload(upload, uploads.DOCUMENT_KINDS)
        return upload
