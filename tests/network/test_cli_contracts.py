"""`export-players` and `dedupe --export` follow DESIGN.md's contracts."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from actlocal.common.models import AuditEntry
from actlocal.network.models import Organization
from tests.factories.network import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_export_csv_has_one_row_per_player_with_identifiers(tmp_path: Path) -> None:
    a = OrganizationFactory(name='=HYPERLINK("http://evil")', source_identifiers=["p:1", "q:7"])
    OrganizationFactory(name="Merged away", merged_into=a)
    out = tmp_path / "players.csv"
    call_command("export_players", "--format", "csv", "-o", str(out))
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 1
    assert rows[0]["identifiers"] == f"{a.identifier}|p:1|q:7"
    assert rows[0]["name"].startswith("'=")  # formula injection neutralized
    assert float(rows[0]["longitude"]) < 0  # numbers are left alone
    assert AuditEntry.objects.filter(action="players.exported").count() == 1


def test_export_geojson_and_graphml(tmp_path: Path) -> None:
    OrganizationFactory(name="Voces")
    call_command("export_players", "--format", "geojson", "-o", str(tmp_path / "p.geojson"))
    data = json.loads((tmp_path / "p.geojson").read_text())
    assert data["features"][0]["geometry"]["type"] == "Point"
    call_command("export_players", "--format", "graphml", "-o", str(tmp_path / "p.graphml"))
    assert "<graphml" in (tmp_path / "p.graphml").read_text()


def test_dedupe_export_lists_pairs_waiting_for_review_not_merged_ones(tmp_path: Path) -> None:
    OrganizationFactory(name="Indivisible SF", city="San Francisco", state="CA", zip_code="94110")
    OrganizationFactory(
        name="Indivisible San Francisco", city="San Francisco", state="CA", zip_code="94110"
    )
    OrganizationFactory(name="Sunrise Movement Denver", city="Denver", state="CO", zip_code="80202")
    OrganizationFactory(
        name="Sunrise Movement Denver Hub", city="Denver", state="CO", zip_code="80205"
    )
    out = tmp_path / "pairs.csv"
    call_command("dedupe", "--export", str(out), stderr=io.StringIO())
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0].keys()) == ["left_identifiers", "right_identifiers", "score"]
    assert len(rows) == 1
    assert 0 <= float(rows[0]["score"]) <= 1
    names = {
        Organization.objects.get(uuid=r.split("|")[0].split(":")[1]).name
        for r in (rows[0]["left_identifiers"], rows[0]["right_identifiers"])
    }
    assert names == {"Sunrise Movement Denver", "Sunrise Movement Denver Hub"}
    assert Organization.objects.filter(merged_into__isnull=False).count() == 1
