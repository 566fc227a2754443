from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from actlocal.events.models import Event
from actlocal.network.models import Organization


def home(request: HttpRequest) -> HttpResponse:
    """Find an event near you, and the network at a glance (public counts only)."""
    now = timezone.now()
    public_upcoming = Event.objects.filter(
        visibility=Event.Visibility.PUBLIC, status=Event.Status.PUBLISHED, ends_at__gte=now
    )
    stats = Organization.objects.filter(merged_into__isnull=True).aggregate(
        organizations=Count("id"),
        states=Count("state", distinct=True, filter=~Q(state="")),
    )
    return render(
        request,
        "web/home.html",
        {
            "upcoming_count": public_upcoming.count(),
            "next_events": public_upcoming.select_related("campaign").order_by("starts_at")[:6],
            "stats": stats,
        },
    )
