"""Account-level predicates shared by every app's rules."""

from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def is_network_staff(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


@rules.predicate
def is_logged_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


rules.add_perm("accounts.invite_user", is_network_staff)
rules.add_perm("accounts.view_audit_log", is_network_staff)
rules.add_perm("accounts.view_outbox", is_network_staff)
rules.add_perm("accounts.use_dashboard", is_logged_in)
