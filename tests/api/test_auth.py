from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command

from actlocal.api.models import ApiKey
from actlocal.api.services import revoke_api_key
from actlocal.common.models import AuditEntry
from tests.api.conftest import api
from tests.factories.accounts import UserFactory
from tests.factories.api import make_key
from tests.factories.network import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_missing_token_answers_401_with_osdi_challenge(client: Any) -> None:
    response = client.get("/api/v2/people")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "OSDI-API-Token"
    assert "error" in response.json()


def test_bad_token_answers_401() -> None:
    response = api("al_not-a-real-token").get("/api/v2/people")
    assert response.status_code == 401


def test_revoked_key_answers_401(staff_user: Any) -> None:
    key, token = make_key(staff_user)
    revoke_api_key(key=key)
    assert api(token).get("/api/v2/people").status_code == 401


def test_key_without_any_scope_answers_403() -> None:
    _key, token = make_key(UserFactory(email="nobody@example.org"))
    response = api(token).get("/api/v2/people")
    assert response.status_code == 403
    assert "scope" in response.json()["error"]


def test_read_only_key_cannot_write(staff_user: Any) -> None:
    _key, token = make_key(staff_user, read_only=True)
    client = api(token)
    assert client.get("/api/v2/people").status_code == 200
    response = client.post(
        "/api/v2/people", {"person": {"email_addresses": [{"address": "a@b.org"}]}}
    )
    assert response.status_code == 403
    assert "read-only" in response.json()["error"]


def test_key_is_stored_hashed_and_last_use_recorded(staff_user: Any) -> None:
    key, token = make_key(staff_user)
    assert token not in key.token_hash and key.token_hash == ApiKey.hash_token(token)
    api(token).get("/api/v2")
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_api_change_is_attributed_to_key_owner_and_key_name(staff_user: Any) -> None:
    _key, token = make_key(staff_user, name="nightly sync")
    api(token).post("/api/v2/people", {"person": {"email_addresses": [{"address": "new@x.org"}]}})
    entry = AuditEntry.objects.get(action="person.created")
    assert entry.actor == staff_user
    assert entry.via == "api:nightly sync"


def test_create_api_key_command_prints_a_working_network_wide_token(
    staff_user: Any, capsys: Any
) -> None:
    call_command("create_api_key", "--user", staff_user.email, "--name", "cli key")
    token = capsys.readouterr().out.strip()
    key = ApiKey.objects.get(token_hash=ApiKey.hash_token(token))
    assert key.name == "cli key" and not key.read_only and key.organization is None
    client = api(token)
    assert client.get("/api/v2/people").status_code == 200
    created = client.post(
        "/api/v2/people", {"person": {"email_addresses": [{"address": "cli@x.org"}]}}
    )
    assert created.status_code == 201


def test_create_api_key_command_refuses_organization_the_user_does_not_administer(
    capsys: Any,
) -> None:
    user = UserFactory(email="outsider@example.org")
    OrganizationFactory(slug="elsewhere")
    with pytest.raises(CommandError, match="does not administer"):
        call_command("create_api_key", "--user", user.email, "--organization", "elsewhere")
    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_key", "--user", "ghost@example.org")
    assert not ApiKey.objects.exists()
