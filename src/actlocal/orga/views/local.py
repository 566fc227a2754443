"""Dashboard pages of local action: moderation queue, group management, huddle toolkit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actlocal.common.pagination import paginate
from actlocal.common.permissions import check_perm, perm_required
from actlocal.events.models import Event
from actlocal.local import selectors
from actlocal.local.forms import GroupMessageForm, ModerationForm, PledgeForm
from actlocal.local.models import LocalNetwork
from actlocal.local.services import LocalActionError
from actlocal.local.services.groups import send_group_message
from actlocal.local.services.moderation import approve_event, reject_event, request_changes
from actlocal.local.services.pledges import record_pledge


@perm_required("local.moderate")
def moderation_queue(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.moderation_queue(), per_page=25)
    return render(request, "orga/local/moderation.html", {"page": page, "form": ModerationForm()})


@require_POST
@perm_required("local.moderate")
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(selectors.moderation_queue(), pk=pk)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve, reject or ask for changes."))
        return redirect("orga:local-moderation")
    decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
    try:
        if decision == "approve":
            approve_event(event=event, by=request.user, note=note)
            messages.success(request, _("“%(title)s” is published.") % {"title": event.title})
        elif decision == "reject":
            reject_event(event=event, by=request.user, reason=note)
            messages.success(request, _("“%(title)s” was rejected.") % {"title": event.title})
        else:
            request_changes(event=event, by=request.user, note=note)
            messages.success(
                request, _("Changes requested for “%(title)s”.") % {"title": event.title}
            )
    except LocalActionError as error:
        messages.error(request, f"{event.title}: {error.message}")
    return redirect("orga:local-moderation")


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    networks = selectors.managed_networks(request.user)  # type: ignore[arg-type]
    return render(request, "orga/local/groups.html", {"page": paginate(request, networks)})


@login_required
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(LocalNetwork, slug=slug)
    check_perm(request, "local.manage_group", network, hide=True)
    form = GroupMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = send_group_message(
                network=network,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                by=request.user,
            )
        except LocalActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Message queued for %(n)s members.") % {"n": sent.recipient_count}
            )
            return redirect("orga:local-group", slug=slug)
    members = network.memberships.select_related("person").prefetch_related(
        "person__email_addresses"
    )
    return render(
        request,
        "orga/local/group.html",
        {
            "network": network,
            "form": form,
            "page": paginate(request, members),
            "sent": network.messages.all()[:10],
        },
    )


def _toolkit_event(request: HttpRequest, pk: int) -> Event:
    event = get_object_or_404(Event.objects.select_related("campaign"), pk=pk)
    check_perm(request, "local.use_toolkit", event, hide=True)
    return event


def _participants(event: Event) -> list[tuple[str, str]]:
    rsvps = event.rsvps.filter(status__in=["accepted", "attended"]).select_related("person")
    return [
        (str(r.person_id), str(r.person)) for r in rsvps.prefetch_related("person__email_addresses")
    ]


@login_required
def huddle_toolkit(request: HttpRequest, pk: int) -> HttpResponse:
    """Agenda, sign-in sheet link and the pledge form for one event's hosts."""
    event = _toolkit_event(request, pk)
    participants = _participants(event)
    form = PledgeForm(request.POST or None, participants=participants)
    if request.method == "POST" and form.is_valid():
        person = event.rsvps.get(person_id=int(form.cleaned_data["rsvp"])).person
        record_pledge(
            event=event,
            person=person,
            skills=PledgeForm.split(form.cleaned_data["skills"]),
            time_commitment=form.cleaned_data["time_commitment"],
            actions=PledgeForm.split(form.cleaned_data["actions"]),
            note=form.cleaned_data["note"],
            by=request.user,
        )
        messages.success(request, _("Pledge recorded for %(name)s.") % {"name": person})
        return redirect("orga:local-toolkit", pk=pk)
    pledges = event.pledges.select_related("person")
    return render(
        request,
        "orga/local/toolkit.html",
        {"event": event, "form": form, "pledges": pledges, "has_participants": bool(participants)},
    )


@login_required
def signin_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    event = _toolkit_event(request, pk)
    rsvps = (
        event.rsvps.filter(status__in=["accepted", "attended"])
        .select_related("person")
        .prefetch_related("person__email_addresses")
        .order_by("person__family_name", "person__given_name")
    )
    return render(
        request,
        "orga/local/signin_sheet.html",
        {"event": event, "rsvps": rsvps, "blank": range(15)},
    )
