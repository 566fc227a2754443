"""Browser flow: a partner admin creates an API key, copies it once, and revokes it."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.conftest import login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.network import OrganizationAdminFactory, OrganizationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_partner_creates_uses_and_revokes_an_api_key(page: Any, live_server: Any) -> None:
    admin = OrganizationAdminFactory(
        organization=OrganizationFactory(name="Riverside Tenants"),
        user=UserFactory(email="keys@example.org"),
    )
    login(page, admin.user.email, PASSWORD)
    page.goto("/orga/api/keys/")
    assert page.get_by_text("No API keys yet").is_visible()
    page.get_by_label("Name").fill("CRM sync")
    page.get_by_label("Limit to organization").select_option(label="Riverside Tenants")
    page.get_by_role("button", name="Create key").click()
    token = page.get_by_label("Key “CRM sync”").input_value()
    assert token.startswith("al_")
    url = f"{live_server.url}/api/v2/people"
    assert requests.get(url, headers={"OSDI-API-Token": token}, timeout=10).status_code == 200

    page.get_by_role("link", name="Back to API keys").click()
    page.get_by_role("link", name="Revoke").click()
    page.get_by_role("button", name="Revoke key").click()
    assert page.get_by_text("Key “CRM sync” revoked.").is_visible()
    assert requests.get(url, headers={"OSDI-API-Token": token}, timeout=10).status_code == 401
