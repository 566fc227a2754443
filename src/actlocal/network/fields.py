"""Import columns: the player fields a spreadsheet column can fill, and how to parse them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actlocal.common import geo
from actlocal.network.models import Organization

# field -> label shown on the mapping page
IMPORT_FIELDS: dict[str, Any] = {
    "source_id": gettext_lazy("Record id in this source"),
    "name": gettext_lazy("Name"),
    "aliases": gettext_lazy("Also known as"),
    "kind": gettext_lazy("Kind"),
    "issue_areas": gettext_lazy("Issue areas"),
    "address": gettext_lazy("Street address"),
    "city": gettext_lazy("City"),
    "state": gettext_lazy("State"),
    "zip_code": gettext_lazy("ZIP code"),
    "service_area": gettext_lazy("Service area"),
    "website": gettext_lazy("Website"),
    "social_links": gettext_lazy("Social links"),
    "public_email": gettext_lazy("Public email"),
    "public_phone": gettext_lazy("Public phone"),
    "size_band": gettext_lazy("Size"),
    "founded_year": gettext_lazy("Founding year"),
    "description": gettext_lazy("Description"),
    "tags": gettext_lazy("Tags"),
    "parent": gettext_lazy("Chapter of (national organization)"),
    "leader_name": gettext_lazy("Leader: name"),
    "leader_role": gettext_lazy("Leader: role"),
    "leader_email": gettext_lazy("Leader: email"),
    "leader_phone": gettext_lazy("Leader: phone"),
    "partner_of": gettext_lazy("Partner of (players)"),
    "member_of": gettext_lazy("Member of (players)"),
    "coalition_with": gettext_lazy("In coalition with (players)"),
    "funds": gettext_lazy("Funds (players)"),
}
LEADER_FIELDS = ("leader_name", "leader_role", "leader_email", "leader_phone")
# Columns naming other players (by name or "<source>:<id>"), one relationship each.
RELATION_FIELDS = ("partner_of", "member_of", "coalition_with", "funds")


def field_groups() -> list[tuple[Any, list[tuple[str, Any]]]]:
    """The mapping page's choices: the player's own fields, its leader, its relationships."""
    own = [(n, label) for n, label in IMPORT_FIELDS.items()
           if n not in LEADER_FIELDS and n not in RELATION_FIELDS]  # fmt: skip
    return [
        (gettext_lazy("Player"), own),
        (gettext_lazy("Leader"), [(n, IMPORT_FIELDS[n]) for n in LEADER_FIELDS]),
        (gettext_lazy("Relationships"), [(n, IMPORT_FIELDS[n]) for n in RELATION_FIELDS]),
    ]


REQUIRED_FIELDS = ("name",)
SCALAR_FIELDS = (
    "name",
    "kind",
    "address",
    "city",
    "state",
    "zip_code",
    "latitude",
    "longitude",
    "location_flag",
    "service_area",
    "website",
    "public_email",
    "public_phone",
    "size_band",
    "founded_year",
    "description",
)
LIST_FIELDS = ("aliases", "social_links", "tags")

HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "source_id": (
        "id",
        "chapter id",
        "org id",
        "organization id",
        "group id",
        "record id",
        "external id",
        "uid",
        "partner id",
        "chapter_id",
        "org_id",
    ),
    "name": (
        "name",
        "organization",
        "organization name",
        "org name",
        "group name",
        "chapter name",
        "chapter",
        "group",
        "org",
    ),
    "aliases": ("aliases", "alias", "also known as", "aka", "other names"),
    "kind": ("kind", "type", "org type", "organization type", "category"),
    "issue_areas": ("issue areas", "issues", "issue area", "focus", "focus areas", "causes"),
    "address": ("address", "street", "street address", "address 1", "address line 1"),
    "city": ("city", "town", "locality"),
    "state": ("state", "st", "region", "state/province"),
    "zip_code": ("zip", "zip code", "zipcode", "postal code", "postcode", "zip_code"),
    "service_area": ("service area", "area served", "coverage"),
    "website": ("website", "web", "url", "site", "web site", "homepage"),
    "social_links": ("social", "social links", "facebook", "twitter", "instagram"),
    "public_email": ("email", "e-mail", "contact email", "public email", "email address"),
    "public_phone": ("phone", "telephone", "contact phone", "phone number", "public phone"),
    "size_band": ("size", "members", "membership", "member count", "size band"),
    "founded_year": ("founded", "year founded", "founding year", "established"),
    "description": ("description", "about", "mission", "notes"),
    "tags": ("tags", "labels", "keywords"),
    "parent": (
        "parent",
        "national",
        "national organization",
        "chapter of",
        "affiliate of",
        "parent organization",
    ),
    "leader_name": (
        "leader",
        "leader name",
        "leader's name",
        "contact name",
        "contact person",
        "primary contact",
        "lead organizer",
        "organizer",
        "organizer name",
        "chair",
    ),
    "leader_role": (
        "leader role",
        "leader title",
        "role",
        "title",
        "position",
        "contact title",
        "contact role",
        "organizer role",
    ),
    "leader_email": (
        "leader email",
        "leader e-mail",
        "leader email address",
        "contact person email",
        "organizer email",
        "primary contact email",
    ),
    "leader_phone": (
        "leader phone",
        "leader phone number",
        "leader telephone",
        "contact person phone",
        "organizer phone",
        "primary contact phone",
    ),
    "partner_of": ("partner of", "partners", "partner organizations", "partner orgs"),
    "member_of": ("member of", "members of", "belongs to", "member organization", "affiliations"),
    "coalition_with": (
        "coalition with",
        "in coalition with",
        "coalition",
        "coalitions",
        "coalition partners",
    ),
    "funds": ("funds", "funder of", "grantees", "funded groups", "funds groups"),
}

KIND_SYNONYMS = {
    "national": Organization.Kind.NATIONAL,
    "national organization": Organization.Kind.NATIONAL,
    "anchor": Organization.Kind.ANCHOR,
    "anchor partner": Organization.Kind.ANCHOR,
    "chapter": Organization.Kind.CHAPTER,
    "local chapter": Organization.Kind.CHAPTER,
    "local": Organization.Kind.CHAPTER,
    "grassroots": Organization.Kind.GRASSROOTS,
    "grassroots group": Organization.Kind.GRASSROOTS,
    "group": Organization.Kind.GRASSROOTS,
    "huddle": Organization.Kind.GRASSROOTS,
    "faith": Organization.Kind.FAITH,
    "faith community": Organization.Kind.FAITH,
    "church": Organization.Kind.FAITH,
    "congregation": Organization.Kind.FAITH,
    "union": Organization.Kind.UNION,
    "labor union": Organization.Kind.UNION,
    "campus": Organization.Kind.CAMPUS,
    "campus group": Organization.Kind.CAMPUS,
    "student group": Organization.Kind.CAMPUS,
    "elected": Organization.Kind.ELECTED,
    "elected office": Organization.Kind.ELECTED,
    "coalition": Organization.Kind.COALITION,
}
STATE_BY_NAME = {name.lower(): code for code, name in geo.US_STATES.items()}
_SPLIT = re.compile(r"\s*[;|\n]\s*|\s*,\s*")
# Player names may hold commas ("Faith Together, Inc."): relationship cells split on ; | only.
_SPLIT_NAMES = re.compile(r"\s*[;|\n]\s*")


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """header -> field for the headers we recognize."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        key = header.strip().lower().replace("_", " ")
        for name, synonyms in HEADER_SYNONYMS.items():
            if name in taken:
                continue
            if key in synonyms or key.replace(" ", "_") in synonyms or key == name:
                mapping[header] = name
                taken.add(name)
                break
    return mapping


