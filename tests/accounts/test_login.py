from __future__ import annotations

import pytest

from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_by_email_is_case_insensitive(client):
    UserFactory(email="leader@example.org")
    response = client.post(
        "/accounts/login/", {"username": "Leader@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/orga/"


def test_login_with_wrong_password_is_refused_with_a_message(client):
    UserFactory(email="leader@example.org")
    response = client.post("/accounts/login/", {"username": "leader@example.org", "password": "x"})
    assert response.status_code == 200
    assert b"Please enter a correct email address and password" in response.content
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_log_in(client):
    UserFactory(email="gone@example.org", is_active=False)
    response = client.post(
        "/accounts/login/", {"username": "gone@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_dashboard_requires_login(client):
    response = client.get("/orga/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/orga/")
