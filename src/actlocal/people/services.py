"""Named actions on people. Each runs in one transaction and writes its audit entry."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from actlocal.common import geo
from actlocal.common.audit import diff, log_action, snapshot
from actlocal.people.models import EmailAddress, Person, PhoneNumber, Tag, Tagging

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "address_line",
    "locality",
    "region",
    "postal_code",
    "country",
    "languages_spoken",
    "custom_fields",
    "consent_follow_up",
)


def person_by_email(email: str) -> Person | None:
    address = EmailAddress.objects.filter(address=email.strip().lower()).select_related("person")
    found = address.first()
    return found.person if found else None


def _apply_location(person: Person) -> None:
    point = geo.locate(zip_code=person.postal_code, city=person.locality, state=person.region)
    person.latitude, person.longitude = point if point else (None, None)


def upsert_person(
    *,
    email: str | None,
    fields: dict[str, Any],
    phone: str | None = None,
    source: str = "",
    by: Any = None,
    overwrite: bool = True,
) -> tuple[Person, bool]:
    """Find the person by email (case-insensitive) or create them; update the given fields.

    With ``overwrite=False`` only empty fields are filled (a public form must not
    rename someone who typed another spelling).
    """
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"unknown person fields: {sorted(unknown)}")
    with transaction.atomic():
        person = None
        if email:
            found = (
                EmailAddress.objects.select_for_update()
                .filter(address=email.strip().lower())
                .select_related("person")
                .first()
            )
            person = found.person if found else None
        created = person is None
        if person is None:
            person = Person(source=source)
            before: dict[str, Any] = {}
        else:
            before = snapshot(person, PERSON_FIELDS)
        for name, value in fields.items():
            if value is None:
                continue
            if overwrite or created or not getattr(person, name):
                setattr(person, name, value)
        if fields.get("consent_follow_up") and not person.consent_at:
            person.consent_at = timezone.now()
        if {"postal_code", "locality", "region"} & set(fields) or created:
            _apply_location(person)
        person.save()
        if created and email:
            EmailAddress.objects.create(person=person, address=email, primary=True)
        if phone and not person.phone_numbers.filter(number=phone).exists():
            PhoneNumber.objects.create(
                person=person, number=phone, primary=not person.phone_numbers.exists()
            )
        after = snapshot(person, PERSON_FIELDS)
        changes = diff(before, after)
        if created:
            log_action(
                "person.created", obj=person, changes=changes, actor=by, data={"source": source}
            )
        elif changes:
            log_action("person.updated", obj=person, changes=changes, actor=by)
    return person, created


def update_person(*, person: Person, by: Any = None, **fields: Any) -> Person:
    with transaction.atomic():
        before = snapshot(person, PERSON_FIELDS)
        for name, value in fields.items():
            if name not in PERSON_FIELDS:
                raise ValueError(f"unknown person field: {name}")
            setattr(person, name, value)
        if {"postal_code", "locality", "region"} & set(fields):
            _apply_location(person)
        person.save()
        changes = diff(before, snapshot(person, PERSON_FIELDS))
        if changes:
            log_action("person.updated", obj=person, changes=changes, actor=by)
    return person


def delete_person(*, person: Person, by: Any = None) -> None:
    with transaction.atomic():
        log_action(
            "person.deleted",
            obj=person,
            changes={"name": [person.full_name, None], "email": [person.primary_email, None]},
            actor=by,
        )
        person.delete()


def tag_person(*, person: Person, tag_names: Iterable[str], by: Any = None) -> list[Tagging]:
    created: list[Tagging] = []
    with transaction.atomic():
        for name in {n.strip() for n in tag_names if n and n.strip()}:
            tag, _ = Tag.objects.get_or_create(name=name[:200])
            tagging, made = Tagging.objects.get_or_create(tag=tag, person=person)
            if made:
                created.append(tagging)
                log_action("person.tagged", obj=person, data={"tag": tag.name}, actor=by)
    return created


def untag_person(*, person: Person, tag_names: Iterable[str], by: Any = None) -> int:
    with transaction.atomic():
        removed = 0
        for tagging in Tagging.objects.filter(person=person, tag__name__in=list(tag_names)):
            log_action("person.untagged", obj=person, data={"tag": tagging.tag.name}, actor=by)
            tagging.delete()
            removed += 1
    return removed
