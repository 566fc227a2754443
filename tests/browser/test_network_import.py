"""Staff upload a partner file, map its columns, run it, resolve a duplicate, find the player."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from actlocal.network.models import Organization
from tests.conftest import login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.network import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_imports_maps_runs_resolves_duplicate_and_sees_player_on_map_and_graph(
    page: Any, tmp_path: Path
) -> None:
    UserFactory(email="rosa@example.org", is_staff=True)
    existing = OrganizationFactory(
        name="Indivisible San Francisco", city="San Francisco", state="CA", zip_code="94110",
        latitude=37.7509, longitude=-122.4153,
    )  # fmt: skip
    sheet = tmp_path / "partner.csv"
    sheet.write_text(
        "Group,Town,ST,Postal,Partners\n"
        "Indivisible San Francisco Mission,San Francisco,CA,94103,\n"
        "Casa Esperanza Collective,Phoenix,AZ,85004,Indivisible San Francisco\n",
        encoding="utf-8",
    )
    login(page, "rosa@example.org", PASSWORD)

    page.goto("/orga/network/imports/")
    page.get_by_label("Source").fill("Bay Partners")
    page.get_by_label("Spreadsheet (CSV or XLSX)").set_input_files(str(sheet))
    page.get_by_role("button", name="Upload").click()

    page.get_by_role("heading", name="Map the columns").wait_for()
    page.get_by_label("Group").select_option("name")
    page.get_by_label("Town").select_option("city")
    page.get_by_label("ST", exact=True).select_option("state")
    page.get_by_label("Postal").select_option("zip_code")
    assert page.get_by_label("Partners").input_value() == "partner_of"  # guessed from the header
    page.get_by_role("button", name="Import").click()

    page.get_by_role("heading", name="Done").wait_for()
    assert page.get_by_text("2", exact=True).first.is_visible()
    page.get_by_role("link", name="Review possible duplicates").click()

    page.get_by_role(
        "link", name="Indivisible San Francisco ↔ Indivisible San Francisco Mission"
    ).click()
    page.get_by_role("button", name="Merge").click()
    page.get_by_text("The players were merged.").wait_for()
    assert page.get_by_text("Nothing waiting for review.").is_visible()

    casa = Organization.objects.get(name="Casa Esperanza Collective")
    assert list(casa.relationships_out.values_list("kind", "target")) == [
        ("partner_of", existing.pk)
    ]
    existing.refresh_from_db()
    assert any(i.startswith("bay_partners:") for i in existing.source_identifiers)
    assert Organization.objects.filter(merged_into=existing).count() == 1

    page.goto("/map/?q=Casa+Esperanza")
    page.get_by_role("link", name="Casa Esperanza Collective").wait_for()
    page.locator("#map-status").filter(has_text="1 players on the map").wait_for()
    assert page.locator(".leaflet-interactive, .cluster-icon").count() >= 1

    page.goto("/network/graph/?state=AZ")
    assert page.locator("circle[data-name='Casa Esperanza Collective']").count() == 1
    assert page.get_by_role("heading", name="Isolated groups").is_visible()
