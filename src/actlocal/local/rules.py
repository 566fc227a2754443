"""Who moderates hosted events, runs a group, and uses an event's huddle toolkit."""

from __future__ import annotations

from typing import Any

import rules

from actlocal.accounts.rules import is_network_staff
from actlocal.events.rules import is_event_host


def _organized_network_ids(user: Any) -> set[int]:
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, "_actlocal_guide_of", None)
    if cached is None:
        from actlocal.local.models import GroupMembership

        cached = set(
            GroupMembership.objects.filter(person__user=user, role="organizer").values_list(
                "network_id", flat=True
            )
        )
        user._actlocal_guide_of = cached
    return set(cached)


@rules.predicate
def is_guide(user: Any) -> bool:
    """Organizers of a local action network act as guides for hosted events."""
    return bool(_organized_network_ids(user))


@rules.predicate
def is_group_organizer(user: Any, network: Any) -> bool:
    return network is not None and network.pk in _organized_network_ids(user)


can_moderate = is_network_staff | is_guide
can_manage_group = is_network_staff | is_group_organizer

rules.add_perm("local.moderate", can_moderate)
rules.add_perm("local.manage_group", can_manage_group)
rules.add_perm("local.use_toolkit", is_network_staff | is_event_host)
