"""Dashboard forms for API keys and webhooks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from actlocal.api.models import Webhook
from actlocal.network.models import Organization
from actlocal.network.rules import administered_organization_ids


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the key is for, e.g. “nightly CRM sync”."),
    )
    read_only = forms.BooleanField(label=_("Read-only"), required=False)
    organization = forms.ModelChoiceField(
        label=_("Limit to organization"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Leave empty for your whole scope."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        if user.is_staff:
            field.queryset = Organization.objects.filter(merged_into__isnull=True)
        else:
            field.queryset = Organization.objects.filter(pk__in=administered_organization_ids(user))
            field.required = True
            field.help_text = _("Partner keys see the people and events of one organization.")


class WebhookForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("We POST JSON signed with HMAC-SHA256 (header X-ActLocal-Signature)."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Send these events"),
        choices=Webhook.EventType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
