"""The boundary: OSDI request bodies turned into typed values or a 400 naming the field."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from actlocal.api.hal import uuid_from_href
from actlocal.api.services import PersonInput

MAX_TEXT = 150


def body_object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValidationError({"body": _("expected a JSON object")})
    return data


def _text(value: Any, name: str, max_length: int = MAX_TEXT) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({name: _("must be a string")})
    if len(value) > max_length:
        raise ValidationError({name: _("at most %(n)d characters") % {"n": max_length}})
    return value.strip()


def _list_of_objects(value: Any, name: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ValidationError({name: _("must be a list of objects")})
    return value


def string_list(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError({name: _("must be a list of strings")})
    return [v.strip()[:200] for v in value if v.strip()]


def person_input(raw: Any, *, require_email: bool = True) -> PersonInput:
    """``{"given_name", "family_name", "email_addresses", "phone_numbers", "postal_addresses",
    "languages_spoken", "custom_fields"}`` — only the keys that are present are changed."""
    if not isinstance(raw, dict):
        raise ValidationError({"person": _("expected a JSON object")})
    fields: dict[str, Any] = {}
    for name in ("given_name", "family_name"):
        if name in raw:
            fields[name] = _text(raw[name], f"person.{name}")
    emails = _list_of_objects(raw.get("email_addresses"), "person.email_addresses")
    email: str | None = None
    if emails:
        chosen = next((e for e in emails if e.get("primary")), emails[0])
        address = chosen.get("address")
        if not isinstance(address, str) or not address.strip():
            raise ValidationError({"person.email_addresses": _("each needs an address")})
        try:
            validate_email(address.strip())
        except DjangoValidationError:
            raise ValidationError(
                {"person.email_addresses": _("%(a)r is not an email address") % {"a": address}}
            ) from None
        if len(address) > 254:
            raise ValidationError({"person.email_addresses": _("address too long")})
        email = address.strip().lower()
    if require_email and not email:
        raise ValidationError(
            {"person.email_addresses": _("an email address is required to match the person")}
        )
    phones = _list_of_objects(raw.get("phone_numbers"), "person.phone_numbers")
    phone = None
    if phones:
        number = phones[0].get("number")
        if isinstance(number, int):
            number = str(number)
        phone = _text(number, "person.phone_numbers", 40) or None
    postal = _list_of_objects(raw.get("postal_addresses"), "person.postal_addresses")
    if postal:
        first = next((p for p in postal if p.get("primary")), postal[0])
        lines = string_list(first.get("address_lines"), "person.postal_addresses.address_lines")
        if "address_lines" in first:
            fields["address_line"] = ", ".join(lines)[:255]
        for key, target, size in (
            ("locality", "locality", 120),
            ("region", "region", 60),
            ("postal_code", "postal_code", 12),
        ):
            if key in first:
                fields[target] = _text(first[key], f"person.postal_addresses.{key}", size)
        if "country" in first:
            country = _text(first["country"], "person.postal_addresses.country", 2)
            fields["country"] = country.upper() or "US"
    if "languages_spoken" in raw:
        fields["languages_spoken"] = string_list(raw["languages_spoken"], "person.languages_spoken")
    custom = raw.get("custom_fields")
    if custom is None:
        custom = {}
    if not isinstance(custom, dict):
        raise ValidationError({"person.custom_fields": _("must be an object")})
    clean_custom = {
        str(k)[:100]: v
        for k, v in custom.items()
        if isinstance(v, str | int | float | bool) or v is None
    }
    return PersonInput(email=email, fields=fields, phone=phone, custom_fields=clean_custom)


def linked_uuid(data: dict[str, Any], rel: str, collection: str) -> str:
    """The UUID of ``_links[rel].href`` (e.g. ``osdi:person`` → ``/people/<uuid>``)."""
    links = data.get("_links")
    target = links.get(rel) if isinstance(links, dict) else None
    url = target.get("href") if isinstance(target, dict) else None
    found = uuid_from_href(url, collection) if isinstance(url, str) else None
    if found is None:
        raise ValidationError(
            {f"_links.{rel}.href": _("expected a link to /api/v2/%(c)s/<id>") % {"c": collection}}
        )
    return found


def _datetime(value: Any, name: str) -> dt.datetime:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError({name: _("expected an ISO-8601 date and time")})
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(
            {name: _("%(v)r is not an ISO-8601 date and time") % {"v": value}}
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        moment = moment.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        moment = dt.datetime.min.replace(tzinfo=dt.UTC)
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise ValidationError(
            {name: _("must be between %(a)d and %(b)d") % {"a": MIN_YEAR, "b": MAX_YEAR}}
        )
    return moment


MIN_YEAR, MAX_YEAR = 1970, 2200
EVENT_STATUSES = {"draft": "draft", "tentative": "draft", "confirmed": "published"}


def event_input(raw: Any) -> dict[str, Any]:
    """An OSDI event body as keyword arguments for ``events.services.create_event``."""
    data = body_object(raw)
    title = _text(data.get("title"), "title", 200)
    if not title:
        raise ValidationError({"title": _("an event needs a title")})
    starts = _datetime(data.get("start_date"), "start_date")
    ends = (
        _datetime(data["end_date"], "end_date")
        if data.get("end_date")
        else starts + dt.timedelta(hours=2)
    )
    if ends < starts:
        raise ValidationError({"end_date": _("must not be before start_date")})
    fields: dict[str, Any] = {
        "title": title,
        "description": _text(data.get("description"), "description", 20000),
        "summary": _text(data.get("summary"), "summary", 300),
        "starts_at": starts,
        "ends_at": ends,
    }
    visibility = data.get("visibility", "public")
    if visibility not in {"public", "private"}:
        raise ValidationError({"visibility": _("must be public or private")})
    fields["visibility"] = "public" if visibility == "public" else "invite_only"
    status = data.get("status", "confirmed")
    if status not in EVENT_STATUSES:
        raise ValidationError({"status": _("must be confirmed, tentative or draft")})
    fields["status"] = EVENT_STATUSES[status]
    capacity = data.get("capacity")
    if capacity is not None:
        if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 0:
            raise ValidationError({"capacity": _("must be a whole number, 0 or more")})
        fields["capacity"] = capacity or None
    event_type = data.get("event_type")
    if event_type is not None:
        from actlocal.events.models import Event

        if event_type not in Event.Type.values:
            raise ValidationError(
                {"event_type": _("one of %(t)s") % {"t": ", ".join(Event.Type.values)}}
            )
        fields["event_type"] = event_type
    if data.get("timezone"):
        name = _text(data["timezone"], "timezone", 64)
        if name not in zoneinfo.available_timezones():
            raise ValidationError({"timezone": _("%(v)r is not a time zone name") % {"v": name}})
        fields["timezone"] = name
    location = data.get("location")
    if location is not None:
        if not isinstance(location, dict):
            raise ValidationError({"location": _("must be an object")})
        lines = string_list(location.get("address_lines"), "location.address_lines")
        fields["venue"] = _text(location.get("venue"), "location.venue", 200)
        fields["address_line"] = ", ".join(lines)[:255]
        fields["city"] = _text(location.get("locality"), "location.locality", 120)
        fields["state"] = _text(location.get("region"), "location.region", 2).upper()
        fields["zip_code"] = _text(location.get("postal_code"), "location.postal_code", 10)
    return fields
