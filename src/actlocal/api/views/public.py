"""``/api/public/v1/events``: public events shaped like Mobilize's v1 events API.

No key needed, so only public published events ever appear; dates are Unix seconds.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from actlocal.events.models import Event
from actlocal.events.nearby import NearbySearchError, events_near_page, filtered_events

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100
DEFAULT_MAX_DIST = 500
_TIME = re.compile(r"^(gte|gt|lte|lt)_(now|\d{1,11})$")
# The near-me search names its inputs after the web form; the feed uses Mobilize's names.
PARAM_NAMES = {"zip": "zipcode", "zip_code": "zipcode", "radius": "max_dist"}
ACCESSIBILITY = {"accessible": "ACCESSIBLE", "not_accessible": "NOT_ACCESSIBLE"}


class FeedError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def unix(value: dt.datetime | None) -> int | None:
    return int(value.timestamp()) if value is not None else None


def _time_filter(raw: str, field: str, column: str) -> Q:
    match = _TIME.match(raw.strip())
    if not match:
        raise FeedError(field, _("use gte_, gt_, lte_ or lt_ followed by Unix seconds or 'now'"))
    op, value = match.groups()
    try:
        moment = (
            timezone.now() if value == "now" else dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
        )
    except (OverflowError, ValueError, OSError):
        raise FeedError(field, _("%(v)s is out of range") % {"v": value}) from None
    return Q(**{f"{column}__{op}": moment})


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise FeedError(name, _("must be a whole number")) from None
    if not low <= value <= high:
        raise FeedError(
            name, _("must be between %(low)d and %(high)d") % {"low": low, "high": high}
        )
    return value


def sponsor_json(request: Request, event: Event) -> dict[str, Any]:
    org = event.organization
    if org is None:
        return {
            "id": 0,
            "name": "ActLocal",
            "slug": "actlocal",
            "org_type": "OTHER",
            "event_feed_url": request.build_absolute_uri("/events/"),
            "created_date": None,
            "modified_date": None,
            "logo_url": "",
            "state": "",
            "is_coordinated": False,
            "is_independent": True,
        }
    return {
        "id": org.pk,
        "name": org.name,
        "slug": org.slug,
        "org_type": org.kind.upper(),
        "event_feed_url": request.build_absolute_uri("/events/"),
        "created_date": unix(org.created_at),
        "modified_date": unix(org.modified_at),
        "logo_url": "",
        "state": org.state,
        "is_coordinated": False,
        "is_independent": True,
    }


def feed_event_json(request: Request, event: Event) -> dict[str, Any]:
    private = event.address_is_private
    return {
        "id": event.pk,
        "title": event.title,
        "summary": event.summary,
        "description": event.description,
        "event_type": event.event_type.upper(),
        "sponsor": sponsor_json(request, event),
        "timeslots": [
            {
                "id": event.pk,
                "start_date": unix(event.starts_at),
                "end_date": unix(event.ends_at),
                "is_full": event.is_full,
            }
        ],
        "location": {
            "venue": "" if private else event.venue,
            "address_lines": ["" if private else event.address_line, ""],
            "locality": event.city,
            "region": event.state,
            "country": "US",
            "postal_code": event.zip_code,
            "location": {"latitude": event.latitude, "longitude": event.longitude},
            "congressional_district": None,
            "state_leg_district": None,
            "state_senate_district": None,
        },
        "timezone": event.timezone,
        "browser_url": request.build_absolute_uri(f"/events/{event.slug}/"),
        "visibility": "PUBLIC",
        "address_visibility": "PRIVATE" if private else "PUBLIC",
        "is_virtual": event.is_virtual,
        "accessibility_status": ACCESSIBILITY.get(event.accessibility_status, "NOT_SURE"),
        "accessibility_notes": event.accessibility_notes,
        "event_campaign": (
            {"id": campaign.pk, "slug": campaign.slug, "name": campaign.name}
            if (campaign := event.campaign) is not None
            else None
        ),
        "created_date": unix(event.created_at),
        "modified_date": unix(event.modified_at),
    }


LINK = {"type": ["string", "null"]}
FEED_SCHEMA = {
    "type": "object",
    "properties": {
        "count": {"type": "integer"},
        "next": LINK,
        "previous": LINK,
        "data": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["count", "next", "previous", "data"],
}
FEED_ERROR = {
    "type": "object",
    "properties": {"error": {"type": "object"}},
    "required": ["error"],
}


class PublicEventsView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="public_events",
        parameters=[
            OpenApiParameter("zipcode", str, description="US ZIP code to search around."),
            OpenApiParameter("max_dist", int, description="Miles from the ZIP (1-500)."),
            OpenApiParameter("timeslot_start", str, description="e.g. gte_1700000000, gte_now"),
            OpenApiParameter("timeslot_end", str, description="e.g. lt_now"),
            OpenApiParameter("event_types", str, many=True, description="e.g. HUDDLE"),
            OpenApiParameter("updated_since", int, description="Unix seconds."),
            OpenApiParameter("per_page", int, description="1-100, default 25."),
            OpenApiParameter("page", int, description="From 1."),
        ],
        responses={200: FEED_SCHEMA, 400: OpenApiResponse(FEED_ERROR)},
    )
    def get(self, request: Request) -> Response:
        try:
            return Response(self._page(request))
        except (FeedError, NearbySearchError) as exc:
            field = PARAM_NAMES.get(exc.field, exc.field)
            return Response({"error": {field: [exc.message]}}, status=status.HTTP_400_BAD_REQUEST)

    def _page(self, request: Request) -> dict[str, Any]:
        params = request.query_params
        per_page = _int(request, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
        page = _int(request, "page", 1, 1, 1_000_000)
        narrowing: QuerySet[Event] = Event.objects.all()
        narrowed = False
        upcoming = True
        for name, column in (("timeslot_start", "starts_at"), ("timeslot_end", "ends_at")):
            if params.get(name):
                narrowing = narrowing.filter(_time_filter(params[name], name, column))
                narrowed, upcoming = True, False
        if params.get("updated_since"):
            since = _int(request, "updated_since", 0, 0, 10**11)
            narrowing = narrowing.filter(
                modified_at__gte=dt.datetime.fromtimestamp(since, tz=dt.UTC)
            )
            narrowed = True
        types = [
            t.strip().lower() for value in params.getlist("event_types") for t in value.split(",")
        ]
        unknown = sorted({t for t in types if t} - set(Event.Type.values))
        if unknown:
            raise FeedError(
                "event_types", _("unknown event types: %(t)s") % {"t": ", ".join(unknown)}
            )
        start = (page - 1) * per_page
        if params.get("zipcode"):
            max_dist = _int(request, "max_dist", DEFAULT_MAX_DIST, 1, 500)
            total, found = events_near_page(
                zip_code=params["zipcode"].strip(),
                radius_miles=max_dist,
                offset=start,
                limit=per_page,
                queryset=narrowing if narrowed else None,
                event_types=types,
                upcoming=upcoming,
            )
            events = [event for event, _distance in found]
            _attach_organizations(events)
        else:
            qs = filtered_events(queryset=narrowing, event_types=types, upcoming=upcoming)
            total = qs.count()
            events = list(
                qs.select_related("campaign", "organization").order_by("starts_at", "id")[
                    start : start + per_page
                ]
            )
        pages = math.ceil(total / per_page) if total else 0

        def link(number: int) -> str:
            query = [(k, v) for k in params for v in params.getlist(k) if k != "page"]
            query.append(("page", str(number)))
            return request.build_absolute_uri(f"{request.path}?{urlencode(query)}")

        return {
            "count": total,
            "next": link(page + 1) if page < pages else None,
            "previous": link(min(page - 1, max(pages, 1))) if page > 1 else None,
            "data": [feed_event_json(request, event) for event in events],
        }


def _attach_organizations(events: list[Event]) -> None:
    """events_near loads campaigns only; fetch the sponsors in one query."""
    from actlocal.network.models import Organization

    ids = {e.organization_id for e in events if e.organization_id}
    orgs = Organization.objects.in_bulk(list(ids)) if ids else {}
    for event in events:
        if event.organization_id:
            event.organization = orgs[event.organization_id]