def split_list(text: str) -> list[str]:
    return [part for part in (p.strip() for p in _SPLIT.split(text or "")) if part]


def size_band(text: str) -> str | None:
    value = text.strip().replace(",", "").replace("–", "-")
    if value in Organization.Size.values:
        return value
    digits = re.findall(r"\d+", value)
    if not digits:
        return None
    number = int(digits[-1])
    for band, top in (("1-10", 10), ("11-50", 50), ("51-250", 250), ("251-1000", 1000)):
        if number <= top:
            return band
    return "1000+"


@dataclass
class ParsedRow:
    values: dict[str, Any] = field(default_factory=dict)
    issue_areas: list[str] = field(default_factory=list)
    parent_name: str = ""
    source_id: str = ""
    # name / role / email / phone of the row's leader, when the row names one
    leader: dict[str, str] = field(default_factory=dict)
    # (relationship kind = column field, the other player as written: a name or "<source>:<id>")
    relations: list[tuple[str, str]] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # field, problem, level

    @property
    def rejected(self) -> bool:
        return any(level == "error" for _f, _p, level in self.problems)

    def warn(self, name: str, problem: str) -> None:
        self.problems.append((name, problem, "warning"))

    def fail(self, name: str, problem: str) -> None:
        self.problems.append((name, problem, "error"))


