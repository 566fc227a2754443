"""Records as OSDI / Action Network v2 JSON (HAL: ``identifiers``, ``_links``, ISO dates)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest

from actlocal.api.hal import href, iso

ORIGIN = "ActLocal"


def identifiers(record: Any, extra: Iterable[str] = ()) -> list[str]:
    return [f"actlocal:{record.uuid}", f"action_network:{record.uuid}", *extra]


def _base(record: Any) -> dict[str, Any]:
    return {
        "identifiers": identifiers(record),
        "created_date": iso(record.created_at),
        "modified_date": iso(record.modified_at),
    }


# --- people -------------------------------------------------------------------------


def people_with_contacts(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Everything ``person_json`` reads, in a constant number of queries."""
    from actlocal.people.models import EmailAddress, PhoneNumber

    return queryset.prefetch_related(
        Prefetch("email_addresses", queryset=EmailAddress.objects.order_by("-primary", "id")),
        Prefetch("phone_numbers", queryset=PhoneNumber.objects.order_by("-primary", "id")),
    )


def person_json(request: HttpRequest, person: Any) -> dict[str, Any]:
    path = f"people/{person.uuid}"
    external = [i for i in person.external_identifiers if not i.startswith("action_network:")]
    postal: dict[str, Any] = {
        "primary": True,
        "address_lines": [person.address_line] if person.address_line else [],
        "locality": person.locality,
        "region": person.region,
        "postal_code": person.postal_code,
        "country": person.country,
        "language": "en",
        "location": {
            "latitude": person.latitude,
            "longitude": person.longitude,
            "accuracy": "Approximate",
        },
    }
    return {
        **_base(person),
        "identifiers": identifiers(person, external),
        "given_name": person.given_name,
        "family_name": person.family_name,
        "email_addresses": [
            {"primary": e.primary, "address": e.address, "status": e.status}
            for e in person.email_addresses.all()
        ],
        "phone_numbers": [
            {
                "primary": p.primary,
                "number": p.number,
                "number_type": p.kind,
                "status": "subscribed" if p.sms_opt_in else "unsubscribed",
            }
            for p in person.phone_numbers.all()
        ],
        "postal_addresses": [postal],
        "languages_spoken": list(person.languages_spoken or []),
        "custom_fields": dict(person.custom_fields or {}),
        "_links": {
            "self": href(request, path),
            "osdi:attendances": href(request, f"{path}/attendances"),
            "osdi:taggings": href(request, f"{path}/taggings"),
            "osdi:submissions": href(request, f"{path}/submissions"),
        },
    }


# --- tags and lists -----------------------------------------------------------------


def tag_json(request: HttpRequest, tag: Any) -> dict[str, Any]:
    path = f"tags/{tag.uuid}"
    return {
        **_base(tag),
        "name": tag.name,
        "origin_system": tag.origin_system,
        "_links": {"self": href(request, path), "osdi:taggings": href(request, f"{path}/taggings")},
    }


def tagging_json(request: HttpRequest, tagging: Any) -> dict[str, Any]:
    return {
        **_base(tagging),
        "item_type": "osdi:person",
        "_links": {
            "self": href(request, f"tags/{tagging.tag.uuid}/taggings/{tagging.uuid}"),
            "osdi:tag": href(request, f"tags/{tagging.tag.uuid}"),
            "osdi:person": href(request, f"people/{tagging.person.uuid}"),
        },
    }


def list_json(request: HttpRequest, person_list: Any) -> dict[str, Any]:
    path = f"lists/{person_list.uuid}"
    return {
        **_base(person_list),
        "title": person_list.name,
        "name": person_list.name,
        "description": person_list.description,
        "origin_system": ORIGIN,
        "browser_url": None,
        "total_items": getattr(person_list, "item_count", None),
        "_links": {"self": href(request, path), "osdi:items": href(request, f"{path}/items")},
    }


def item_json(request: HttpRequest, item: Any) -> dict[str, Any]:
    return {
        **_base(item),
        "item_type": "osdi:person",
        "_links": {
            "self": href(request, f"lists/{item.person_list.uuid}/items/{item.uuid}"),
            "osdi:list": href(request, f"lists/{item.person_list.uuid}"),
            "osdi:person": href(request, f"people/{item.person.uuid}"),
        },
    }


# --- forms --------------------------------------------------------------------------


def form_json(request: HttpRequest, form: Any) -> dict[str, Any]:
    path = f"forms/{form.uuid}"
    return {
        **_base(form),
        "title": form.title,
        "description": form.description,
        "call_to_action": form.call_to_action,
        "origin_system": form.origin_system,
        "total_submissions": getattr(form, "submission_count", None),
        "browser_url": None,
        "_links": {
            "self": href(request, path),
            "osdi:submissions": href(request, f"{path}/submissions"),
            "osdi:record_submission_helper": href(request, f"{path}/submissions"),
        },
    }


def submission_json(request: HttpRequest, submission: Any) -> dict[str, Any]:
    return {
        **_base(submission),
        "referrer_data": {"source": submission.referrer} if submission.referrer else {},
        "_links": {
            "self": href(request, f"forms/{submission.form.uuid}/submissions/{submission.uuid}"),
            "osdi:form": href(request, f"forms/{submission.form.uuid}"),
            "osdi:person": href(request, f"people/{submission.person.uuid}"),
        },
    }


