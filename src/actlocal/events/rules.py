"""Who may see and run events. Invite-only events are visible to invitees, hosts and staff."""

from __future__ import annotations

from typing import Any

import rules

from actlocal.accounts.rules import is_logged_in, is_network_staff


def _host_roles(user: Any) -> dict[int, str]:
    if user is None or not user.is_authenticated:
        return {}
    cached = getattr(user, "_actlocal_host_roles", None)
    if cached is None:
        cached = dict(user.event_host_roles.values_list("event_id", "role"))
        user._actlocal_host_roles = cached
    return dict(cached)


def hosted_event_ids(user: Any) -> set[int]:
    return set(_host_roles(user))


@rules.predicate
def is_event_host(user: Any, event: Any) -> bool:
    return event is not None and event.pk in _host_roles(user)


@rules.predicate
def is_lead_host(user: Any, event: Any) -> bool:
    return event is not None and _host_roles(user).get(event.pk) == "lead"


@rules.predicate
def is_agenda_editor(user: Any, event: Any) -> bool:
    return event is not None and _host_roles(user).get(event.pk) in {"lead", "agenda"}


@rules.predicate
def is_any_host(user: Any) -> bool:
    return bool(_host_roles(user))


@rules.predicate
def is_campaign_host(user: Any, campaign: Any) -> bool:
    """On the host committee of at least one event of the campaign."""
    roles = _host_roles(user)
    if campaign is None or not roles:
        return False
    return bool(campaign.events.filter(pk__in=list(roles)).exists())


@rules.predicate
def is_public_listed(user: Any, event: Any) -> bool:
    return (
        event is not None
        and event.visibility == "public"
        and event.status in {"published", "completed", "cancelled"}
    )


@rules.predicate
def is_invited(user: Any, event: Any) -> bool:
    """The user's person record has an RSVP or a (not revoked) invitation for the event."""
    if event is None or user is None or not user.is_authenticated:
        return False
    try:
        person = user.person
    except Exception:  # no Person linked to this account
        return False
    if person is None:
        return False
    if event.invitations.filter(person=person).exclude(status="revoked").exists():
        return True
    return bool(event.rsvps.filter(person=person).exists())


@rules.predicate
def is_partner_admin(user: Any) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return bool(user.organization_admin_roles.exists())


can_view_event = is_public_listed | is_network_staff | is_event_host | is_invited
can_change_event = is_network_staff | is_lead_host
can_edit_agenda = is_network_staff | is_agenda_editor
can_see_attendees = is_network_staff | is_event_host
can_check_in = is_network_staff | is_event_host
can_invite = is_network_staff | is_lead_host

rules.add_perm("events.view_event", can_view_event)
rules.add_perm("events.change_event", can_change_event)
rules.add_perm("events.edit_agenda", can_edit_agenda)
rules.add_perm("events.view_attendees", can_see_attendees)
rules.add_perm("events.check_in", can_check_in)
rules.add_perm("events.invite", can_invite)
rules.add_perm("events.nominate", is_network_staff | is_partner_admin)
rules.add_perm("events.add_campaign", is_network_staff)
rules.add_perm("events.change_campaign", is_network_staff)
rules.add_perm("events.view_campaign_documents", is_network_staff | is_campaign_host)
rules.add_perm("events.manage_campaign_documents", is_network_staff)
rules.add_perm("events.moderate", is_network_staff)
rules.add_perm("events.host_dashboard", is_logged_in)
