"""OSDI events, attendances (record attendance helper) and event campaigns."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from actlocal.api import parsing
from actlocal.api import representations as rep
from actlocal.api.hal import FilterField, apply_filter, get_by_uuid, paginated
from actlocal.api.services import create_api_event
from actlocal.api.views.base import (
    COLLECTION_PARAMS,
    RECORD,
    OsdiView,
    body,
    collection_schema,
    errors,
)
from actlocal.events.models import RSVP, Campaign, Event
from actlocal.events.services.errors import EventsError
from actlocal.people.models import Person

EVENT_FILTERS = {
    "modified_date": FilterField("date", "modified_at"),
    "created_date": FilterField("date", "created_at"),
    "start_date": FilterField("date", "starts_at"),
    "identifier": FilterField("identifier", "uuid"),
    "identifiers": FilterField("identifier", "uuid"),
}
ATTENDANCE_FILTERS = {
    "modified_date": FilterField("date", "modified_at"),
    "created_date": FilterField("date", "created_at"),
    "identifier": FilterField("identifier", "uuid"),
    "status": FilterField("text", "status"),
}
CAMPAIGN_FILTERS = EVENT_FILTERS


EVENT_REQUEST = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "start_date": {"type": "string", "format": "date-time"},
        "end_date": {"type": "string", "format": "date-time"},
        "visibility": {"type": "string", "enum": ["public", "private"]},
        "location": {"type": "object"},
    },
    "required": ["title", "start_date"],
}


def _events(view: OsdiView) -> QuerySet[Event]:
    return view.scope.events().select_related("campaign", "organization")


def _event_or_404(view: OsdiView, event_id: str) -> Event:
    event = get_by_uuid(_events(view), event_id)
    if not isinstance(event, Event):
        raise Http404
    return event


def _show_address(view: OsdiView, event: Event) -> bool:
    return not event.address_is_private or view.scope.may_see_attendees(event)


def event_page(view: OsdiView, request: Request, events: QuerySet[Event], path: str) -> Response:
    events = apply_filter(request, events, EVENT_FILTERS).order_by("starts_at", "id")
    return Response(
        paginated(
            request,
            events,
            name="osdi:events",
            path=path,
            represent=lambda e: rep.event_json(request, e, show_address=_show_address(view, e)),
        )
    )


class EventsView(OsdiView):
    @extend_schema(
        operation_id="events_list",
        parameters=COLLECTION_PARAMS,
        responses={200: collection_schema("osdi:events"), **errors(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        return event_page(self, request, _events(self), "events")

    @extend_schema(
        operation_id="event_create",
        request=body(EVENT_REQUEST),
        responses={201: RECORD, **errors(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        return create_event_response(self, request, campaign=None)


def create_event_response(
    view: OsdiView, request: Request, *, campaign: Campaign | None
) -> Response:
    fields = parsing.event_input(request.data)
    try:
        event = create_api_event(
            fields=fields,
            campaign=campaign,
            organization=view.scope.write_organization,
            by=view.scope.user,
        )
    except EventsError as exc:
        raise ValidationError({"event": [exc.message]}) from exc
    event = Event.objects.select_related("campaign", "organization").get(pk=event.pk)
    return Response(rep.event_json(request, event), status=201)


class EventView(OsdiView):
    @extend_schema(operation_id="event_detail", responses={200: RECORD, **errors(401, 403, 404)})
    def get(self, request: Request, event_id: str) -> Response:
        event = _event_or_404(self, event_id)
        return Response(rep.event_json(request, event, show_address=_show_address(self, event)))


def _attendances(view: OsdiView, event: Event) -> QuerySet[RSVP]:
    if not view.scope.may_see_attendees(event):
        raise PermissionDenied("This API key may not see this event's attendances.")
    # Staff and host keys see the waitlist too; nobody else gets here.
    return RSVP.objects.filter(event=event).select_related("event", "person")


class AttendancesView(OsdiView):
    @extend_schema(
        operation_id="attendances_list",
        parameters=COLLECTION_PARAMS,
        responses={200: collection_schema("osdi:attendances"), **errors(400, 401, 403, 404)},
    )
    def get(self, request: Request, event_id: str) -> Response:
        event = _event_or_404(self, event_id)
        rsvps = apply_filter(request, _attendances(self, event), ATTENDANCE_FILTERS)
        return Response(
            paginated(
                request,
                rsvps.order_by("created_at", "id"),
                name="osdi:attendances",
                path=f"events/{event.uuid}/attendances",
                represent=lambda r: rep.attendance_json(request, r),
            )
        )

    @extend_schema(
        operation_id="record_attendance_helper",
        request=body(
            {
                "type": "object",
                "properties": {
                    "person": {"type": "object"},
                    "add_tags": {"type": "array", "items": {"type": "string"}},
                },
                "required": ["person"],
            }
        ),
        responses={200: RECORD, 201: RECORD, **errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, event_id: str) -> Response:
        from actlocal.api.services import record_attendance

        event = _event_or_404(self, event_id)
        body = parsing.body_object(request.data)
        data = parsing.person_input(body.get("person"))
        add_tags = parsing.string_list(body.get("add_tags"), "add_tags")
        try:
            record, created = record_attendance(
                event=event,
                data=data,
                add_tags=add_tags,
                organization=self.scope.write_organization,
                source=f"api:{self.scope.key.name}",
            )
        except EventsError as exc:
            raise ValidationError({"event": [exc.message]}) from exc
        record = RSVP.objects.select_related("event", "person").get(pk=record.pk)
        return Response(rep.attendance_json(request, record), status=201 if created else 200)


class AttendanceView(OsdiView):
    @extend_schema(
        operation_id="attendance_detail", responses={200: RECORD, **errors(401, 403, 404)}
    )
    def get(self, request: Request, event_id: str, attendance_id: str) -> Response:
        event = _event_or_404(self, event_id)
        record = get_by_uuid(_attendances(self, event), attendance_id)
        if not isinstance(record, RSVP):
            raise Http404
        return Response(rep.attendance_json(request, record))


class PersonAttendancesView(OsdiView):
    @extend_schema(
        operation_id="person_attendances",
        parameters=COLLECTION_PARAMS,
        responses={200: collection_schema("osdi:attendances"), **errors(400, 401, 403, 404)},
    )
    def get(self, request: Request, person_id: str) -> Response:
        person = get_by_uuid(self.scope.people(), person_id)
        if not isinstance(person, Person):
            raise Http404
        visible: list[int] = [
            e.pk
            for e in _events(self).filter(rsvps__person=person)
            if self.scope.may_see_attendees(e)
        ]
        rsvps = RSVP.objects.filter(person=person, event_id__in=visible)
        rsvps = apply_filter(request, rsvps, ATTENDANCE_FILTERS)
        return Response(
            paginated(
                request,
                rsvps.select_related("event", "person").order_by("created_at", "id"),
                name="osdi:attendances",
                path=f"people/{person.uuid}/attendances",
                represent=lambda r: rep.attendance_json(request, r),
            )
        )


# --- event campaigns ----------------------------------------------------------------


def _campaigns(view: OsdiView) -> QuerySet[Campaign]:
    campaigns = Campaign.objects.all()
    if not view.scope.network_wide:
        campaigns = campaigns.filter(is_public=True)
    return campaigns


def _campaign_or_404(view: OsdiView, campaign_id: str) -> Campaign:
    found = get_by_uuid(_campaigns(view), campaign_id)
    if not isinstance(found, Campaign):
        raise Http404
    return found


class CampaignsView(OsdiView):
    @extend_schema(
        operation_id="event_campaigns_list",
        parameters=COLLECTION_PARAMS,
        responses={200: collection_schema("osdi:event_campaigns"), **errors(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        campaigns = apply_filter(request, _campaigns(self), CAMPAIGN_FILTERS)
        visible = self.scope.events().values("pk")
        campaigns = campaigns.annotate(
            event_count=Count("events", filter=_in(visible), distinct=True)
        ).order_by("-created_at", "id")
        return Response(
            paginated(
                request,
                campaigns,
                name="osdi:event_campaigns",
                path="event_campaigns",
                represent=lambda c: rep.campaign_json(request, c),
            )
        )


def _in(visible: Any) -> Any:
    from django.db.models import Q

    return Q(events__pk__in=visible)


class CampaignView(OsdiView):
    @extend_schema(
        operation_id="event_campaign_detail", responses={200: RECORD, **errors(401, 403, 404)}
    )
    def get(self, request: Request, campaign_id: str) -> Response:
        return Response(rep.campaign_json(request, _campaign_or_404(self, campaign_id)))


class CampaignEventsView(OsdiView):
    @extend_schema(
        operation_id="event_campaign_events",
        parameters=COLLECTION_PARAMS,
        responses={200: collection_schema("osdi:events"), **errors(400, 401, 403, 404)},
    )
    def get(self, request: Request, campaign_id: str) -> Response:
        campaign = _campaign_or_404(self, campaign_id)
        return event_page(
            self,
            request,
            _events(self).filter(campaign=campaign),
            f"event_campaigns/{campaign.uuid}/events",
        )

    @extend_schema(
        operation_id="event_campaign_event_create",
        request=body(EVENT_REQUEST),
        responses={201: RECORD, **errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, campaign_id: str) -> Response:
        return create_event_response(self, request, campaign=_campaign_or_404(self, campaign_id))
