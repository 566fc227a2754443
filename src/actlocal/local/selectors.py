"""Reads for local action. Everything public here is public by status and visibility."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from actlocal.accounts.models import User
from actlocal.events.models import Campaign, Event
from actlocal.local.models import GroupMembership, LocalNetwork


def open_campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.filter(is_open_for_hosting=True, is_public=True).order_by("name")


def public_campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.filter(is_public=True, events__visibility="public").distinct()


def moderation_queue() -> QuerySet[Event]:
    return (
        Event.objects.filter(
            status__in=[Event.Status.PENDING, Event.Status.CHANGES_REQUESTED],
            visibility=Event.Visibility.PUBLIC,
        )
        .select_related("campaign", "hosting")
        .order_by("starts_at", "id")
    )


def public_networks() -> QuerySet[LocalNetwork]:
    return LocalNetwork.objects.filter(is_public=True).annotate(
        member_count=Count("memberships", filter=Q(memberships__unsubscribed_at__isnull=True))
    )


def managed_networks(user: User) -> QuerySet[LocalNetwork]:
    qs = LocalNetwork.objects.annotate(member_count=Count("memberships"))
    if getattr(user, "is_staff", False):
        return qs
    return qs.filter(memberships__person__user=user, memberships__role="organizer").distinct()


def upcoming_events_near_network(network: LocalNetwork, *, radius_miles: float = 10) -> list[Event]:
    """Public upcoming events within a few miles of the group's place."""
    from actlocal.events.nearby import filtered_events, hits_near_point, load_events

    if network.latitude is None or network.longitude is None:
        return []
    hits = hits_near_point(
        latitude=network.latitude,
        longitude=network.longitude,
        radius_miles=radius_miles,
        queryset=filtered_events(),
    )
    ordered = sorted(load_events(hits[:50]), key=lambda pair: (pair[0].starts_at, pair[1]))
    return [event for event, _distance in ordered][:10]


def organizers_of(network: LocalNetwork) -> QuerySet[GroupMembership]:
    return network.memberships.filter(role="organizer").select_related("person")
