"""Who may manage API keys and webhooks."""

from __future__ import annotations

from typing import Any

import rules

from actlocal.accounts.rules import is_network_staff
from actlocal.network.rules import is_partner_admin


@rules.predicate
def owns_key(user: Any, key: Any) -> bool:
    return key is not None and getattr(user, "pk", None) == key.user_id


rules.add_perm("api.manage_keys", is_network_staff | is_partner_admin)
rules.add_perm("api.revoke_key", is_network_staff | owns_key)
rules.add_perm("api.manage_webhooks", is_network_staff)
