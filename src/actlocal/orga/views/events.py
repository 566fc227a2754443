"""Organizer pages of convenings. Hosts see only their events; others get 404."""

from __future__ import annotations

import contextlib
import csv
import io
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actlocal.accounts.models import User
from actlocal.common.audit import log_action
from actlocal.common.exports import safe_cell
from actlocal.common.pagination import paginate
from actlocal.common.permissions import check_perm
from actlocal.events import selectors
from actlocal.events.forms import (
    ConflictRulesForm,
    EventForm,
    HostForm,
    InviteByEmailForm,
    InviteFromMapForm,
    NominationForm,
    SessionForm,
)
from actlocal.events.models import Campaign, Event, EventHost, Invitation, Nomination
from actlocal.events.services import EventsError
from actlocal.events.services import agenda as agenda_services
from actlocal.events.services import campaigns as campaign_services
from actlocal.events.services import events as event_services
from actlocal.events.services import invitations as invitation_services
from actlocal.network.models import OrganizationAdmin
from actlocal.people.models import EmailAddress, Person
from actlocal.people.services import upsert_person


def _event(request: HttpRequest, slug: str, perm: str = "events.view_attendees") -> Event:
    event = get_object_or_404(Event.objects.select_related("campaign"), slug=slug)
    check_perm(request, "events.view_attendees", event, hide=True)
    if perm != "events.view_attendees":
        check_perm(request, perm, event)
    return event


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    events = selectors.hosted_events(user=request.user).order_by("starts_at", "id")
    campaigns = Campaign.objects.filter(events__in=events).distinct()
    return render(
        request,
        "orga/events/list.html",
        {"page": paginate(request, events), "campaigns": campaigns},
    )


def _chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Bars per city for an inline SVG (no script, no CDN)."""
    top = max([max(r["accepted"], r["invited"], r["waitlisted"]) for r in rows] + [1])
    bar_h, gap, width = 14, 10, 420
    bars = []
    for i, r in enumerate(rows):
        y = i * (2 * bar_h + gap)
        bars.append(
            {
                "y": y,
                "y2": y + bar_h,
                "label_y": y + bar_h + 3,
                "city": r["city"],
                "invited_w": round(width * r["invited"] / top),
                "accepted_w": round(width * r["accepted"] / top),
                "checked_w": round(width * r["checked_in"] / top),
                "row": r,
            }
        )
    return {"bars": bars, "height": len(rows) * (2 * bar_h + gap) + 10, "bar_h": bar_h}


@login_required
def campaign_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign, slug=slug)
    rows = selectors.campaign_dashboard(campaign=campaign, viewer=request.user)
    if not rows and not request.user.has_perm("events.change_campaign"):
        return render(request, "errors/404.html", status=404)
    totals = {
        key: sum(r[key] for r in rows)
        for key in ("invited", "accepted", "waitlisted", "declined", "checked_in", "with_needs")
    }
    totals["capacity"] = sum(r["capacity"] or 0 for r in rows)
    return render(
        request,
        "orga/events/campaign.html",
        {"campaign": campaign, "rows": rows, "totals": totals, "chart": _chart(rows)},
    )


@login_required
def event_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff add a city event to a campaign; the chosen lead host gets the event."""
    campaign = get_object_or_404(Campaign.objects.select_related("template_event"), slug=slug)
    check_perm(request, "events.change_campaign")
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and not data.get("timezone"):
        # No zone chosen: the campaign's, else the one of the event's ZIP code.
        data["timezone"] = campaign_services.timezone_for(
            campaign=campaign, zip_code=data.get("zip_code", "")
        )
    form = EventForm(data, initial=campaign_services.new_event_initial(campaign=campaign))
    if data is not None:
        with contextlib.suppress(Exception):
            timezone.activate(ZoneInfo(str(data["timezone"])))
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                event = campaign_services.create_campaign_event(
                    campaign=campaign,
                    by=request.user,
                    copy_agenda=bool(data.get("copy_agenda")),
                    **fields,
                )
            except EventsError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Event created. Add its host committee next."))
                return redirect("orga:event-hosts", slug=event.slug)
    return render(request, "orga/events/create.html", {"campaign": campaign, "form": form})


