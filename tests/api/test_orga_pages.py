"""Dashboard pages for API keys and webhooks."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from actlocal.api.models import ApiKey, Webhook
from tests.api.conftest import api
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.api import make_key

pytestmark = pytest.mark.django_db


def logged_in(user: Any) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def test_partner_admin_creates_org_key_sees_token_once_and_it_works(partner: Any) -> None:
    client = logged_in(partner.user)
    response = client.post(
        "/orga/api/keys/", {"name": "CRM sync", "organization": partner.organization.pk}
    )
    assert response.status_code == 200
    token = response.context["token"]
    assert token in response.content.decode()
    key = ApiKey.objects.get()
    assert key.organization == partner.organization and key.token_hash != token
    assert api(token).get("/api/v2/people").status_code == 200
    listing = client.get("/orga/api/keys/").content.decode()
    assert "CRM sync" in listing and token not in listing


def test_partner_key_form_requires_an_organization(partner: Any) -> None:
    response = logged_in(partner.user).post("/orga/api/keys/", {"name": "No org"})
    assert response.status_code == 200
    assert response.context["form"].errors["organization"]
    assert not ApiKey.objects.exists()


def test_revoke_asks_for_confirmation_then_key_stops_working(staff_user: Any) -> None:
    key, token = make_key(staff_user)
    client = logged_in(staff_user)
    confirm = client.get(f"/orga/api/keys/{key.pk}/revoke/")
    assert "cannot be undone" in confirm.content.decode()
    assert api(token).get("/api/v2").status_code == 200
    client.post(f"/orga/api/keys/{key.pk}/revoke/")
    assert api(token).get("/api/v2").status_code == 401


def test_someone_elses_key_is_404_to_a_partner(partner: Any, staff_user: Any) -> None:
    key, _token = make_key(staff_user)
    response = logged_in(partner.user).post(f"/orga/api/keys/{key.pk}/revoke/")
    assert response.status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None


def test_plain_user_cannot_manage_keys_or_webhooks() -> None:
    client = logged_in(UserFactory(email="plain@example.org"))
    assert client.get("/orga/api/keys/").status_code == 403
    assert client.get("/orga/api/webhooks/").status_code == 403


def test_staff_adds_webhook_and_sees_delivery_log(staff_user: Any) -> None:
    client = logged_in(staff_user)
    response = client.post(
        "/orga/api/webhooks/",
        {"name": "CRM", "url": "https://crm.example.org/hook", "event_types": ["person.created"]},
    )
    hook = Webhook.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{hook.pk}/")
    page = client.get(f"/orga/api/webhooks/{hook.pk}/").content.decode()
    assert "Delivery log" in page and "Nothing delivered yet." in page
    client.post(f"/orga/api/webhooks/{hook.pk}/toggle/")
    hook.refresh_from_db()
    assert not hook.is_active
    client.post(f"/orga/api/webhooks/{hook.pk}/delete/")
    assert not Webhook.objects.exists()


def test_webhook_form_names_bad_fields(staff_user: Any) -> None:
    response = logged_in(staff_user).post("/orga/api/webhooks/", {"name": "x", "url": "nope"})
    errors = response.context["form"].errors
    assert "url" in errors and "event_types" in errors
    assert not Webhook.objects.exists()


def test_dashboard_shows_api_panel_to_staff(staff_user: Any) -> None:
    page = logged_in(staff_user).get("/orga/").content.decode()
    assert "API and webhooks" in page


def test_api_docs_render_with_local_assets_only(client: Any) -> None:
    page = client.get("/api/docs/").content.decode()
    assert "redoc" in page.lower()
    assert "cdn" not in page.lower() and "https://" not in page.split("<body")[0]
    assert client.get("/api/schema/").status_code == 200
