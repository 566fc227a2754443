"""Extension resources (``actlocal:`` curie): organizations and their relationships."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from actlocal.api import representations as rep
from actlocal.api.hal import FilterField, apply_filter, get_by_uuid, paginated
from actlocal.api.views.base import (
    COLLECTION_PARAMS,
    PAGE_PARAMS,
    RECORD,
    OsdiView,
    collection_schema,
    errors,
)
from actlocal.network.models import Organization

ORG_FILTERS = {
    "modified_date": FilterField("date", "modified_at"),
    "created_date": FilterField("date", "created_at"),
    "identifier": FilterField("identifier", "uuid"),
    "identifiers": FilterField("identifier", "uuid"),
    "region": FilterField("text", "state"),
    "kind": FilterField("text", "kind"),
}


class OrganizationsView(OsdiView):
    @extend_schema(
        operation_id="organizations_list",
        parameters=COLLECTION_PARAMS,
        responses={200: collection_schema("actlocal:organizations"), **errors(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        orgs = apply_filter(request, self.scope.organizations(), ORG_FILTERS).order_by("name", "id")
        own = self.scope.organization_ids
        wide = self.scope.network_wide
        return Response(
            paginated(
                request,
                orgs,
                name="actlocal:organizations",
                path="organizations",
                represent=lambda o: rep.organization_json(request, o, full=wide or o.pk in own),
            )
        )


class OrganizationView(OsdiView):
    def _org(self, org_id: str) -> Organization:
        org = get_by_uuid(self.scope.organizations(), org_id)
        if not isinstance(org, Organization):
            raise Http404
        return org

    @extend_schema(
        operation_id="organization_detail", responses={200: RECORD, **errors(401, 403, 404)}
    )
    def get(self, request: Request, org_id: str) -> Response:
        org = self._org(org_id)
        full = self.scope.network_wide or org.pk in self.scope.organization_ids
        return Response(rep.organization_json(request, org, full=full))


class RelationshipsView(OrganizationView):
    @extend_schema(
        operation_id="organization_relationships",
        parameters=PAGE_PARAMS,
        responses={200: collection_schema("actlocal:relationships"), **errors(401, 403, 404)},
    )
    def get(self, request: Request, org_id: str) -> Response:
        from actlocal.network.models import Relationship

        org = self._org(org_id)
        visible = self.scope.organizations().values("pk")
        rels = (
            Relationship.objects.filter(Q(source=org) | Q(target=org))
            .filter(source__in=visible, target__in=visible)
            .select_related("source", "target")
            .order_by("kind", "id")
        )
        return Response(
            paginated(
                request,
                rels,
                name="actlocal:relationships",
                path=f"organizations/{org.uuid}/relationships",
                represent=lambda r: rep.relationship_json(request, r),
            )
        )