@login_required
def nominate(request: HttpRequest, slug: str) -> HttpResponse:
    """Partners suggest leaders for a campaign's city invite lists; hosts decide.

    The answer is the same whether or not there is an event in that place: the form
    must not reveal invite-only events.
    """
    campaign = get_object_or_404(Campaign, slug=slug, kind=Campaign.Kind.CONVENING)
    check_perm(request, "events.nominate")
    form = NominationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person, _created = upsert_person(
            email=data["email"],
            fields={"given_name": data["given_name"], "family_name": data["family_name"]},
            source="nomination",
            by=request.user,
            overwrite=False,
        )
        admin_role = (
            OrganizationAdmin.objects.filter(user_id=request.user.pk or 0)
            .select_related("organization")
            .first()
        )
        invitation_services.nominate_for_campaign(
            campaign=campaign,
            person=person,
            state=data["state"],
            city=data["city"],
            by=request.user,
            organization=admin_role.organization if admin_role else None,
            reason=data["reason"],
        )
        messages.success(
            request,
            _("Thank you: %(name)s is nominated. The local host committee decides on invitations.")
            % {"name": person.full_name},
        )
        return redirect("orga:campaign-nominate", slug=slug)
    return render(request, "orga/events/nominate.html", {"campaign": campaign, "form": form})


@login_required
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    query = request.GET.get("q", "").strip()
    attendees = selectors.attendees(event=event)
    if query:
        attendees = attendees.filter(
            Q(person__given_name__icontains=query) | Q(person__family_name__icontains=query)
        )
    return render(
        request,
        "orga/events/detail.html",
        {
            "event": event,
            "counts": selectors.rsvp_counts(event=event),
            "needs": selectors.needs_summary(event=event),
            "page": paginate(request, attendees),
            "waitlist": list(selectors.waitlist(event=event)[:200]),
            "query": query,
            "can_change": request.user.has_perm("events.change_event", event),
        },
    )


@login_required
def attendees_export(request: HttpRequest, slug: str) -> HttpResponse:
    """Registered vs attended, with needs, as CSV for the hosts; a personal-data export."""
    event = _event(request, slug)
    rows = selectors.attendee_export_rows(event=event)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(selectors.ATTENDEE_EXPORT_HEADERS)
    writer.writerows([[safe_cell(cell) for cell in row] for row in rows])
    log_action(
        "attendees.exported",
        obj=event,
        data={"rows": len(rows), "format": "csv"},
        actor=request.user,
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-attendees.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug, "events.change_event")
    timezone.activate(ZoneInfo(event.timezone))
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            event_services.update_event(event=event, by=request.user, **fields)
        except EventsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Event saved."))
            return redirect("orga:event", slug=event.slug)
    return render(request, "orga/events/edit.html", {"event": event, "form": form})


@login_required
@require_POST
def event_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug, "events.change_event")
    event_services.cancel_event(
        event=event, by=request.user, reason=request.POST.get("reason", "")[:1000]
    )
    messages.success(request, _("The event is cancelled; everyone who RSVPed is being emailed."))
    return redirect("orga:event", slug=event.slug)


