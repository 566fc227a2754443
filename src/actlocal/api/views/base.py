"""What every OSDI endpoint shares: token auth, HAL media types, errors, audit attribution."""

from __future__ import annotations

import contextlib
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from actlocal.api.auth import HasKeyScope, KeyScope, OsdiTokenAuthentication
from actlocal.api.hal import HalJSONParser, HalJSONRenderer
from actlocal.common.context import acting_as
from actlocal.common.middleware import client_ip


def osdi_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Action Network answers errors as ``{"error": "..."}``; field problems are kept too."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and "detail" in data and len(data) == 1:
        response.data = {"error": str(data["detail"])}
    else:
        fields = data if isinstance(data, dict) else {"body": data}
        first = next(iter(fields.items()), ("body", ""))
        message = first[1][0] if isinstance(first[1], list) and first[1] else first[1]
        response.data = {
            "error": f"{first[0]}: {message}",
            "fields": {
                k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in fields.items()
            },
        }
    return response


def _refuse_nul(value: Any, where: str) -> None:
    """NUL characters cannot be stored (PostgreSQL refuses them): a 400, not a 500."""
    if isinstance(value, str):
        if "\x00" in value:
            raise exceptions.ValidationError({where: _("must not contain NUL characters")})
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key, where)
            _refuse_nul(item, where)
    elif isinstance(value, list):
        for item in value:
            _refuse_nul(item, where)


class OsdiView(APIView):
    authentication_classes = [OsdiTokenAuthentication]
    permission_classes = [HasKeyScope]
    renderer_classes = [HalJSONRenderer, JSONRenderer]
    parser_classes = [JSONParser, HalJSONParser]

    def get_exception_handler(self) -> Any:
        return osdi_exception_handler

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        for value in request.query_params.values():
            _refuse_nul(value, "query")
        if request.method not in ("GET", "HEAD", "OPTIONS", "DELETE"):
            _refuse_nul(request.data, "body")
        scope = self.scope
        # Every change made through the API is attributed to the key's owner and name.
        self._acting: contextlib.ExitStack[bool | None] | None = contextlib.ExitStack()
        self._acting.enter_context(
            acting_as(user=scope.user, via=f"api:{scope.key.name}", ip_address=client_ip(request))
        )

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        acting = getattr(self, "_acting", None)
        if acting is not None:
            acting.close()
            self._acting = None
        return super().finalize_response(request, response, *args, **kwargs)

    @property
    def scope(self) -> KeyScope:
        auth = self.request.auth
        assert isinstance(auth, KeyScope)
        return auth


COLLECTION_PARAMS = [
    OpenApiParameter("page", int, description="Page number, from 1."),
    OpenApiParameter("per_page", int, description="Records per page, at most 25."),
    OpenApiParameter(
        "filter", str, description="OData-style filter, e.g. modified_date gt '2024-01-01'."
    ),
]
PAGE_PARAMS = COLLECTION_PARAMS[:2]

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"error": {"type": "string"}, "fields": {"type": "object"}},
    "required": ["error"],
}
LINK = {"type": "object", "properties": {"href": {"type": "string"}}, "required": ["href"]}
RECORD: dict[str, Any] = {
    "type": "object",
    "properties": {
        "identifiers": {"type": "array", "items": {"type": "string"}},
        "created_date": {"type": "string", "format": "date-time"},
        "modified_date": {"type": "string", "format": "date-time"},
        "_links": {"type": "object", "properties": {"self": LINK}, "required": ["self"]},
    },
    "required": ["identifiers", "_links"],
}


def collection_schema(name: str, item: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "total_pages": {"type": "integer", "minimum": 0},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 25},
            "page": {"type": "integer", "minimum": 1},
            "total_records": {"type": "integer", "minimum": 0},
            "_links": {
                "type": "object",
                "properties": {"self": LINK, "next": LINK, "previous": LINK},
                "required": ["self"],
            },
            "_embedded": {
                "type": "object",
                "properties": {name: {"type": "array", "items": item or RECORD}},
                "required": [name],
            },
        },
        "required": ["total_pages", "per_page", "page", "total_records", "_links", "_embedded"],
    }


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ERROR_SCHEMA) for code in codes}


def body(schema: dict[str, Any]) -> dict[str, Any]:
    """A request body schema for both media types the API accepts."""
    return {"application/json": schema, "application/hal+json": schema}
