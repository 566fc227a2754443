"""The boundary: OSDI request bodies turned into typed values or a 400 naming the field."""

from __future__ import annotations

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
