"""The API entry point (AEP): where each collection lives."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from actlocal.api.hal import CURIES, api_root, href
from actlocal.api.views.base import OsdiView, errors

RESOURCES = [
    ("osdi:people", "people"),
    ("osdi:tags", "tags"),
    ("osdi:lists", "lists"),
    ("osdi:forms", "forms"),
    ("osdi:events", "events"),
    ("osdi:event_campaigns", "event_campaigns"),
    ("osdi:person_signup_helper", "people"),
    ("actlocal:organizations", "organizations"),
]


class EntryPointView(OsdiView):
    @extend_schema(
        operation_id="entry_point",
        responses={200: {"type": "object", "required": ["_links"]}, **errors(401, 403)},
    )
    def get(self, request: Request) -> Response:
        links: dict[str, Any] = {"self": {"href": api_root(request)}}
        links.update({rel: href(request, path) for rel, path in RESOURCES})
        links["curies"] = CURIES
        return Response(
            {
                "motd": "Welcome to the ActLocal API (OSDI / Action Network v2 compatible).",
                "vendor_name": "ActLocal",
                "product_name": "ActLocal",
                "osdi_version": "1.2.0",
                "max_pagesize": 25,
                "_links": links,
            }
        )
