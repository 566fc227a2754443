"""Public pages of a campaign: its page with its public events, and its logo."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from actlocal.events.models import Campaign, Event
from actlocal.events.uploads import IMAGE_KINDS


def campaign_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Listed campaigns only; staff may preview an unlisted or archived one."""
    campaign = get_object_or_404(Campaign, slug=slug)
    listed = campaign.is_public and campaign.archived_at is None
    if not listed and not request.user.has_perm("events.change_campaign"):
        raise Http404
    events = Event.objects.filter(
        campaign=campaign,
        visibility=Event.Visibility.PUBLIC,
        status=Event.Status.PUBLISHED,
        ends_at__gte=timezone.now(),
    ).order_by("starts_at", "id")
    return render(
        request,
        "web/campaign.html",
        {"campaign": campaign, "events": events[:200], "listed": listed},
    )


def campaign_logo(request: HttpRequest, uuid: str) -> FileResponse:
    """The logo by the campaign's UUID (which does not reveal unlisted campaigns' names)."""
    campaign = get_object_or_404(Campaign, uuid=uuid)
    if not campaign.logo:
        raise Http404
    extension = campaign.logo.name.rsplit(".", 1)[-1]
    kind = next((k for k in IMAGE_KINDS if k.extension == extension), None)
    if kind is None:
        raise Http404
    try:
        handle = campaign.logo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=kind.content_type)
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
