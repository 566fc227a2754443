"""Public and invitee pages of events. Invite-only events answer 404 to outsiders."""

from __future__ import annotations

import logging
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from actlocal.common import ratelimit
from actlocal.common.middleware import client_ip
from actlocal.common.permissions import check_perm
from actlocal.events import selectors
from actlocal.events.calendars import event_ics as render_event_ics
from actlocal.events.calendars import events_ics
from actlocal.events.forms import AnswerForm, NeedsForm, PartySizeForm, RSVPForm, TransferForm
from actlocal.events.models import RSVP, Campaign, Event, Invitation
from actlocal.events.services import EventsError
from actlocal.events.services import agenda as agenda_services
from actlocal.events.services import invitations as invitation_services
from actlocal.events.services import rsvps as rsvp_services
from actlocal.people.models import Person

FEED_SALT = "actlocal.events.personal-feed"
logger = logging.getLogger(__name__)


def _visible_event(request: HttpRequest, slug: str) -> Event:
    event = get_object_or_404(Event.objects.select_related("campaign"), slug=slug)
    check_perm(request, "events.view_event", event, hide=True)
    return event


def _base_url(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _ics_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def feed_token(person: Person) -> str:
    return signing.dumps(str(person.uuid), salt=FEED_SALT, compress=True)


def _viewer_person(request: HttpRequest) -> Person | None:
    if not request.user.is_authenticated:
        return None
    return Person.objects.filter(user=request.user).first()


def _rsvp_rate_limited(request: HttpRequest, *, scope: str, key: str) -> bool:
    """Count one RSVP-like POST; True when the client IP or ``key`` used up its limit.

    Limits come from settings (``ACTLOCAL_RSVP_LIMIT_*``; 0 switches one off) and are
    counted in the database, so every worker sees the same counts.
    """
    window = settings.ACTLOCAL_RSVP_LIMIT_WINDOW
    per_ip = settings.ACTLOCAL_RSVP_LIMIT_PER_IP
    per_key = settings.ACTLOCAL_RSVP_LIMIT_PER_EMAIL
    checks = []
    if per_ip:
        checks.append(("rsvp-ip", client_ip(request) or "unknown", per_ip))
    if per_key:
        checks.append((scope, key, per_key))
    if not checks:
        return False
    try:
        return not ratelimit.hit_many(checks=checks, window_seconds=window)
    except DatabaseError:
        # A lost count must not turn a person's RSVP into a server error.
        logger.warning("RSVP rate limit not counted (database error)", exc_info=True)
        return False


def _too_many_rsvps() -> str:
    return _("Too many RSVPs from here or for this email address recently. Please try again later.")


@require_http_methods(["GET", "POST"])
def event_page(request: HttpRequest, slug: str) -> HttpResponse:
    event = _visible_event(request, slug)
    can_manage = request.user.has_perm("events.view_attendees", event)
    viewer_person = _viewer_person(request)
    invited = (
        viewer_person is not None
        and Invitation.objects.filter(event=event, person=viewer_person)
        .exclude(status=Invitation.Status.REVOKED)
        .exists()
    )
    may_rsvp = event.status == Event.Status.PUBLISHED and (not event.is_invite_only or invited)
    form = RSVPForm(request.POST or None, event=event) if may_rsvp else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            if _rsvp_rate_limited(request, scope="rsvp-email", key=form.cleaned_data["email"]):
                form.add_error(None, _too_many_rsvps())
                status = 429
            else:
                response = _submit_rsvp(request, event, form, viewer_person if invited else None)
                if response is not None:
                    return response
    context: dict[str, Any] = {
        "event": event,
        "form": form,
        "can_manage": can_manage,
        "show_street": can_manage or not event.address_is_private,
        "shared_attendees": list(selectors.shared_attendees(event=event)[:100]),
        "has_agenda": event.sessions.exists(),
    }
    return render(request, "events/event_page.html", context, status=status)


def _submit_rsvp(
    request: HttpRequest, event: Event, form: RSVPForm, invited_person: Person | None
) -> HttpResponse | None:
    data = form.cleaned_data
    try:
        if invited_person is not None:
            record, token = rsvp_services.rsvp(
                event=event,
                person=invited_person,
                party_size=data["party_size"],
                needs=form.needs(),
                source="web",
                share_attendance=data["share_attendance"] or None,
            )
        else:
            record, token = rsvp_services.rsvp_by_email(
                event=event,
                email=data["email"],
                fields={
                    "given_name": data["given_name"],
                    "family_name": data["family_name"],
                    "postal_code": data["postal_code"],
                },
                party_size=data["party_size"],
                needs=form.needs(),
                share_attendance=data["share_attendance"],
                source="web",
            )
    except rsvp_services.AlreadyAnsweredError as exc:
        form.add_error("email", exc.message)
        return None
    except EventsError as exc:
        form.add_error(None, exc.message)
        return None
    if record.status == RSVP.Status.WAITLISTED:
        messages.info(request, _("The event is full: you are on the waitlist."))
    else:
        messages.success(request, _("You're confirmed. We emailed you the details."))
    if token:
        return redirect("web:rsvp-manage", token=token)
    return redirect("web:event", slug=event.slug)


def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = _visible_event(request, slug)
    show_street = request.user.has_perm("events.view_attendees", event)
    body = render_event_ics(event, base_url=_base_url(request), for_attendee=show_street)
    return _ics_response(body, f"{event.slug}.ics")


def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    event = _visible_event(request, slug)
    sessions = list(selectors.agenda(event=event))
    return render(request, "events/agenda.html", {"event": event, "sessions": sessions})


def agenda_print(request: HttpRequest, slug: str) -> HttpResponse:
    event = _visible_event(request, slug)
    sessions = list(selectors.agenda(event=event))
    return render(request, "events/agenda_print.html", {"event": event, "sessions": sessions})


def _qr_svg(record: RSVP, *, scale: int) -> str:
    # Always a full QR code: for short values segno would pick a Micro QR, which the
    # check-in camera (BarcodeDetector "qr_code") and most phone scanners cannot read.
    return str(segno.make_qr(record.qr_value, error="m").svg_inline(scale=scale))


def _rsvp_or_404(token: str) -> RSVP:
    record = rsvp_services.rsvp_for_manage_token(token)
    if record is None:
        raise Http404
    return record


@require_http_methods(["GET", "POST"])
def rsvp_manage(request: HttpRequest, token: str) -> HttpResponse:
    record = _rsvp_or_404(token)
    event = record.event
    size_form = PartySizeForm(initial={"party_size": record.party_size})
    transfer_form = TransferForm()
    needs_form = NeedsForm(
        initial={
            **{name: getattr(record, name) for name in rsvp_services.NEED_FIELDS.values()},
            "share_attendance": record.share_attendance,
        }
    )
    status = 200
    if request.method == "POST" and _rsvp_rate_limited(
        request, scope="rsvp-manage", key=record.manage_token_hash or str(record.pk)
    ):
        messages.error(request, _too_many_rsvps())
        status = 429
    elif request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "cancel":
                rsvp_services.cancel_rsvp(rsvp=record)
                messages.success(request, _("Your RSVP is cancelled."))
                return redirect("web:rsvp-manage", token=token)
            if action == "rejoin":
                rsvp_services.rsvp(
                    event=event, person=record.person, party_size=record.party_size, source="manage"
                )
                return redirect("web:rsvp-manage", token=token)
            if action == "party_size":
                size_form = PartySizeForm(request.POST)
                if size_form.is_valid():
                    rsvp_services.change_party_size(
                        rsvp=record, party_size=size_form.cleaned_data["party_size"]
                    )
                    messages.success(request, _("Your party size is updated."))
                    return redirect("web:rsvp-manage", token=token)
            if action == "sessions":
                picked = [
                    s for s in event.sessions.all() if str(s.pk) in request.POST.getlist("session")
                ]
                agenda_services.choose_sessions(rsvp=record, sessions=picked)
                messages.success(request, _("Your sessions are saved."))
                return redirect("web:rsvp-manage", token=token)
            if action == "transfer":
                transfer_form = TransferForm(request.POST)
                if transfer_form.is_valid():
                    data = transfer_form.cleaned_data
                    rsvp_services.transfer_rsvp(
                        rsvp=record,
                        email=data["email"],
                        given_name=data["given_name"],
                        family_name=data["family_name"],
                    )
                    messages.success(
                        request,
                        _("Your seat now belongs to %(name)s; we emailed them their own link.")
                        % {"name": data["given_name"]},
                    )
                    return redirect("web:rsvp-manage", token=token)
            if action == "needs":
                needs_form = NeedsForm(request.POST)
                if needs_form.is_valid():
                    rsvp_services.update_needs(
                        rsvp=record,
                        needs=needs_form.needs(),
                        share_attendance=needs_form.cleaned_data["share_attendance"],
                    )
                    messages.success(request, _("Your answers are saved."))
                    return redirect("web:rsvp-manage", token=token)
        except EventsError as exc:
            messages.error(request, exc.message)
            return redirect("web:rsvp-manage", token=token)
    sessions = list(selectors.agenda(event=event))
    return render(
        request,
        "events/rsvp_manage.html",
        {
            "rsvp": record,
            "event": event,
            "token": token,
            "size_form": size_form,
            "transfer_form": transfer_form,
            "needs_form": needs_form,
            "qr_svg": _qr_svg(record, scale=5) if record.is_confirmed else "",
            "feed_url": request.build_absolute_uri(
                reverse("web:personal-feed", args=[feed_token(record.person)])
            ),
            "sessions": sessions,
            "pickable": record.is_confirmed and any(s.capacity for s in sessions),
            "chosen": set(record.session_choices.values_list("session_id", flat=True)),
        },
        status=status,
    )


def rsvp_ics(request: HttpRequest, token: str) -> HttpResponse:
    record = _rsvp_or_404(token)
    body = render_event_ics(
        record.event, base_url=_base_url(request), for_attendee=record.is_confirmed
    )
    return _ics_response(body, f"{record.event.slug}.ics")


def rsvp_qr(request: HttpRequest, token: str) -> HttpResponse:
    record = _rsvp_or_404(token)
    if not record.is_confirmed:
        raise Http404
    svg = _qr_svg(record, scale=6)
    return HttpResponse(svg, content_type="image/svg+xml")


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = invitation_services.invitation_for_token(token)
    if found is None:
        raise Http404
    event = found.event
    existing = RSVP.objects.filter(event=event, person=found.person).first()
    form = AnswerForm(request.POST or None, initial={"party_size": 1}, event=event)
    status = 200
    if (
        request.method == "POST"
        and form.is_valid()
        and _rsvp_rate_limited(request, scope="rsvp-invitation", key=str(found.pk))
    ):
        form.add_error(None, _too_many_rsvps())
        status = 429
    elif request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["answer"] == "accept":
                record, manage_token = invitation_services.accept_invitation(
                    invitation=found,
                    party_size=form.cleaned_data["party_size"],
                    needs=form.needs(),
                    share_attendance=form.cleaned_data["share_attendance"],
                )
                if record.status == RSVP.Status.WAITLISTED:
                    messages.info(request, _("The event is full: you are on the waitlist."))
                else:
                    messages.success(request, _("Thank you! You're confirmed."))
                if manage_token:
                    return redirect("web:rsvp-manage", token=manage_token)
                messages.info(request, _("Your existing RSVP is updated."))
                return redirect("web:invitation", token=token)
            invitation_services.decline_invitation(invitation=found)
            messages.success(request, _("Thank you for letting us know."))
            return redirect("web:invitation", token=token)
        except EventsError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "events/invitation.html",
        {"invitation": found, "event": event, "form": form, "existing": existing},
        status=status,
    )


def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    try:
        person_uuid = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature as exc:
        raise Http404 from exc
    person = Person.objects.filter(uuid=person_uuid).first()
    if person is None:
        raise Http404
    events = (
        Event.objects.filter(
            rsvps__person=person,
            rsvps__status__in=[RSVP.Status.ACCEPTED, RSVP.Status.WAITLISTED, RSVP.Status.ATTENDED],
        )
        .exclude(status__in=[Event.Status.DRAFT, Event.Status.PENDING, Event.Status.REJECTED])
        .distinct()
    )
    body = events_ics(
        events, name=_("My ActLocal events"), base_url=_base_url(request), for_attendee=True
    )
    return _ics_response(body, "actlocal.ics")


def campaign_feed(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign, slug=slug, is_public=True)
    events = selectors.public_events().filter(campaign=campaign)
    body = events_ics(events, name=campaign.name, base_url=_base_url(request))
    return _ics_response(body, f"{campaign.slug}.ics")
