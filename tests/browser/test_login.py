from __future__ import annotations

import pytest

from tests.conftest import login
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_logs_in_through_the_login_page_and_sees_the_dashboard(page):
    UserFactory(email="rosa@example.org", full_name="Rosa Example", is_staff=True)
    login(page, "rosa@example.org", PASSWORD)
    assert page.url.endswith("/orga/")
    assert page.get_by_role("heading", name="Welcome, Rosa").is_visible()
    assert page.get_by_role("link", name="Audit log").is_visible()


def test_wrong_password_shows_an_error_and_stays_logged_out(page):
    UserFactory(email="rosa@example.org")
    login(page, "rosa@example.org", "not-the-password")
    assert "/accounts/login/" in page.url
    assert page.get_by_role("alert").first.is_visible()
