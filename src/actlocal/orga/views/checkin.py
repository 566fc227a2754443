"""Day-of check-in: the server-rendered page, and the JSON a device uses to keep working
on bad Wi-Fi (roster to keep offline, batch sync of queued check-ins, live counts) plus
the service worker that keeps the page itself available offline."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from actlocal.common.permissions import check_perm
from actlocal.events import selectors
from actlocal.events.forms import CheckInForm, WalkInForm
from actlocal.events.models import RSVP, Event
from actlocal.events.services import EventsError
from actlocal.events.services import checkin as checkin_services
from actlocal.events.services.checkin import QueuedCheckIn, SyncResult

#: Static files the page needs offline; the worker caches them when it installs.
OFFLINE_ASSETS = (
    "actlocal/css/app.css",
    "actlocal/css/events.css",
    "vendor/htmx/htmx.min.js",
    "actlocal/js/events-checkin.js",
    "actlocal/js/checkin-store.js",
    "actlocal/js/checkin-offline.js",
)
WALK_IN_FIELDS = {"given_name": 150, "family_name": 150, "email": 254}


def _event(request: HttpRequest, slug: str) -> Event:
    """The event, for its check-in team only; anyone else (anonymous included) gets 404."""
    event = get_object_or_404(Event.objects.select_related("campaign"), slug=slug)
    check_perm(request, "events.check_in", event, hide=True)
    return event


@login_required
def checkin(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    code_form = CheckInForm(request.POST if "code" in request.POST else None)
    walkin_form = WalkInForm(request.POST if "walk_in" in request.POST else None)
    if request.method == "POST":
        try:
            if "rsvp" in request.POST:
                record = get_object_or_404(RSVP, pk=request.POST["rsvp"], event=event)
                record, first = checkin_services.check_in(
                    rsvp=record,
                    client_uuid=_uuid(request.POST.get("client_uuid")),
                    by=request.user,
                    method="list",
                )
                _checked_message(request, record, first)
                return redirect(request.get_full_path())
            if "code" in request.POST and code_form.is_valid():
                found = checkin_services.rsvp_for_code(
                    event=event, code=code_form.cleaned_data["code"]
                )
                if found is None:
                    code_form.add_error("code", _("No RSVP for this event has this code."))
                else:
                    record, first = checkin_services.check_in(
                        rsvp=found,
                        client_uuid=code_form.cleaned_data["client_uuid"],
                        by=request.user,
                        method="qr",
                    )
                    _checked_message(request, record, first)
                    return redirect("orga:event-checkin", slug=slug)
            if "walk_in" in request.POST and walkin_form.is_valid():
                data = walkin_form.cleaned_data
                record = checkin_services.walk_in(
                    event=event,
                    given_name=data["given_name"],
                    family_name=data["family_name"],
                    email=data["email"],
                    client_uuid=data["client_uuid"],
                    by=request.user,
                )
                _checked_message(request, record, True)
                return redirect("orga:event-checkin", slug=slug)
        except EventsError as exc:
            messages.error(request, exc.message)
    query = request.GET.get("q", "").strip()
    found_rsvps: list[RSVP] = []
    if query:
        found_rsvps = list(
            selectors.attendees(event=event).filter(
                Q(person__given_name__icontains=query)
                | Q(person__family_name__icontains=query)
                | Q(checkin_code__iexact=query)
            )[:25]
        )
    return render(
        request,
        "orga/events/checkin.html",
        {
            "event": event,
            "counts": checkin_services.live_counts(event=event),
            "code_form": code_form,
            "walkin_form": walkin_form,
            "query": query,
            "found": found_rsvps,
            "offline": _offline_config(event),
        },
    )


def _offline_config(event: Event) -> dict[str, Any]:
    """What the page script needs to work offline: its URLs and its words."""
    urls = {
        name: reverse(f"orga:event-checkin{suffix}", kwargs={"slug": event.slug})
        for name, suffix in [
            ("page", ""),
            ("roster", "-roster"),
            ("sync", "-sync"),
            ("counts", "-counts"),
            ("worker", "-worker"),
        ]
    }
    strings = {
        "online": _("Online."),
        "offline": _(
            "Offline: check-ins are kept on this device and sent when the connection is back."
        ),
        "unreachable": _("The server cannot be reached: check-ins are kept on this device."),
        "pending_one": _("1 check-in waiting to sync"),
        "pending_other": _("{count} check-ins waiting to sync"),
        "nothing_pending": _("All check-ins are synced."),
        "syncing": _("Sending check-ins…"),
        "sync_failed": _(
            "Sending failed: the check-ins stay on this device and are sent again shortly."
        ),
        "login": _("Log in again to send the check-ins kept on this device."),
        "roster": _("{count} people on this device, list from {time}."),
        "no_roster": _("The attendee list is not on this device yet: open this page once online."),
        "check_in": _("Check in"),
        "checked_in": _("checked in"),
        "waiting": _("waiting to sync"),
        "no_match": _("Nobody on this device's list matches."),
        "queued": _("{name}: checked in on this device, waiting to sync."),
        "already": _("{name} was already checked in."),
        "queued_code": _(
            "Code {code} is not on this device's list: "
            "it will be checked when the connection is back."
        ),
        "queued_walk_in": _("Walk-in {name}: saved on this device, waiting to sync."),
        "queued_form": _("Saved on this device: it will be sent when the connection is back."),
        "need_name": _("Enter a first name."),
        "forget_pending": _("Sync first: {count} check-ins on this device are not sent yet."),
        "forgotten": _("The attendee list is removed from this device."),
    }
    return {"slug": event.slug, "urls": urls, "strings": strings}


def _uuid(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        return None


def _checked_message(request: HttpRequest, record: RSVP, first: bool) -> None:
    name = record.person.full_name or record.checkin_code
    if first:
        messages.success(request, _("%(name)s is checked in.") % {"name": name})
    else:
        messages.info(request, _("%(name)s was already checked in.") % {"name": name})


# --- the device's JSON ----------------------------------------------------------------


@never_cache
@require_GET
def roster(request: HttpRequest, slug: str) -> JsonResponse:
    """Confirmed attendees for the device to search offline (no contact details, no needs)."""
    event = _event(request, slug)
    return JsonResponse(
        {
            "event": event.slug,
            "fetched_at": timezone.now().isoformat(),
            "attendees": checkin_services.device_roster(event=event, by=request.user),
            "counts": checkin_services.live_counts(event=event),
        }
    )


@never_cache
@require_GET
def counts(request: HttpRequest, slug: str) -> JsonResponse:
    """Live counts, and a fresh CSRF token for the next sync (the page may be hours old)."""
    event = _event(request, slug)
    return JsonResponse(
        {"counts": checkin_services.live_counts(event=event), "csrf_token": get_token(request)}
    )


@never_cache
@require_POST
def sync(request: HttpRequest, slug: str) -> JsonResponse:
    """Apply a device's queued check-ins: ``{"check_ins": [{client_uuid, rsvp_id | code,
    checked_at, method, walk_in: {given_name, family_name, email}}]}`` -> one result each."""
    event = _event(request, slug)
    try:
        payload = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": _("The request is not valid JSON.")}, status=400)
    raw_items = payload.get("check_ins") if isinstance(payload, dict) else None
    if not isinstance(raw_items, list):
        return JsonResponse({"error": _("Send a list of check-ins.")}, status=400)
    if len(raw_items) > checkin_services.MAX_SYNC_BATCH:
        return JsonResponse(
            {
                "error": _("Send at most %(count)d check-ins at a time.")
                % {"count": checkin_services.MAX_SYNC_BATCH}
            },
            status=400,
        )
    parsed = [_parse_item(raw) for raw in raw_items]
    valid = [item for item in parsed if isinstance(item, QueuedCheckIn)]
    applied = iter(checkin_services.sync_check_ins(event=event, items=valid, by=request.user))
    results = [
        (next(applied) if isinstance(item, QueuedCheckIn) else item).as_dict() for item in parsed
    ]
    return JsonResponse({"results": results, "counts": checkin_services.live_counts(event=event)})


def _parse_item(raw: Any) -> QueuedCheckIn | SyncResult:
    """Turn one queued check-in into typed values, or an error result naming the problem."""
    if not isinstance(raw, dict):
        return SyncResult("", "error", _("Each check-in must be an object."))
    client_uuid = _uuid(str(raw.get("client_uuid") or ""))
    label = str(raw.get("client_uuid") or "")[:64]
    if client_uuid is None:
        return SyncResult(label, "error", _("Each check-in needs a client UUID."))
    checked_at = _aware(raw.get("checked_at"))
    method = str(raw.get("method") or "list")
    walk_in = raw.get("walk_in")
    if walk_in is not None:
        if not isinstance(walk_in, dict) or not str(walk_in.get("given_name") or "").strip():
            return SyncResult(label, "error", _("A walk-in needs a first name."))
        fields = {
            name: str(walk_in.get(name) or "").strip()[:limit]
            for name, limit in WALK_IN_FIELDS.items()
        }
        if fields["email"] and not _looks_like_email(fields["email"]):
            return SyncResult(label, "error", _("Enter a valid email address."))
        return QueuedCheckIn(client_uuid, checked_at=checked_at, method="walk-in", walk_in=fields)
    rsvp_id = raw.get("rsvp_id")
    if rsvp_id not in (None, ""):
        if isinstance(rsvp_id, bool) or not str(rsvp_id).isdigit():
            return SyncResult(label, "error", _("The RSVP id must be a number."))
        return QueuedCheckIn(
            client_uuid, rsvp_id=int(str(rsvp_id)), checked_at=checked_at, method=method[:10]
        )
    code = str(raw.get("code") or "").strip()[:80]
    if not code:
        return SyncResult(label, "error", _("Give an RSVP id, a code or a walk-in."))
    return QueuedCheckIn(client_uuid, code=code, checked_at=checked_at, method=method[:10])


def _aware(raw: Any) -> dt.datetime | None:
    try:
        value = parse_datetime(str(raw)) if raw else None
    except ValueError:
        return None
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


def _looks_like_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


# --- the service worker ----------------------------------------------------------------


def _asset_version() -> str:
    """Changes when an asset changes (its URL, size or time), so the worker re-installs
    and drops the old copies; static names are not hashed here."""
    parts = ["1"]
    for name in OFFLINE_ASSETS:
        found = finders.find(name)
        stat = Path(found).stat() if isinstance(found, str) else None
        parts.append(f"{static(name)}:{stat.st_size}:{stat.st_mtime_ns}" if stat else static(name))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


@never_cache
@require_GET
def worker(request: HttpRequest, slug: str) -> HttpResponse:
    """The service worker, served under the check-in URL so its scope covers the page."""
    event = _event(request, slug)
    page_url = reverse("orga:event-checkin", kwargs={"slug": event.slug})
    assets = [static(name) for name in OFFLINE_ASSETS]
    response = render(
        request,
        "orga/events/checkin_worker.js",
        {
            "config_json": json.dumps(
                {
                    "slug": event.slug,
                    "page": page_url,
                    "assets": assets,
                    "store": static("actlocal/js/checkin-store.js"),
                    "version": _asset_version(),
                }
            )
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = page_url
    return response
