"""Exports of a filtered set of players: CSV (formula-safe), XLSX, GeoJSON, GraphML."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from actlocal.common.audit import log_action
from actlocal.common.exports import safe_cell
from actlocal.network.models import Organization, Relationship

FORMATS = ("csv", "xlsx", "geojson", "graphml")
COLUMNS = (
    "identifiers",
    "name",
    "aliases",
    "kind",
    "issue_areas",
    "address",
    "city",
    "state",
    "zip_code",
    "latitude",
    "longitude",
    "location_flag",
    "service_area",
    "website",
    "social_links",
    "public_email",
    "public_phone",
    "size_band",
    "founded_year",
    "description",
    "tags",
    "parent",
    "listed_publicly",
)
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "graphml": "application/graphml+xml",
}


def _rows(orgs: Iterable[Organization]) -> Iterable[dict[str, Any]]:
    for org in orgs:
        yield {
            "identifiers": "|".join(org.identifiers),
            "name": org.name,
            "aliases": "|".join(org.aliases),
            "kind": org.kind,
            "issue_areas": "|".join(a.slug for a in org.issue_areas.all()),
            "address": org.address,
            "city": org.city,
            "state": org.state,
            "zip_code": org.zip_code,
            "latitude": org.latitude,
            "longitude": org.longitude,
            "location_flag": org.location_flag,
            "service_area": org.service_area,
            "website": org.website,
            "social_links": "|".join(org.social_links),
            "public_email": org.public_email,
            "public_phone": org.public_phone,
            "size_band": org.size_band,
            "founded_year": org.founded_year,
            "description": org.description,
            "tags": "|".join(org.tags),
            "parent": org.parent.identifier if org.parent else "",
            "listed_publicly": org.listed_publicly,
        }


def _text(value: Any) -> str:
    """A cell as text; only text values can smuggle a formula (numbers stay numbers)."""
    if value is None:
        return ""
    return safe_cell(value) if isinstance(value, str) else str(value)


def render(orgs: QuerySet[Organization], fmt: str) -> bytes:
    orgs = orgs.select_related("parent").prefetch_related("issue_areas").order_by("name", "id")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        for row in _rows(orgs.iterator(chunk_size=2000)):
            writer.writerow([_text(row[c]) for c in COLUMNS])
        return buffer.getvalue().encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("players")
        sheet.append(list(COLUMNS))
        for row in _rows(orgs.iterator(chunk_size=2000)):
            sheet.append([_text(row[c]) for c in COLUMNS])
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    if fmt == "geojson":
        features = [
            {
                "type": "Feature",
                "geometry": (
                    {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]}
                    if row["latitude"] is not None
                    else None
                ),
                "properties": {k: v for k, v in row.items() if k not in {"latitude", "longitude"}},
            }
            for row in _rows(orgs.iterator(chunk_size=2000))
        ]
        return json.dumps({"type": "FeatureCollection", "features": features}).encode()
    if fmt == "graphml":
        return graphml(orgs)
    raise ValueError(f"unknown format {fmt!r}")


def graphml(orgs: QuerySet[Organization]) -> bytes:
    import networkx as nx

    graph = nx.DiGraph()
    ids: dict[int, str] = {}
    for org in (
        orgs.select_related(None)
        .prefetch_related(None)
        .only("id", "uuid", "name", "kind", "city", "state")
    ):
        ids[org.pk] = org.identifier
        graph.add_node(org.identifier, name=org.name, kind=org.kind, city=org.city, state=org.state)
    rels = Relationship.objects.filter(source_id__in=ids.keys(), target_id__in=ids.keys())
    for source, target, kind in rels.values_list("source_id", "target_id", "kind"):
        graph.add_edge(ids[source], ids[target], kind=kind)
    out = io.BytesIO()
    nx.write_graphml(graph, out)
    return out.getvalue()


def export_players(*, orgs: QuerySet[Organization], fmt: str, filters: str = "") -> bytes:
    """Render the export and log it (`players.exported`) with format, count and filter."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    with transaction.atomic():
        data = render(orgs, fmt)
        log_action(
            "players.exported", data={"format": fmt, "count": orgs.count(), "filters": filters}
        )
    return data
