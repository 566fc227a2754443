"""Reads. Anything that may be invite-only takes the viewer and filters by it."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet, Sum

from actlocal.events.models import RSVP, Campaign, Event, Invitation, Session

LISTED = [Event.Status.PUBLISHED, Event.Status.COMPLETED, Event.Status.CANCELLED]


def public_events() -> QuerySet[Event]:
    """Published public events; invite-only events are never in here."""
    return Event.objects.filter(
        status=Event.Status.PUBLISHED, visibility=Event.Visibility.PUBLIC
    ).select_related("campaign")


def _person(viewer: Any) -> Any:
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return None
    try:
        return viewer.person
    except Exception:  # no Person linked to this account
        return None


def visible_events(*, viewer: Any) -> QuerySet[Event]:
    """Events ``viewer`` may see: public listed ones, plus invite-only ones they are
    invited to, host, or (staff) all."""
    qs = Event.objects.select_related("campaign")
    if viewer is not None and getattr(viewer, "is_authenticated", False) and viewer.is_staff:
        return qs.all()
    public = Q(visibility=Event.Visibility.PUBLIC, status__in=LISTED)
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return qs.filter(public)
    allowed = public | Q(hosts__user=viewer)
    person = _person(viewer)
    if person is not None:
        invited_ids = (
            Invitation.objects.filter(person=person)
            .exclude(status=Invitation.Status.REVOKED)
            .values("event_id")
        )
        rsvp_ids = RSVP.objects.filter(person=person).values("event_id")
        allowed |= Q(pk__in=invited_ids) | Q(pk__in=rsvp_ids)
    return qs.filter(allowed).distinct()


def can_person_see(*, event: Event, person: Any) -> bool:
    if event.visibility == Event.Visibility.PUBLIC and event.status in LISTED:
        return True
    if person is None:
        return False
    return (
        Invitation.objects.filter(event=event, person=person)
        .exclude(status=Invitation.Status.REVOKED)
        .exists()
        or RSVP.objects.filter(event=event, person=person).exists()
    )


def hosted_events(*, user: Any) -> QuerySet[Event]:
    """Events a host manages (staff: all)."""
    qs = Event.objects.select_related("campaign")
    if user.is_staff:
        return qs.all()
    return qs.filter(hosts__user=user).distinct()


def attendees(*, event: Event) -> QuerySet[RSVP]:
    """Confirmed attendees (never the waitlist), for hosts."""
    return (
        RSVP.objects.filter(event=event, status__in=[RSVP.Status.ACCEPTED, RSVP.Status.ATTENDED])
        .select_related("person")
        .prefetch_related("person__email_addresses")
        .order_by("person__family_name", "person__given_name", "id")
    )


def shared_attendees(*, event: Event) -> QuerySet[RSVP]:
    """Attendees shown to other attendees: confirmed and opted in."""
    return (
        RSVP.objects.filter(
            event=event,
            status__in=[RSVP.Status.ACCEPTED, RSVP.Status.ATTENDED],
            share_attendance=True,
        )
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "id")
    )


def waitlist(*, event: Event) -> QuerySet[RSVP]:
    return (
        RSVP.objects.filter(event=event, status=RSVP.Status.WAITLISTED)
        .select_related("person")
        .prefetch_related("person__email_addresses")
        .order_by("waitlist_position")
    )


def rsvp_counts(*, event: Event) -> dict[str, int]:
    rows = (
        RSVP.objects.filter(event=event)
        .values("status")
        .annotate(n=Count("id"), seats=Sum("party_size"))
    )
    counts = dict.fromkeys(RSVP.Status.values, 0)
    for row in rows:
        counts[row["status"]] = row["n"]
    counts["checked_in"] = RSVP.objects.filter(event=event, checked_in_at__isnull=False).count()
    return counts


def needs_summary(*, event: Event) -> dict[str, Any]:
    """Counts and list of confirmed attendees' needs (hosts and staff only)."""
    confirmed = Q(status__in=[RSVP.Status.ACCEPTED, RSVP.Status.ATTENDED])
    qs = RSVP.objects.filter(confirmed, event=event)
    counts = qs.aggregate(
        accessibility=Count("id", filter=~Q(need_accessibility="")),
        dietary=Count("id", filter=~Q(need_dietary="")),
        childcare=Count("id", filter=Q(need_childcare=True)),
        interpretation=Count("id", filter=~Q(need_interpretation="")),
        other=Count("id", filter=~Q(need_other="")),
    )
    rows = list(
        qs.filter(
            ~Q(need_accessibility="")
            | ~Q(need_dietary="")
            | Q(need_childcare=True)
            | ~Q(need_interpretation="")
            | ~Q(need_other="")
        )
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "id")
    )
    languages = (
        qs.exclude(need_interpretation="")
        .values("need_interpretation")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    return {"counts": counts, "rows": rows, "languages": list(languages)}


def agenda(*, event: Event) -> QuerySet[Session]:
    return (
        Session.objects.filter(event=event)
        .select_related("room", "track")
        .prefetch_related("facilitators__person", "facilitators__organization")
        .annotate(chosen=Count("choices"))
        .order_by("starts_at", "room__name", "id")
    )


def campaign_dashboard(*, campaign: Campaign, viewer: Any) -> list[dict[str, Any]]:
    """Per city event: invitations, RSVPs, capacity, check-ins, needs (one query)."""
    events = hosted_events(user=viewer).filter(campaign=campaign)
    confirmed = Q(rsvps__status__in=[RSVP.Status.ACCEPTED, RSVP.Status.ATTENDED])
    rows = events.annotate(
        accepted=Count("rsvps", filter=confirmed, distinct=True),
        waitlisted=Count("rsvps", filter=Q(rsvps__status=RSVP.Status.WAITLISTED), distinct=True),
        declined=Count("rsvps", filter=Q(rsvps__status=RSVP.Status.DECLINED), distinct=True),
        checked_in=Count("rsvps", filter=Q(rsvps__checked_in_at__isnull=False), distinct=True),
        with_needs=Count(
            "rsvps",
            filter=confirmed
            & (
                ~Q(rsvps__need_accessibility="")
                | ~Q(rsvps__need_dietary="")
                | Q(rsvps__need_childcare=True)
                | ~Q(rsvps__need_interpretation="")
                | ~Q(rsvps__need_other="")
            ),
            distinct=True,
        ),
    ).order_by("city", "id")
    invites = dict(
        Invitation.objects.filter(event__in=events)
        .exclude(status__in=[Invitation.Status.PENDING, Invitation.Status.REVOKED])
        .values_list("event_id")
        .annotate(n=Count("id"))
        .values_list("event_id", "n")
    )
    return [
        {
            "event": ev,
            "city": f"{ev.city}, {ev.state}".strip(", "),
            "invited": invites.get(ev.pk, 0),
            "accepted": ev.accepted,  # type: ignore[attr-defined]
            "waitlisted": ev.waitlisted,  # type: ignore[attr-defined]
            "declined": ev.declined,  # type: ignore[attr-defined]
            "checked_in": ev.checked_in,  # type: ignore[attr-defined]
            "with_needs": ev.with_needs,  # type: ignore[attr-defined]
            "capacity": ev.capacity,
            "seats_taken": ev.seats_taken,
        }
        for ev in rows
    ]


ATTENDEE_EXPORT_HEADERS = [
    "given_name",
    "family_name",
    "email",
    "phone",
    "status",
    "party_size",
    "waitlist_position",
    "checked_in_at",
    "checkin_code",
    "need_accessibility",
    "need_dietary",
    "need_childcare",
    "need_interpretation",
    "need_other",
    "registered_at",
]


def attendee_export_rows(*, event: Event) -> list[list[str]]:
    """Everyone who answered (registered, waiting, attended, cancelled, declined), for hosts:
    registered vs attended in one sheet. Times in the event's time zone."""
    tz = ZoneInfo(event.timezone)
    order: dict[str, int] = {"attended": 0, "accepted": 1, "waitlisted": 2}
    records = (
        RSVP.objects.filter(event=event)
        .select_related("person")
        .prefetch_related("person__email_addresses", "person__phone_numbers")
        .order_by("person__family_name", "person__given_name", "id")
    )

    def when(moment: Any) -> str:
        return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment else ""

    rows = []
    for r in sorted(records, key=lambda r: (order.get(r.status, 3), r.waitlist_position or 0)):
        phones = list(r.person.phone_numbers.all())
        rows.append(
            [
                r.person.given_name,
                r.person.family_name,
                r.person.primary_email or "",
                phones[0].number if phones else "",
                r.status,
                str(r.party_size),
                str(r.waitlist_position or ""),
                when(r.checked_in_at),
                r.checkin_code,
                r.need_accessibility,
                r.need_dietary,
                "yes" if r.need_childcare else "",
                r.need_interpretation,
                r.need_other,
                when(r.created_at),
            ]
        )
    return rows
