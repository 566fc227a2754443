"""An anonymous visitor opens the network map with no tile server: the public map draws
the state outlines from our own static files, clusters the public players and hides the rest."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from tests.conftest import login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.network import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_map_without_tiles_shows_outlines_markers_and_only_public_players(
    page: Any, live_server: Any, settings: Any
) -> None:
    settings.ACTLOCAL_TILE_URL = ""
    OrganizationFactory(name="Open Door Alliance", listed_publicly=True)
    OrganizationFactory(name="Logan Circle Neighbors", listed_publicly=True)
    OrganizationFactory(
        name="Lakefront Tenants",
        listed_publicly=True,
        city="Chicago",
        state="IL",
        zip_code="60601",
        latitude=41.886,
        longitude=-87.618,
    )
    OrganizationFactory(name="Quiet Hidden Collective")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto("/map/")
    assert page.url.startswith(f"{live_server.url}/map/public/")
    the_map = page.locator("#network-map")
    page.wait_for_function(
        "() => Number(document.getElementById('network-map').dataset.outlines) >= 50"
    )
    assert page.locator(".leaflet-state-outlines-pane path").count() >= 1
    page.wait_for_function("() => document.getElementById('network-map').dataset.markers")
    assert the_map.get_attribute("data-markers") == "2"  # a DC cluster of 2 and Chicago
    assert page.locator(".cluster-icon").inner_text() == "2"
    assert page.locator("#map-status").inner_text().startswith("3 ")
    assert page.locator(".leaflet-tile").count() == 0
    assert all(url.startswith(live_server.url) for url in requests), requests

    listing = page.locator("#public-players")
    assert listing.get_by_role("link").count() == 3
    assert page.get_by_text("Quiet Hidden Collective").count() == 0

    listing.get_by_role("link", name="Open Door Alliance").click()
    assert page.get_by_role("heading", name="Open Door Alliance").is_visible()


def test_staff_start_dedupe_and_the_page_updates_itself_when_the_worker_is_done(
    page: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    UserFactory(email="rosa@example.org", is_staff=True)
    for _ in range(2):
        OrganizationFactory(name="Casa Esperanza", website="https://casa.example.org")
    login(page, "rosa@example.org", PASSWORD)

    page.goto("/orga/network/review/")
    page.get_by_role("button", name="Look for duplicates now").click()
    status = page.locator("#dedupe-status")
    assert status.get_attribute("data-status") == "queued"
    assert page.get_by_text("Queued: waiting for a worker").is_visible()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    # htmx polls the status fragment; no reload needed.
    page.locator('#dedupe-status[data-status="done"]').wait_for()
    assert page.get_by_text("merged automatically").is_visible()
    page.get_by_role("link", name="Go to the review queue").click()
    assert page.get_by_role("heading", name="Possible duplicates").is_visible()