@login_required
def event_hosts(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    can_change = request.user.has_perm("events.change_event", event)
    form = HostForm(request.POST or None)
    if request.method == "POST":
        check_perm(request, "events.change_event", event)
        if "remove" in request.POST:
            host = get_object_or_404(EventHost, pk=request.POST["remove"], event=event)
            event_services.remove_host(host=host, by=request.user)
            messages.success(request, _("Host removed."))
            return redirect("orga:event-hosts", slug=slug)
        if form.is_valid():
            user = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
            if user is None:
                form.add_error(
                    "email", _("No account uses this email. Invite them to an account first.")
                )
            else:
                event_services.add_host(
                    event=event, user=user, role=form.cleaned_data["role"], by=request.user
                )
                messages.success(request, _("Host added."))
                return redirect("orga:event-hosts", slug=slug)
    hosts = event.hosts.select_related("user").order_by("role", "user__email")
    return render(
        request,
        "orga/events/hosts.html",
        {"event": event, "hosts": hosts, "form": form, "can_change": can_change},
    )


@login_required
def agenda_editor(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    timezone.activate(ZoneInfo(event.timezone))  # form times are in the event's zone
    can_edit = request.user.has_perm("events.edit_agenda", event)
    edit_id = request.GET.get("edit", "")
    editing = event.sessions.filter(pk=edit_id).first() if edit_id.isdigit() else None
    rules_form = ConflictRulesForm(
        initial={
            "room_conflicts": event.room_conflicts,
            "facilitator_conflicts": event.facilitator_conflicts,
        }
    )
    if request.method == "POST" and request.POST.get("action") == "rules":
        check_perm(request, "events.edit_agenda", event)
        rules_form = ConflictRulesForm(request.POST)
        if rules_form.is_valid():
            agenda_services.set_conflict_rules(
                event=event,
                room=rules_form.cleaned_data["room_conflicts"],
                facilitator=rules_form.cleaned_data["facilitator_conflicts"],
                by=request.user,
            )
            messages.success(request, _("Conflict rules saved."))
            return redirect("orga:event-agenda", slug=slug)
    form = SessionForm(
        (request.POST or None) if request.POST.get("action") != "rules" else None,
        instance=editing,
        initial=_session_initial(editing),
    )
    if request.method == "POST" and request.POST.get("action") != "rules":
        check_perm(request, "events.edit_agenda", event)
        if form.is_valid():
            emails = form.emails()
            people = list(Person.objects.filter(email_addresses__address__in=emails).distinct())
            known = set(
                EmailAddress.objects.filter(address__in=emails).values_list("address", flat=True)
            )
            missing = [e for e in emails if e not in known]
            if missing:
                form.add_error(
                    "facilitator_emails",
                    _("No person in the network has the email %(emails)s.")
                    % {"emails": ", ".join(missing)},
                )
            else:
                data = {k: form.cleaned_data[k] for k in form.Meta.fields}
                try:
                    agenda_services.save_session(
                        event=event,
                        session=editing,
                        by=request.user,
                        track_name=form.cleaned_data["track_name"],
                        room_name=form.cleaned_data["room_name"],
                        facilitators=people,
                        topics=form.topics(),
                        **data,
                    )
                except EventsError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(
                        request, _("Session saved.") if editing else _("Session added.")
                    )
                    return redirect("orga:event-agenda", slug=slug)
    return render(
        request,
        "orga/events/agenda.html",
        {
            "event": event,
            "sessions": list(selectors.agenda(event=event)),
            "conflicts": agenda_services.conflicts(event=event),
            "form": form,
            "rules_form": rules_form,
            "can_edit": can_edit,
            "editing": editing,
        },
    )


def _session_initial(session: Any) -> dict[str, Any]:
    if session is None:
        return {}
    return {
        "track_name": session.track.name if session.track else "",
        "room_name": session.room.name if session.room else "",
        "facilitator_emails": "\n".join(
            f.person.primary_email for f in session.facilitators.all() if f.person
        ),
        "topics_text": ", ".join(session.topics),
    }


@login_required
@require_POST
def session_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug, "events.edit_agenda")
    session = get_object_or_404(event.sessions, pk=pk)
    agenda_services.delete_session(session=session, by=request.user)
    messages.success(request, _("Session deleted."))
    return redirect("orga:event-agenda", slug=slug)


def _parse_email_lines(raw: str) -> tuple[list[tuple[str, str, str]], list[str]]:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    rows, errors = [], []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace(";", ",").split(",")]
        email = parts[0].lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("Line %(n)s: “%(email)s” is not an email address.")
                % {"n": number, "email": parts[0]}
            )
            continue
        rows.append((email, parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else ""))
    return rows, errors