def parse_row(raw: dict[str, str], *, issue_lookup: dict[str, str]) -> ParsedRow:
    """Turn one row (field -> text) into typed player values and problems."""
    row = ParsedRow()
    values = row.values
    row.source_id = raw.get("source_id", "").strip()
    if row.source_id.endswith(".0") and row.source_id[:-2].isdigit():
        row.source_id = row.source_id[:-2]
    name = " ".join(raw.get("name", "").split())
    if not name:
        row.fail("name", _("The name is empty."))
    elif len(name) > 255:
        row.fail("name", _("The name is longer than 255 characters."))
    values["name"] = name
    kind_text = raw.get("kind", "").strip().lower()
    row.parent_name = raw.get("parent", "").strip()
    default_kind = Organization.Kind.CHAPTER if row.parent_name else Organization.Kind.GRASSROOTS
    if kind_text:
        kind = KIND_SYNONYMS.get(kind_text) or (
            kind_text if kind_text in Organization.Kind.values else None
        )
        if kind is None:
            row.warn(
                "kind",
                _('Unknown kind "%(value)s"; used "%(default)s".')
                % {"value": raw["kind"], "default": default_kind},
            )
        values["kind"] = kind or default_kind
    else:
        values["kind"] = default_kind
    for simple in ("address", "service_area", "description"):
        if raw.get(simple, "").strip():
            values[simple] = raw[simple].strip()[: 255 if simple != "description" else 20000]
    city = " ".join(raw.get("city", "").split())[:120]
    state_text = raw.get("state", "").strip()
    state = state_text.upper() if len(state_text) == 2 else STATE_BY_NAME.get(state_text.lower())
    if state_text and (state is None or state not in geo.US_STATES):
        row.warn("state", _('"%(value)s" is not a US state.') % {"value": state_text})
        state = ""
    zip_text = raw.get("zip_code", "").strip()
    place = geo.zip_place(zip_text) if zip_text else None
    if zip_text:
        values["zip_code"] = (geo.normalize_zip(zip_text) or zip_text)[:10]
    if place is not None:
        city = city or place.city
        state = state or place.state
        values["latitude"], values["longitude"] = place.latitude, place.longitude
        values["location_flag"] = ""
    else:
        point = geo.city_centroid(city, state or "") if city and state else None
        if zip_text:
            row.warn(
                "zip_code",
                _('Unknown ZIP code "%(value)s"; the row is kept and flagged.')
                % {"value": zip_text},
            )
            values["location_flag"] = "unknown_zip"
        else:
            values["location_flag"] = "city_centroid" if point else "no_location"
        if point is not None:
            values["latitude"], values["longitude"] = point
    if city:
        values["city"] = city
    if state:
        values["state"] = state
    website = raw.get("website", "").strip()
    if website:
        url = website if "://" in website else "https://" + website
        if "." in url.split("://", 1)[1] and " " not in url and len(url) <= 500:
            values["website"] = url
        else:
            row.warn("website", _('"%(value)s" is not a web address.') % {"value": website})
    email = raw.get("public_email", "").strip()
    if email:
        try:
            validate_email(email)
            values["public_email"] = email.lower()
        except ValidationError:
            row.warn("public_email", _('"%(value)s" is not an email address.') % {"value": email})
    if raw.get("public_phone", "").strip():
        values["public_phone"] = raw["public_phone"].strip()[:40]
    if raw.get("size_band", "").strip():
        band = size_band(raw["size_band"])
        if band is None:
            row.warn("size_band", _('"%(value)s" is not a size.') % {"value": raw["size_band"]})
        else:
            values["size_band"] = band
    year_text = raw.get("founded_year", "").strip()
    if year_text:
        year = int(year_text) if year_text.isdigit() else 0
        if 1700 <= year <= dt.date.today().year:
            values["founded_year"] = year
        else:
            row.warn(
                "founded_year", _('"%(value)s" is not a founding year.') % {"value": year_text}
            )
    for list_field in LIST_FIELDS:
        items = split_list(raw.get(list_field, ""))
        if items:
            values[list_field] = items
    _parse_leader(raw, row)
    for kind in RELATION_FIELDS:
        for target in _SPLIT_NAMES.split(raw.get(kind, "").strip()):
            if target.strip() and (kind, target.strip()) not in row.relations:
                row.relations.append((kind, target.strip()))
    for issue in split_list(raw.get("issue_areas", "")):
        slug = issue_lookup.get(issue.lower())
        if slug is None:
            row.warn("issue_areas", _('Unknown issue area "%(value)s".') % {"value": issue})
        elif slug not in row.issue_areas:
            row.issue_areas.append(slug)
    return row


def _parse_leader(raw: dict[str, str], row: ParsedRow) -> None:
    name = " ".join(raw.get("leader_name", "").split())[:300]
    role = " ".join(raw.get("leader_role", "").split())[:120]
    email = raw.get("leader_email", "").strip()
    phone = raw.get("leader_phone", "").strip()[:40]
    if email:
        try:
            validate_email(email)
            email = email.lower()
        except ValidationError:
            row.warn("leader_email", _('"%(value)s" is not an email address.') % {"value": email})
            email = ""
    if not (name or email):
        if role or phone:
            row.warn(
                "leader_name",
                _("The leader has neither a name nor an email; no leader was recorded."),
            )
        return
    row.leader = {"name": name, "role": role, "email": email, "phone": phone}
