"""Public local-action pages: near-me search, host an event, groups, embeddable widget."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods

from actlocal.common import ratelimit
from actlocal.common.middleware import client_ip
from actlocal.common.permissions import check_perm
from actlocal.events.models import RSVP, Campaign, Event
from actlocal.events.nearby import nearest_zip
from actlocal.events.services.events import cancel_event
from actlocal.local import selectors
from actlocal.local.forms import (
    ConfirmHostForm,
    HostEditForm,
    HostEventForm,
    JoinGroupForm,
    SearchForm,
)
from actlocal.local.search import map_points, run_search
from actlocal.local.services import LocalActionError
from actlocal.local.services.groups import join_local_network, unsubscribe_from_group
from actlocal.local.services.hosting import (
    EDITABLE,
    EventDetails,
    HostDetails,
    confirm_hosted_event,
    hosting_for_token,
    submit_hosted_event,
    update_hosted_event,
)

HOST_LIMIT_PER_IP = (10, 3600)
HOST_LIMIT_PER_EMAIL = (5, 86400)
JOIN_LIMIT_PER_IP = (20, 3600)


def event_search(request: HttpRequest) -> HttpResponse:
    """/events/?zip=&radius=: list sorted by distance then date, and a map of the same page."""
    lat, lng = request.GET.get("lat"), request.GET.get("lng")
    if lat and lng:
        return _search_from_location(request, lat, lng)
    form = SearchForm(request.GET or None)
    result = (
        run_search(form.cleaned_data, page_number=request.GET.get("page"))
        if (form.is_bound and form.is_valid())
        else None
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "local/search.html",
        {
            "form": form,
            "result": result,
            "points": map_points(result.rows) if result else [],
            "tile_url": settings.ACTLOCAL_TILE_URL,
            "tile_attribution": settings.ACTLOCAL_TILE_ATTRIBUTION,
            "query": query.urlencode(),
        },
    )


def _search_from_location(request: HttpRequest, lat: str, lng: str) -> HttpResponse:
    try:
        place = nearest_zip(latitude=float(lat), longitude=float(lng))
    except ValueError:
        place = None
    if place is None:
        messages.error(request, _("We could not place your location. Enter your ZIP code."))
        return redirect("web:event-search")
    query = request.GET.copy()
    for key in ("lat", "lng", "page"):
        query.pop(key, None)
    query["zip"] = place.zip_code
    query.setdefault("radius", "25")
    return redirect(f"{reverse('web:event-search')}?{query.urlencode()}")


def _post_data(request: HttpRequest) -> tuple[Any, str | None]:
    try:
        return request.POST, None
    except RequestDataTooBig:
        return None, _("What you sent is too large. Keep the description under 5,000 characters.")


@require_http_methods(["GET", "POST"])
def host_event(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The public host form; the whole campaign list, or one campaign's own page."""
    campaign = None
    if slug is not None:
        campaign = get_object_or_404(selectors.open_campaigns(), slug=slug)
    campaigns = selectors.open_campaigns()
    too_big = None
    form = HostEventForm(
        campaign=campaign, initial={"campaign": campaign.slug if campaign else None}
    )
    if request.method == "POST":
        data, too_big = _post_data(request)
        if data is not None:
            form = HostEventForm(data, campaign=campaign)
            if form.honeypot_filled():
                return redirect("web:host-sent")
            if form.is_valid():
                response = _submit_host_form(request, form)
                if response is not None:
                    return response
    chosen = campaign or (
        form.cleaned_data.get("campaign")
        if form.is_bound and hasattr(form, "cleaned_data")
        else None
    )
    return render(
        request,
        "local/host.html",
        {"form": form, "campaign": chosen or campaign, "campaigns": campaigns, "too_big": too_big},
        status=413 if too_big else 200,
    )


