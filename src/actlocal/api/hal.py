"""HAL+JSON plumbing of the OSDI API: media types, links, Action Network–style pages, filters."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer

MAX_PER_PAGE = 25
CURIES = [
    {
        "name": "osdi",
        "href": "https://actlocal.invalid/docs/v2/{rel}",
        "templated": True,
    },
    {
        "name": "actlocal",
        "href": "https://actlocal.invalid/docs/api/{rel}",
        "templated": True,
    },
]


class HalJSONRenderer(JSONRenderer):
    media_type = "application/hal+json"
    format = "hal"


class HalJSONParser(JSONParser):
    media_type = "application/hal+json"


def api_root(request: HttpRequest) -> str:
    """``http://host:port/api/v2`` from the request (never from settings)."""
    return request.build_absolute_uri("/api/v2")


def href(request: HttpRequest, path: str) -> dict[str, str]:
    return {"href": f"{api_root(request)}/{path}"}


def iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class PageParams:
    page: int
    per_page: int


def page_params(request: Any) -> PageParams:
    def _int(name: str, default: int) -> int:
        raw = request.query_params.get(name)
        if raw in (None, ""):
            return default
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ValidationError({name: _("must be a whole number")}) from None
        if value < 1:
            raise ValidationError({name: _("must be 1 or more")})
        return value

    return PageParams(page=_int("page", 1), per_page=min(_int("per_page", MAX_PER_PAGE), 25))


def paginated(
    request: Any,
    queryset: QuerySet[Any] | Sequence[Any],
    *,
    name: str,
    path: str,
    represent: Callable[[Any], dict[str, Any]],
    prepare: Callable[[list[Any]], None] | None = None,
) -> dict[str, Any]:
    """An Action Network collection: a page past the end is 200 with an empty list."""
    params = page_params(request)
    total = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
    start = (params.page - 1) * params.per_page
    items: list[Any] = []
    if start < total and isinstance(queryset, QuerySet):
        # Skip rows on the primary key alone (an index-only scan on PostgreSQL), then load
        # just the page: deep pages of 100,000 people stay cheap.
        ids = list(queryset.values_list("pk", flat=True)[start : start + params.per_page])
        by_pk = {item.pk: item for item in queryset.filter(pk__in=ids)}
        items = [by_pk[pk] for pk in ids if pk in by_pk]
    elif start < total:
        items = list(queryset[start : start + params.per_page])
    if prepare is not None and items:
        prepare(items)
    total_pages = max(1, math.ceil(total / params.per_page)) if total else 0

    def page_link(number: int) -> dict[str, str]:
        query = {k: v for k, v in request.query_params.items() if k != "page"}
        query["page"] = str(number)
        query.setdefault("per_page", str(params.per_page))
        return {"href": f"{api_root(request)}/{path}?{urlencode(query)}"}

    links: dict[str, Any] = {"self": page_link(params.page)}
    if params.page < total_pages:
        links["next"] = page_link(params.page + 1)
    if params.page > 1:
        links["previous"] = page_link(min(params.page - 1, max(total_pages, 1)))
    rendered = [represent(item) for item in items]
    links[name] = [{"href": item["_links"]["self"]["href"]} for item in rendered]
    links["curies"] = CURIES
    return {
        "total_pages": total_pages,
        "per_page": params.per_page,
        "page": params.page,
        "total_records": total,
        "_links": links,
        "_embedded": {name: rendered},
    }


# --- OData-style filters ------------------------------------------------------------

_CLAUSE = re.compile(
    r"^\s*(?P<field>[a-z_]+)\s+(?P<op>eq|gt|lt)\s+'(?P<value>[^']*)'\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class FilterField:
    kind: str  # "date" | "email" | "identifier" | "text"
    lookup: str


def apply_filter(
    request: Any, queryset: QuerySet[Any], fields: dict[str, FilterField]
) -> QuerySet[Any]:
    """``filter=modified_date gt '2024-01-01' and email eq 'a@b.org'`` (gt, lt, eq)."""
    raw = request.query_params.get("filter")
    if not raw:
        return queryset
    for clause in re.split(r"\s+and\s+", raw.strip(), flags=re.IGNORECASE):
        match = _CLAUSE.match(clause)
        if not match:
            raise ValidationError(
                {
                    "filter": _("cannot read %(clause)r: use field eq|gt|lt 'value'")
                    % {"clause": clause}
                }
            )
        name, op, value = match["field"].lower(), match["op"].lower(), match["value"]
        spec = fields.get(name)
        if spec is None:
            raise ValidationError(
                {
                    "filter": _("cannot filter on %(field)s; use one of %(fields)s")
                    % {"field": name, "fields": ", ".join(sorted(fields))}
                }
            )
        if spec.kind == "date":
            queryset = queryset.filter(_date_q(spec.lookup, op, value))
        elif op != "eq":
            raise ValidationError({"filter": _("%(field)s supports only eq") % {"field": name}})
        elif spec.kind == "email":
            queryset = queryset.filter(**{spec.lookup: value.strip().lower()})
        elif spec.kind == "identifier":
            queryset = queryset.filter(identifier_q(value, spec.lookup))
        else:
            queryset = queryset.filter(**{spec.lookup: value})
    return queryset


def _date_q(lookup: str, op: str, value: str) -> Q:
    try:
        if "T" in value:
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.UTC)
            moment = moment.astimezone(dt.UTC)
            if op == "eq":
                return Q(**{lookup: moment})
            return Q(**{f"{lookup}__{op}": moment})
        day = dt.date.fromisoformat(value)
        start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
        end = start + dt.timedelta(days=1)
    except (ValueError, OverflowError):
        raise ValidationError(
            {"filter": _("%(value)r is not a date (YYYY-MM-DD)") % {"value": value}}
        ) from None
    if op == "gt":
        return Q(**{f"{lookup}__gte": end})
    if op == "lt":
        return Q(**{f"{lookup}__lt": start})
    return Q(**{f"{lookup}__gte": start, f"{lookup}__lt": end})


def identifier_q(value: str, uuid_lookup: str = "uuid") -> Q:
    """``actlocal:<uuid>`` / ``action_network:<uuid>`` match the record's UUID."""
    prefix, _sep, rest = value.partition(":")
    if prefix in {"actlocal", "action_network"} and _is_uuid(rest):
        return Q(**{uuid_lookup: rest})
    return Q(pk__in=[])


def _is_uuid(value: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}", value))


def parse_uuid(value: str) -> str | None:
    """The UUID in a path segment, or None (the view then answers 404)."""
    return value if _is_uuid(value) else None


def uuid_from_href(url: str, collection: str) -> str | None:
    """The UUID at the end of ``.../api/v2/<collection>/<uuid>``."""
    match = re.search(rf"/{re.escape(collection)}/([0-9a-fA-F-]{{32,36}})/?$", url or "")
    return match.group(1) if match and _is_uuid(match.group(1)) else None


def get_by_uuid(queryset: QuerySet[Any], value: str) -> Model | None:
    uuid = parse_uuid(value)
    if uuid is None:
        return None
    return queryset.filter(uuid=uuid).first()