# --- events -------------------------------------------------------------------------


def event_json(request: HttpRequest, event: Any, *, show_address: bool = True) -> dict[str, Any]:
    path = f"events/{event.uuid}"
    address_lines = [event.address_line] if event.address_line and show_address else []
    status = {
        "published": "confirmed",
        "completed": "confirmed",
        "cancelled": "cancelled",
    }.get(event.status, "tentative")
    links: dict[str, Any] = {
        "self": href(request, path),
        "osdi:attendances": href(request, f"{path}/attendances"),
        "osdi:record_attendance_helper": href(request, f"{path}/attendances"),
    }
    if event.campaign_id:
        links["osdi:event_campaign"] = href(request, f"event_campaigns/{event.campaign.uuid}")
    if event.organization_id:
        links["actlocal:organization"] = href(request, f"organizations/{event.organization.uuid}")
    return {
        **_base(event),
        "title": event.title,
        "name": event.slug,
        "description": event.description,
        "summary": event.summary,
        "browser_url": request.build_absolute_uri(f"/events/{event.slug}/"),
        "type": "open" if event.capacity is None else "ticketed",
        "event_type": event.event_type,
        "status": status,
        "actlocal:status": event.status,
        "visibility": "public" if event.visibility == "public" else "private",
        "start_date": iso(event.starts_at),
        "end_date": iso(event.ends_at),
        "timezone": event.timezone,
        "capacity": event.capacity,
        "total_accepted": event.seats_taken,
        "is_full": event.is_full,
        "instructions": "",
        "origin_system": ORIGIN,
        "location": {
            "venue": event.venue,
            "address_lines": address_lines,
            "locality": event.city,
            "region": event.state,
            "postal_code": event.zip_code,
            "country": "US",
            "language": "en",
            "location": {
                "latitude": event.latitude,
                "longitude": event.longitude,
                "accuracy": "Approximate" if event.address_is_private else "Rooftop",
            },
        },
        "_links": links,
    }


def attendance_json(request: HttpRequest, rsvp: Any) -> dict[str, Any]:
    return {
        **_base(rsvp),
        "status": rsvp.status if rsvp.status != "attended" else "accepted",
        "attended": rsvp.status == "attended" or rsvp.checked_in_at is not None,
        "party_size": rsvp.party_size,
        "waitlist_position": rsvp.waitlist_position,
        "_links": {
            "self": href(request, f"events/{rsvp.event.uuid}/attendances/{rsvp.uuid}"),
            "osdi:event": href(request, f"events/{rsvp.event.uuid}"),
            "osdi:person": href(request, f"people/{rsvp.person.uuid}"),
        },
    }


def campaign_json(request: HttpRequest, campaign: Any) -> dict[str, Any]:
    path = f"event_campaigns/{campaign.uuid}"
    return {
        **_base(campaign),
        "title": campaign.name,
        "name": campaign.slug,
        "description": campaign.description,
        "summary": campaign.summary,
        "origin_system": ORIGIN,
        "host_pitch": campaign.host_pitch,
        "host_instructions": campaign.host_instructions,
        "total_events": getattr(campaign, "event_count", None),
        "_links": {
            "self": href(request, path),
            "osdi:events": href(request, f"{path}/events"),
            "osdi:create_event_helper": href(request, f"{path}/events"),
        },
    }


# --- network extension (actlocal: curie) --------------------------------------------


def organization_json(request: HttpRequest, org: Any, *, full: bool = True) -> dict[str, Any]:
    path = f"organizations/{org.uuid}"
    data: dict[str, Any] = {
        **_base(org),
        "identifiers": identifiers(org, org.source_identifiers),
        "name": org.name,
        "kind": org.kind,
        "description": org.description,
        "website": org.website,
        "size": org.size_band,
        "location": {
            "locality": org.city,
            "region": org.state,
            "postal_code": org.zip_code,
            "location": {"latitude": org.latitude, "longitude": org.longitude},
        },
        "_links": {
            "self": href(request, path),
            "actlocal:relationships": href(request, f"{path}/relationships"),
        },
    }
    if full:
        data["location"]["address_lines"] = [org.address] if org.address else []
        data["email"] = org.public_email
        data["phone"] = org.public_phone
    return data


def relationship_json(request: HttpRequest, rel: Any) -> dict[str, Any]:
    return {
        "identifiers": [f"actlocal:relationship-{rel.pk}"],
        "created_date": iso(rel.created_at),
        "modified_date": iso(rel.modified_at),
        "kind": rel.kind,
        "source": rel.data_source,
        "start_date": rel.start_date.isoformat() if rel.start_date else None,
        "end_date": rel.end_date.isoformat() if rel.end_date else None,
        "_links": {
            "self": href(request, f"organizations/{rel.source.uuid}/relationships/{rel.pk}"),
            "actlocal:source": href(request, f"organizations/{rel.source.uuid}"),
            "actlocal:target": href(request, f"organizations/{rel.target.uuid}"),
        },
    }
