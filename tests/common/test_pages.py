"""Base UI: friendly error pages, the language switch, the public layout."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_unknown_page_gets_a_friendly_404_with_the_path_rendered_inert(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page-<script>/")
    assert response.status_code == 404
    assert b"We could not find that page" in response.content
    assert b"<script>" not in response.content


def test_forbidden_page_gets_a_friendly_403(client):
    from tests.factories.accounts import UserFactory

    client.force_login(UserFactory())
    response = client.get("/orga/audit/")
    assert response.status_code == 403
    assert b"You do not have access to this page" in response.content


def test_server_error_gets_a_friendly_500_without_details(settings):
    from django.urls import path

    def boom(request):
        raise RuntimeError("secret internal detail")

    settings.ROOT_URLCONF = type(
        "urls",
        (),
        {"urlpatterns": [path("boom/", boom)], "handler500": "actlocal.common.views.server_error"},
    )
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"secret internal detail" not in response.content


def test_language_switch_shows_public_pages_in_spanish(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    assert page.status_code == 200
    assert 'lang="es"' in page.content.decode()
    assert "Encuentra un evento cerca de ti" in page.content.decode()


def test_forms_have_labels_for_every_input(client):
    page = client.get("/accounts/login/").content.decode()
    assert '<label for="id_username">' in page
    assert '<label for="id_password">' in page
    assert 'class="skip-link"' in page
