"""The network map, player cards, exports and the relationship graph.

The staff map, cards, exports and graph need a login; the public map shows only players
listed publicly, through the whitelist in ``selectors.PUBLIC_FIELDS``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from actlocal.common.pagination import paginate
from actlocal.common.permissions import check_perm
from actlocal.common.tasks import enqueue_on_commit
from actlocal.network import graph as graph_metrics
from actlocal.network import selectors
from actlocal.network.models import IssueArea, Organization, Relationship
from actlocal.network.services.exports import CONTENT_TYPES, FORMATS, export_players
from actlocal.network.tasks import compute_graph_task

_UUID_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


def _filter_context(
    request: HttpRequest, filters: selectors.PlayerFilter, *, public: bool = False
) -> dict[str, object]:
    candidates = selectors.live_players()
    if public:
        candidates = candidates.filter(listed_publicly=True)
    return {
        "filters": filters,
        "public": public,
        "query_string": filters.querystring(),
        "kinds": Organization.Kind.choices,
        "issues": IssueArea.objects.all(),
        "partners": candidates.filter(
            kind__in=[Organization.Kind.NATIONAL, Organization.Kind.ANCHOR]
        ).only("slug", "name"),
        "related_player": candidates.filter(slug=filters.related_to).only("name").first()
        if filters.related_to
        else None,
        "cities": [f"{city}, {state}" for city, state in selectors.CONVENING_CITIES],
        "states": sorted(selectors.geo.US_STATES.items()),
        "tile_url": settings.ACTLOCAL_TILE_URL,
        "tile_attribution": settings.ACTLOCAL_TILE_ATTRIBUTION,
    }


def network_map(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        # Anonymous visitors get the public map (same filters), which links to the login.
        query = request.GET.urlencode()
        return redirect(reverse("web:network-map-public") + (f"?{query}" if query else ""))
    check_perm(request, "network.view_map")
    filters = selectors.PlayerFilter.from_params(request.GET)
    qs = selectors.players(filters, viewer=request.user).only(
        "uuid", "name", "kind", "city", "state", "location_flag"
    )
    context = _filter_context(request, filters)
    context.update(
        page=paginate(request, qs.order_by("name", "id"), per_page=50),
        data_url=reverse("web:network-map-data"),
        card_url=reverse("web:network-player", args=[_UUID_PLACEHOLDER]),
        formats=FORMATS,
    )
    return render(request, "network/map.html", context)


def public_map(request: HttpRequest) -> HttpResponse:
    """Players listed publicly, for anyone: public fields only, no exports."""
    filters = selectors.public_filter(selectors.PlayerFilter.from_params(request.GET))
    rows = selectors.players(filters).values("uuid", "name", "kind", "city", "state")
    context = _filter_context(request, filters, public=True)
    page = paginate(request, rows.order_by("name", "id"), per_page=50)
    labels = dict(Organization.Kind.choices)
    page.object_list = [dict(row, kind_label=labels.get(row["kind"], "")) for row in page]
    context.update(
        page=page,
        data_url=reverse("web:network-map-public-data"),
        card_url=reverse("web:network-player-public", args=[_UUID_PLACEHOLDER]),
    )
    return render(request, "network/public_map.html", context)


def public_map_data(request: HttpRequest) -> JsonResponse:
    filters = selectors.public_filter(selectors.PlayerFilter.from_params(request.GET))
    data = selectors.map_data(
        selectors.players(filters),
        zoom=selectors.zoom_is_valid(request.GET.get("zoom", "4")),
        bbox=selectors.parse_bbox(request.GET.get("bbox", "")),
    )
    if data["mode"] == "points":
        # The whitelist is applied here too, so a field added for staff never leaks.
        data["points"] = [
            {key: p[key] for key in selectors.PUBLIC_POINT_KEYS if key in p} for p in data["points"]
        ]
    response = JsonResponse(data)
    response["Cache-Control"] = "public, max-age=60"
    return response


def public_player(request: HttpRequest, uuid: str) -> HttpResponse:
    card = selectors.public_player(uuid)
    if card is None:
        raise Http404
    return render(request, "network/public_player.html", {"org": card})


@login_required
def map_data(request: HttpRequest) -> JsonResponse:
    check_perm(request, "network.view_map")
    filters = selectors.PlayerFilter.from_params(request.GET)
    data = selectors.map_data(
        selectors.players(filters, viewer=request.user),
        zoom=selectors.zoom_is_valid(request.GET.get("zoom", "4")),
        bbox=selectors.parse_bbox(request.GET.get("bbox", "")),
    )
    return JsonResponse(data)


@login_required
def player(request: HttpRequest, uuid: str) -> HttpResponse:
    check_perm(request, "network.view_map")
    org = get_object_or_404(
        selectors.players(viewer=request.user).select_related("parent"), uuid=uuid
    )
    return render(
        request,
        "network/player.html",
        {
            "org": org,
            "relationships": selectors.distinct_relationships(org, selectors.relationships_of(org)),
            "leaders": org.leaders.select_related("person"),
            "issue_areas": org.issue_areas.all(),
        },
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    check_perm(request, "network.export_players")
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        fmt = "csv"
    filters = selectors.PlayerFilter.from_params(request.GET)
    data = export_players(
        orgs=selectors.players(filters, viewer=request.user), fmt=fmt, filters=filters.querystring()
    )
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="players.{fmt}"'
    return response


@login_required
def graph(request: HttpRequest) -> HttpResponse:
    check_perm(request, "network.view_map")
    filters = selectors.PlayerFilter.from_params(request.GET)
    orgs = selectors.players(filters, viewer=request.user)
    scope_key = filters.querystring()
    metrics = graph_metrics.cached_metrics(orgs, scope_key=scope_key)
    if metrics is None and orgs.count() > graph_metrics.INLINE_LIMIT:
        # Sampled betweenness on thousands of players takes seconds: never in the request.
        enqueue_on_commit(compute_graph_task, scope_key)
        metrics = graph_metrics.cached_metrics(orgs, scope_key=scope_key)
        if metrics is None:
            context = _filter_context(request, filters)
            context["computing"] = True
            return render(request, "network/graph.html", context)
    if metrics is None:
        metrics = graph_metrics.metrics_for(orgs, scope_key=scope_key)
    width, height = 900, 600
    points = {
        pk: (round((x + 1.05) / 2.1 * width, 1), round((y + 1.05) / 2.1 * height, 1))
        for pk, (x, y) in metrics.layout.items()
    }
    context = _filter_context(request, filters)
    context.update(
        metrics=metrics,
        width=width,
        height=height,
        nodes=[(pk, *xy, metrics.names[pk], metrics.kinds[pk]) for pk, xy in points.items()],
        edges=[(*points[u], *points[v], kind) for u, v, kind in metrics.edge_list],
        relationship_kinds=Relationship.Kind.choices,
    )
    return render(request, "network/graph.html", context)
