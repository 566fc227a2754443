"""Who may see and change players of the network map."""

from __future__ import annotations

from typing import Any

import rules

from actlocal.accounts.rules import is_logged_in, is_network_staff


def administered_organization_ids(user: Any) -> set[int]:
    """Ids of organizations the user administers, with their chapters (one level down)."""
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, "_actlocal_admin_org_ids", None)
    if cached is not None:
        return set(cached)
    from actlocal.network.models import Organization

    direct = set(user.organization_admin_roles.values_list("organization_id", flat=True))
    chapters = set(Organization.objects.filter(parent_id__in=direct).values_list("id", flat=True))
    ids = direct | chapters
    user._actlocal_admin_org_ids = ids
    return set(ids)


@rules.predicate
def is_partner_admin(user: Any) -> bool:
    return bool(administered_organization_ids(user))


@rules.predicate
def is_organization_admin(user: Any, organization: Any) -> bool:
    if organization is None:
        return False
    return organization.pk in administered_organization_ids(user)


can_view_network_map = is_logged_in
can_edit_organization = is_network_staff | is_organization_admin
can_import_players = is_network_staff | is_partner_admin

rules.add_perm("network.view_map", can_view_network_map)
rules.add_perm("network.change_organization", can_edit_organization)
rules.add_perm("network.add_organization", is_network_staff | is_partner_admin)
rules.add_perm("network.delete_organization", is_network_staff)
rules.add_perm("network.import_players", can_import_players)
rules.add_perm("network.review_duplicates", is_network_staff)
rules.add_perm("network.export_players", is_network_staff | is_partner_admin)
