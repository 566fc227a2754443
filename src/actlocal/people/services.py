"""Named actions on people. Each runs in one transaction and writes its audit entry."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from actlocal.common import geo
from actlocal.common.audit import diff, log_action, snapshot
from actlocal.people.models import (
    EmailAddress,
    Form,
    ListItem,
    Membership,
    Person,
    PersonList,
    PhoneNumber,
    Submission,
    Tag,
    Tagging,
)

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


def _by_address(email: str) -> QuerySet[EmailAddress]:
    # Matched as the unique index is built, on lower(address): a plain ``address =``
    # comparison cannot use that index and scans every address on each signup.
    return EmailAddress.objects.alias(address_lower=Lower("address")).filter(
        address_lower=email.strip().lower()
    )


def person_by_email(email: str) -> Person | None:
    found = _by_address(email).select_related("person").first()
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
            found = _by_address(email).select_for_update().select_related("person").first()
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


def create_tag(*, name: str, by: Any = None) -> tuple[Tag, bool]:
    """The tag called ``name`` (trimmed), created if new. Tags are matched by exact name."""
    clean = name.strip()[:200]
    if not clean:
        raise ValueError("a tag needs a name")
    with transaction.atomic():
        tag, created = Tag.objects.get_or_create(name=clean)
        if created:
            log_action("tag.created", obj=tag, actor=by)
    return tag, created


def add_membership(*, person: Person, organization: Any, source: str = "", by: Any = None) -> bool:
    """Put ``person`` on ``organization``'s rolls; True when they were not on them yet."""
    with transaction.atomic():
        _membership, created = Membership.objects.get_or_create(
            person=person, organization=organization, defaults={"source": source}
        )
        if created:
            log_action(
                "person.joined_organization",
                obj=person,
                data={"organization": str(organization), "source": source},
                actor=by,
            )
    return created


def add_list_item(
    *, person_list: PersonList, person: Person, by: Any = None
) -> tuple[ListItem, bool]:
    with transaction.atomic():
        item, created = ListItem.objects.get_or_create(person_list=person_list, person=person)
        if created:
            log_action(
                "list.item_added", obj=person_list, data={"person": str(person.uuid)}, actor=by
            )
    return item, created


def create_form(
    *, title: str, description: str = "", organization: Any = None, by: Any = None
) -> Form:
    with transaction.atomic():
        form = Form.objects.create(
            title=title,
            description=description,
            organization=organization,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        log_action("form.created", obj=form, actor=by)
    return form


def record_submission(
    *, form: Form, person: Person, referrer: str = "", by: Any = None
) -> Submission:
    """One answer to ``form`` by ``person`` (each submission counts, as in Action Network)."""
    with transaction.atomic():
        submission = Submission.objects.create(form=form, person=person, referrer=referrer[:200])
        log_action(
            "submission.created",
            obj=submission,
            data={"form": str(form.uuid), "person": str(person.uuid)},
            actor=by,
        )
    return submission
