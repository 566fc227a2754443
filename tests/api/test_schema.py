"""The OpenAPI schema against real requests: schemathesis with pinned checks and phases."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance

from actlocal.wsgi import application
from tests.factories.api import make_key
from tests.factories.events import EventFactory
from tests.factories.people import FormFactory, PersonFactory, PersonListFactory, TagFactory

# Bounded for CI: fuzzing only (no coverage/stateful phases), 25 examples per operation,
# and only the two checks the contract asks for.
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"max-examples": 25, "database": "none"},
        "phases": {
            "examples": {"enabled": False},
            "coverage": {"enabled": False},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
        "checks": {
            "enabled": False,
            "not_a_server_error": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
        },
    }
)


# The schema is read once at collection (no database needed to generate it).
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=CONFIG)


@pytest.fixture(autouse=True)
def _keep_test_connection(db: Any) -> Iterator[None]:
    # Like Django's test client: keep the test's connection open across WSGI requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(staff_user: Any) -> str:
    PersonFactory()
    TagFactory()
    PersonListFactory()
    FormFactory()
    EventFactory()
    return make_key(staff_user, name="fuzz")[1]


@schema.parametrize()
@settings(
    deadline=None,
    # One database state per operation is shared by its examples on purpose.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_answers_every_generated_request_without_5xx_or_schema_violation(
    case: Any, token: str
) -> None:
    case.call_and_validate(
        headers={"OSDI-API-Token": token},
        checks=[not_a_server_error, response_schema_conformance],
    )
