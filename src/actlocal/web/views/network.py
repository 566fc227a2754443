"""The network map, player cards, exports and the relationship graph (login required)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from actlocal.common.pagination import paginate
from actlocal.common.permissions import check_perm
from actlocal.common.tasks import enqueue_on_commit
from actlocal.network import graph as graph_metrics
from actlocal.network import selectors
from actlocal.network.models import IssueArea, Organization, Relationship
from actlocal.network.services.exports import CONTENT_TYPES, FORMATS, export_players
from actlocal.network.tasks import compute_graph_task


def _filter_context(request: HttpRequest, filters: selectors.PlayerFilter) -> dict[str, object]:
    return {
        "filters": filters,
        "query_string": filters.querystring(),
        "kinds": Organization.Kind.choices,
        "issues": IssueArea.objects.all(),
        "partners": selectors.live_players()
        .filter(kind__in=[Organization.Kind.NATIONAL, Organization.Kind.ANCHOR])
        .only("slug", "name"),
        "cities": [f"{city}, {state}" for city, state in selectors.CONVENING_CITIES],
        "states": sorted(selectors.geo.US_STATES.items()),
    }


@login_required
def network_map(request: HttpRequest) -> HttpResponse:
    check_perm(request, "network.view_map")
    filters = selectors.PlayerFilter.from_params(request.GET)
    qs = selectors.players(filters, viewer=request.user).only(
        "uuid", "name", "kind", "city", "state", "location_flag"
    )
    context = _filter_context(request, filters)
    context.update(
        page=paginate(request, qs.order_by("name", "id"), per_page=50),
        data_url=reverse("web:network-map-data"),
        tile_url=settings.ACTLOCAL_TILE_URL,
        tile_attribution=settings.ACTLOCAL_TILE_ATTRIBUTION,
        formats=FORMATS,
    )
    return render(request, "network/map.html", context)


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
            "relationships": selectors.relationships_of(org),
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
