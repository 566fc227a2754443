"""API test helpers: a client that sends the OSDI-API-Token header of a real key."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from tests.factories.accounts import UserFactory
from tests.factories.api import make_key
from tests.factories.network import OrganizationAdminFactory, OrganizationFactory


@dataclass
class OsdiClient:
    client: Client
    token: str

    def _headers(self) -> dict[str, str]:
        return {"HTTP_OSDI_API_TOKEN": self.token} if self.token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, **self._headers())

    def post(self, path: str, body: Any, content_type: str = "application/json") -> Any:
        return self.client.post(
            path, json.dumps(body), content_type=content_type, **self._headers()
        )

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(
            path, json.dumps(body), content_type="application/json", **self._headers()
        )

    def delete(self, path: str) -> Any:
        return self.client.delete(path, **self._headers())


@pytest.fixture
def staff_api(staff_user: Any) -> OsdiClient:
    _key, token = make_key(staff_user, name="staff sync")
    return OsdiClient(Client(), token)


@pytest.fixture
def partner(db: Any) -> Any:
    return OrganizationAdminFactory(
        organization=OrganizationFactory(name="Riverside Tenants", slug="riverside"),
        user=UserFactory(email="partner@example.org"),
    )


@pytest.fixture
def partner_api(partner: Any) -> OsdiClient:
    _key, token = make_key(partner.user, name="partner sync")
    return OsdiClient(Client(), token)


def api(token: str) -> OsdiClient:
    return OsdiClient(Client(), token)
