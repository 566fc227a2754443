"""Reads of the network map: filtered players, map aggregation, review queue."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Avg, Count, F, FloatField, Q, QuerySet
from django.db.models.functions import Cast, Floor

from actlocal.common import geo
from actlocal.network.models import (
    DedupeRun,
    DuplicateCandidate,
    MergeRecord,
    Organization,
    Relationship,
)

CONVENING_CITIES = [
    ("Washington", "DC"),
    ("New York", "NY"),
    ("Philadelphia", "PA"),
    ("Atlanta", "GA"),
    ("Chicago", "IL"),
    ("Detroit", "MI"),
    ("Houston", "TX"),
    ("Phoenix", "AZ"),
    ("Denver", "CO"),
    ("Los Angeles", "CA"),
    ("San Francisco", "CA"),
    ("Seattle", "WA"),
    ("Minneapolis", "MN"),
    ("Miami", "FL"),
    ("Charlotte", "NC"),
    ("Milwaukee", "WI"),
]
NEAR_RADIUS_MILES = 50
POINTS_FROM_ZOOM = 10
MAX_POINTS = 3000


@dataclass(frozen=True)
class PlayerFilter:
    q: str = ""
    kind: str = ""
    issue: str = ""
    state: str = ""
    partner: str = ""  # slug of a national org: its chapters
    tag: str = ""
    related_to: str = ""  # slug of a player: everyone with a relationship to it
    near_city: str = ""  # "City, ST" of a convening city
    listed_only: bool = False

    @classmethod
    def from_params(cls, params: Any) -> PlayerFilter:
        def get(name: str) -> str:
            return str(params.get(name, "") or "").strip()[:120]

        return cls(
            q=get("q"),
            kind=get("kind"),
            issue=get("issue"),
            state=get("state").upper()[:2],
            partner=get("partner"),
            tag=get("tag"),
            related_to=get("related_to"),
            near_city=get("near"),
        )

    def querystring(self) -> str:
        from urllib.parse import urlencode

        pairs = {
            "q": self.q,
            "kind": self.kind,
            "issue": self.issue,
            "state": self.state,
            "partner": self.partner,
            "tag": self.tag,
            "related_to": self.related_to,
            "near": self.near_city,
        }
        return urlencode({k: v for k, v in pairs.items() if v})


def live_players() -> QuerySet[Organization]:
    return Organization.objects.filter(merged_into__isnull=True)


def players(filters: PlayerFilter | None = None, *, viewer: Any = None) -> QuerySet[Organization]:
    """Players matching the filter. Anonymous viewers see only those listed publicly."""
    f = filters or PlayerFilter()
    qs = live_players()
    if viewer is None or not viewer.is_authenticated or f.listed_only:
        qs = qs.filter(listed_publicly=True)
    if f.q:
        qs = qs.filter(Q(name__icontains=f.q) | Q(city__icontains=f.q))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.issue:
        qs = qs.filter(issue_areas__slug=f.issue)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.partner:
        qs = qs.filter(Q(parent__slug=f.partner) | Q(slug=f.partner))
    if f.tag:
        qs = qs.filter(tags__icontains=f.tag)
    if f.related_to:
        related = Relationship.objects.filter(
            Q(source__slug=f.related_to) | Q(target__slug=f.related_to)
        )
        ids = set(related.values_list("source_id", flat=True)) | set(
            related.values_list("target_id", flat=True)
        )
        # The chosen player and everyone it has a relationship with (its ego network).
        qs = qs.filter(Q(pk__in=ids) | Q(slug=f.related_to))
    if f.near_city:
        city, _sep, state = f.near_city.rpartition(",")
        point = geo.city_centroid(city.strip(), state.strip())
        if point is None:
            return qs.none()
        min_lat, max_lat, min_lng, max_lng = geo.bounding_box(*point, NEAR_RADIUS_MILES)
        qs = qs.filter(latitude__range=(min_lat, max_lat), longitude__range=(min_lng, max_lng))
    return qs.distinct() if f.issue else qs


# What anonymous visitors may see of a player: never leaders, provenance, source
# identifiers, tags, notes or relationships to players that are not listed publicly.
PUBLIC_FIELDS = (
    "uuid",
    "name",
    "kind",
    "city",
    "state",
    "website",
    "public_email",
    "public_phone",
)
PUBLIC_POINT_KEYS = ("id", "name", "kind", "kind_label", "place", "lat", "lng")


def public_filter(filters: PlayerFilter | None = None) -> PlayerFilter:
    """The part of a filter a public page may apply.

    Tags are internal labels and are dropped; "partner" and "related to" only work when
    the chosen player is itself listed publicly, so a guessed slug reveals nothing.
    """
    f = filters or PlayerFilter()
    chosen = [slug for slug in (f.partner, f.related_to) if slug]
    public_slugs = (
        set(
            live_players()
            .filter(listed_publicly=True, slug__in=chosen)
            .values_list("slug", flat=True)
        )
        if chosen
        else set()
    )
    return replace(
        f,
        tag="",
        partner=f.partner if f.partner in public_slugs else "",
        related_to=f.related_to if f.related_to in public_slugs else "",
        listed_only=True,
    )


def public_players(filters: PlayerFilter | None = None) -> QuerySet[Organization]:
    """Players listed publicly that match the public part of the filter."""
    return players(public_filter(filters), viewer=None)


def public_player(uuid: Any) -> dict[str, Any] | None:
    """A public card: whitelisted fields, issue areas, relationships among public players."""
    org = (
        public_players()
        .filter(uuid=uuid)
        .select_related("parent")
        .only(
            *PUBLIC_FIELDS,
            "parent__uuid",
            "parent__name",
            "parent__listed_publicly",
            "parent__merged_into",
        )
        .first()
    )
    if org is None:
        return None
    card: dict[str, Any] = {name: getattr(org, name) for name in PUBLIC_FIELDS}
    card["kind_label"] = org.get_kind_display()
    card["slug"] = org.slug
    parent = org.parent
    card["parent"] = (
        {"uuid": parent.uuid, "name": parent.name}
        if parent is not None and parent.listed_publicly and parent.merged_into_id is None
        else None
    )
    card["issue_areas"] = [a.name for a in org.issue_areas.all()]
    relationships = relationships_of(org).filter(
        source__listed_publicly=True, target__listed_publicly=True
    )
    card["relationships"] = [
        {
            "kind_label": rel.get_kind_display(),
            "outgoing": rel.source_id == org.pk,
            "other": {
                "uuid": (rel.target if rel.source_id == org.pk else rel.source).uuid,
                "name": (rel.target if rel.source_id == org.pk else rel.source).name,
            },
        }
        for rel in distinct_relationships(org, relationships)
    ]
    return card


def cell_degrees(zoom: int) -> float:
    """Grid cell for aggregation: about 60 px at this Leaflet zoom."""
    return float(360 / (2 ** max(0, min(zoom, 18))) * 60 / 256)


def map_data(
    qs: QuerySet[Organization],
    *,
    zoom: int,
    bbox: tuple[float, float, float, float] | None = None,
) -> dict[str, Any]:
    """Clusters (count + centre) below ``POINTS_FROM_ZOOM``, single points above it."""
    qs = qs.filter(latitude__isnull=False, longitude__isnull=False)
    if bbox is not None:
        south, west, north, east = bbox
        qs = qs.filter(latitude__range=(south, north), longitude__range=(west, east))
    if zoom >= POINTS_FROM_ZOOM:
        rows = list(
            qs.order_by("id").values_list(
                "uuid", "name", "kind", "city", "state", "latitude", "longitude"
            )[:MAX_POINTS]
        )
        kind_labels = {value: str(label) for value, label in Organization.Kind.choices}
        return {
            "mode": "points",
            "points": [
                {
                    "id": str(u),
                    "name": n,
                    "kind": k,
                    "kind_label": kind_labels.get(k, k),
                    "place": f"{c}, {s}".strip(", "),
                    "lat": lat,
                    "lng": lng,
                }
                for u, n, k, c, s, lat, lng in rows
            ],
        }
    size = cell_degrees(zoom)
    cells = (
        qs.order_by()
        .annotate(
            cy=Floor(Cast(F("latitude"), FloatField()) / size),
            cx=Floor(Cast(F("longitude"), FloatField()) / size),
        )
        .values("cy", "cx")
        .annotate(n=Count("id"), lat=Avg("latitude"), lng=Avg("longitude"))
    )
    clusters = [
        {"count": c["n"], "lat": round(c["lat"], 5), "lng": round(c["lng"], 5)} for c in cells
    ]
    return {
        "mode": "clusters",
        "cell": size,
        "clusters": clusters,
        "total": sum(c["count"] for c in clusters),
    }


def pending_candidates() -> QuerySet[DuplicateCandidate]:
    return DuplicateCandidate.objects.filter(
        status=DuplicateCandidate.Status.PENDING,
        left__merged_into__isnull=True,
        right__merged_into__isnull=True,
    ).select_related("left", "right")


SYMMETRIC_KINDS = Relationship.SYMMETRIC_KINDS


def relationships_of(org: Organization) -> QuerySet[Relationship]:
    """Relationships of a player with live players.

    A relationship still attached to a merged player is the duplicate the merge left
    behind (kept so that ``unmerge`` can restore it); it is not shown.
    """
    return (
        Relationship.objects.filter(Q(source=org) | Q(target=org))
        .filter(source__merged_into__isnull=True, target__merged_into__isnull=True)
        .select_related("source", "target")
        .order_by("kind", "id")
    )


def distinct_relationships(org: Organization, rels: Any) -> list[Relationship]:
    """Collapse the same tie recorded twice: "A coalition with B" and "B coalition with A"."""
    seen: set[tuple[int, str]] = set()
    kept = []
    for rel in rels:
        if rel.kind in SYMMETRIC_KINDS:
            other = rel.target_id if rel.source_id == org.pk else rel.source_id
            if (other, rel.kind) in seen:
                continue
            seen.add((other, rel.kind))
        kept.append(rel)
    return kept


def zoom_is_valid(value: str) -> int:
    try:
        zoom = int(value)
    except (TypeError, ValueError):
        return 4
    return max(0, min(zoom, 18))


def parse_bbox(value: str) -> tuple[float, float, float, float] | None:
    try:
        parts = [float(p) for p in value.split(",")]
    except (AttributeError, ValueError):
        return None
    if len(parts) != 4 or not all(math.isfinite(p) for p in parts):
        return None
    return parts[0], parts[1], parts[2], parts[3]


def recent_dedupe_runs(limit: int = 20) -> QuerySet[DedupeRun]:
    """Dedupe runs started from the web, newest first."""
    return DedupeRun.objects.select_related("started_by").order_by("-created_at", "-id")[:limit]


def recent_merges() -> QuerySet[MergeRecord]:
    """Merges that can still be undone, newest first."""
    return MergeRecord.objects.filter(undone_at__isnull=True).select_related("survivor", "merged")


def uploader_organization(user: Any) -> Organization | None:
    """The partner an upload is made for: the first organization the user administers."""
    if user.is_staff:
        return None
    return Organization.objects.filter(admin_memberships__user_id=user.pk).order_by("id").first()