@login_required
def invitations(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    can_invite = request.user.has_perm("events.invite", event)
    email_form = InviteByEmailForm(request.POST if "emails" in request.POST else None)
    map_form = InviteFromMapForm(request.POST if "from_map" in request.POST else None)
    if request.method == "POST":
        check_perm(request, "events.invite", event)
        response = _handle_invitation_post(request, event, email_form, map_form)
        if response is not None:
            return response
    invites = (
        Invitation.objects.filter(event=event)
        .select_related("person")
        .prefetch_related("person__email_addresses")
        .order_by("-created_at", "-id")
    )
    nominations = (
        Nomination.objects.filter(event=event, status=Nomination.Status.PENDING)
        .select_related("person", "organization")
        .order_by("created_at")
    )
    return render(
        request,
        "orga/events/invitations.html",
        {
            "event": event,
            "page": paginate(request, invites),
            "email_form": email_form,
            "map_form": map_form,
            "nominations": nominations,
            "can_invite": can_invite,
        },
    )


def _handle_invitation_post(
    request: HttpRequest,
    event: Event,
    email_form: InviteByEmailForm,
    map_form: InviteFromMapForm,
) -> HttpResponse | None:
    here = redirect("orga:event-invitations", slug=event.slug)
    try:
        if "resend" in request.POST:
            found = get_object_or_404(Invitation, pk=request.POST["resend"], event=event)
            invitation_services.send_invitation(
                invitation=found, by=request.user, reminder=found.status == "sent"
            )
            messages.success(request, _("Invitation sent again."))
            return here
        if "nomination" in request.POST:
            nomination = get_object_or_404(Nomination, pk=request.POST["nomination"], event=event)
            approve = request.POST.get("decision") == "approve"
            invitation_services.decide_nomination(
                nomination=nomination, approve=approve, by=request.user
            )
            messages.success(request, _("Nomination approved.") if approve else _("Rejected."))
            return here
    except EventsError as exc:
        messages.error(request, exc.message)
        return here
    if "emails" in request.POST and email_form.is_valid():
        rows, errors = _parse_email_lines(email_form.cleaned_data["emails"])
        if errors:
            for error in errors:
                email_form.add_error("emails", error)
            return None
        people = [
            upsert_person(
                email=email,
                fields={"given_name": given, "family_name": family},
                source="invitation",
                by=request.user,
                overwrite=False,
            )[0]
            for email, given, family in rows
        ]
        made = invitation_services.invite_people(
            event=event,
            people=people,
            by=request.user,
            source="emails",
            send=email_form.cleaned_data["send_now"],
        )
        messages.success(request, _("%(n)s people invited.") % {"n": len(made)})
        return here
    if "from_map" in request.POST and map_form.is_valid():
        people = _people_from_map(event, map_form.cleaned_data)
        if not people:
            map_form.add_error(None, _("No leaders with an email match these filters."))
            return None
        made = invitation_services.invite_people(
            event=event,
            people=people,
            by=request.user,
            source="map",
            send=map_form.cleaned_data["send_now"],
        )
        messages.success(request, _("%(n)s people invited.") % {"n": len(made)})
        return here
    return None


def _people_from_map(event: Event, filters: dict[str, Any]) -> list[Person]:
    """Leaders of network organizations matching kind / issue area / name, in the event's state."""
    people = Person.objects.filter(email_addresses__isnull=False)
    org_filter = Q()
    if filters.get("kind"):
        org_filter &= Q(memberships__organization__kind=filters["kind"])
    if filters.get("issue_area"):
        org_filter &= Q(
            memberships__organization__issue_areas__name__icontains=filters["issue_area"]
        )
    if filters.get("organization"):
        org_filter &= Q(memberships__organization__name__icontains=filters["organization"])
    if not org_filter:
        return []
    return list(people.filter(org_filter).distinct()[:500])