def _details(data: dict[str, Any]) -> EventDetails:
    return EventDetails(
        title=data["title"],
        event_type=data["event_type"],
        summary=data["summary"],
        description=data["description"],
        venue=data["venue"],
        address_line=data["address_line"],
        address_is_private=data["address_is_private"],
        city=data["city"],
        state=data["state"],
        zip_code=data["zip_code"],
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        capacity=data["capacity"],
        accessibility_status=data["accessibility_status"],
        accessibility_notes=data["accessibility_notes"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def host_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The host changes their event (e.g. after a guide asked for changes)."""
    event = get_object_or_404(
        Event.objects.select_related("campaign"), pk=pk, hosting__isnull=False
    )
    check_perm(request, "events.change_event", event, hide=True)
    initial = {name: getattr(event, name) for name in EDITABLE}
    initial["starts_at"] = event.starts_at.astimezone(ZoneInfo(event.timezone)).replace(tzinfo=None)
    initial["duration_minutes"] = int((event.ends_at - event.starts_at).total_seconds() // 60)
    form = HostEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_hosted_event(event=event, details=_details(form.cleaned_data), by=request.user)
        except LocalActionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("web:host-edit", pk=pk)
    return render(request, "local/host_edit.html", {"form": form, "event": event})


@login_required
@require_http_methods(["GET", "POST"])
def host_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """The host calls their event off: a confirmation step, then everyone who RSVPed hears."""
    event = get_object_or_404(
        Event.objects.select_related("campaign"), pk=pk, hosting__isnull=False
    )
    check_perm(request, "events.change_event", event, hide=True)
    if event.status == Event.Status.CANCELLED:
        messages.info(request, _("This event is already cancelled."))
        return redirect("web:host-edit", pk=pk)
    if request.method == "POST":
        cancel_event(event=event, by=request.user, reason=request.POST.get("reason", "")[:1000])
        messages.success(
            request, _("Your event is cancelled. Everyone who RSVPed is being emailed.")
        )
        return redirect("web:host-edit", pk=pk)
    answered = event.rsvps.filter(
        status__in=[RSVP.Status.ACCEPTED, RSVP.Status.WAITLISTED, RSVP.Status.ATTENDED]
    ).count()
    return render(request, "local/host_cancel.html", {"event": event, "answered": answered})


def _submit_host_form(request: HttpRequest, form: HostEventForm) -> HttpResponse | None:
    data = form.cleaned_data
    ip = client_ip(request) or "unknown"
    if not ratelimit.hit(
        scope="host-ip", key=ip, limit=HOST_LIMIT_PER_IP[0], window_seconds=HOST_LIMIT_PER_IP[1]
    ) or not ratelimit.hit(
        scope="host-email",
        key=data["host_email"],
        limit=HOST_LIMIT_PER_EMAIL[0],
        window_seconds=HOST_LIMIT_PER_EMAIL[1],
    ):
        form.add_error(
            None, _("Too many events submitted from here recently. Please try again later.")
        )
        return None
    try:
        submit_hosted_event(
            campaign=data["campaign"],
            host=HostDetails(
                name=data["host_name"], email=data["host_email"], phone=data["host_phone"]
            ),
            details=_details(data),
        )
    except LocalActionError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None
    return redirect("web:host-sent")


def host_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "local/host_sent.html")


@require_http_methods(["GET", "POST"])
def host_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm by POST (link scanners only GET); a new host chooses a password here."""
    hosting = hosting_for_token(token)
    if hosting is None:
        return render(request, "local/host_confirm_invalid.html", status=404)
    from actlocal.accounts.models import User

    needs_account = not User.objects.filter(email__iexact=hosting.host_email).exists()
    form = ConfirmHostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirm_hosted_event(hosting=hosting, password=form.cleaned_data["password"])
        except LocalActionError as error:
            form.add_error("password", error.message)
        else:
            hosting.event.refresh_from_db()
            return render(request, "local/host_confirmed.html", {"event": hosting.event})
    return render(
        request,
        "local/host_confirm.html",
        {"form": form, "hosting": hosting, "event": hosting.event, "needs_account": needs_account},
    )


def group_list(request: HttpRequest) -> HttpResponse:
    from actlocal.common.pagination import paginate

    networks = selectors.public_networks().order_by("state", "city", "name")
    return render(request, "local/groups.html", {"page": paginate(request, networks, per_page=30)})


@require_http_methods(["GET", "POST"])
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(selectors.public_networks(), slug=slug)
    form = JoinGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.honeypot_filled():
            return redirect("web:group", slug=slug)
        ip = client_ip(request) or "unknown"
        if not ratelimit.hit(
            scope="join-ip", key=ip, limit=JOIN_LIMIT_PER_IP[0], window_seconds=JOIN_LIMIT_PER_IP[1]
        ):
            form.add_error(None, _("Too many sign-ups from here recently. Please try again later."))
        else:
            data = form.cleaned_data
            _membership, created = join_local_network(
                network=network,
                email=data["email"],
                given_name=data["given_name"],
                family_name=data["family_name"],
                zip_code=data["zip_code"],
                phone=data["phone"],
                consent_follow_up=data["consent"],
            )
            messages.success(
                request,
                _("Welcome to %(group)s! We sent you an email.") % {"group": network.name}
                if created
                else _("You are already a member of %(group)s.") % {"group": network.name},
            )
            return redirect("web:group", slug=slug)
    return render(
        request,
        "local/group.html",
        {
            "network": network,
            "form": form,
            "events": selectors.upcoming_events_near_network(network),
            "organizers": selectors.organizers_of(network),
        },
    )


@require_http_methods(["GET", "POST"])
def group_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks, POST unsubscribes (mail clients' one-click POST works too)."""
    if request.method == "POST":
        membership = unsubscribe_from_group(token=token)
        if membership is None:
            return render(request, "local/unsubscribe.html", {"invalid": True}, status=404)
        return render(
            request, "local/unsubscribe.html", {"done": True, "network": membership.network}
        )
    return render(request, "local/unsubscribe.html", {"token": token})


@xframe_options_exempt
def embed_events(request: HttpRequest) -> HttpResponse:
    """An iframe-able list of a campaign's events near a ZIP; no cookies are set or read."""
    campaign = None
    slug = request.GET.get("campaign", "")
    if slug:
        campaign = Campaign.objects.filter(slug=slug, is_public=True).first()
    form = SearchForm(
        {
            "zip": request.GET.get("zip", ""),
            "radius": request.GET.get("radius", "50"),
            "campaign": campaign.slug if campaign else "",
        }
    )
    result = run_search(form.cleaned_data, page_number="1") if form.is_valid() else None
    response = render(
        request, "local/embed.html", {"form": form, "result": result, "campaign": campaign}
    )
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    return response


def embed_script(request: HttpRequest) -> HttpResponse:
    """The snippet's script: replaces itself with an iframe of the widget."""
    src = request.build_absolute_uri(reverse("web:embed-events"))
    response = render(request, "local/embed.js", {"src": src}, content_type="text/javascript")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
