"""Local action networks: join with one form, message members through the outbox."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from actlocal.common import geo
from actlocal.common.audit import log_action
from actlocal.common.mail import queue_mail
from actlocal.events.services.links import absolute
from actlocal.local.models import GroupMembership, GroupMessage, LocalNetwork
from actlocal.local.services.errors import LocalActionError
from actlocal.people.models import Person
from actlocal.people.services import upsert_person


def create_local_network(
    *,
    name: str,
    slug: str,
    city: str,
    state: str,
    zip_code: str = "",
    neighborhood: str = "",
    summary: str = "",
    description: str = "",
    organization: Any = None,
    by: Any = None,
) -> LocalNetwork:
    point = geo.locate(zip_code=zip_code, city=city, state=state)
    with transaction.atomic():
        network = LocalNetwork.objects.create(
            name=name,
            slug=slug,
            city=city,
            state=state.upper(),
            zip_code=zip_code,
            neighborhood=neighborhood,
            summary=summary,
            description=description,
            organization=organization,
            latitude=point[0] if point else None,
            longitude=point[1] if point else None,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        log_action("local_network.created", obj=network, actor=by)
    return network


def join_local_network(
    *,
    network: LocalNetwork,
    email: str,
    given_name: str,
    family_name: str = "",
    zip_code: str = "",
    phone: str = "",
    consent_follow_up: bool = False,
    role: str = GroupMembership.Role.MEMBER,
    by: Any = None,
) -> tuple[GroupMembership, bool]:
    """Put the person (found or created by email) in the group. Joining twice is harmless."""
    with transaction.atomic():
        person, _created = upsert_person(
            email=email,
            fields={
                "given_name": given_name,
                "family_name": family_name,
                "postal_code": zip_code,
                "consent_follow_up": consent_follow_up or None,
            },
            phone=phone or None,
            source=f"group:{network.slug}",
            by=by,
            overwrite=False,
        )
        membership, created = GroupMembership.objects.get_or_create(
            network=network, person=person, defaults={"role": role}
        )
        if not created and membership.unsubscribed_at is not None:
            membership.unsubscribed_at = None
            membership.save(update_fields=["unsubscribed_at"])
            log_action(
                "local_network.resubscribed",
                obj=network,
                actor=by,
                data={"person": str(person.uuid)},
            )
        if created:
            log_action(
                "local_network.joined",
                obj=network,
                data={"person": str(person.uuid), "role": role},
                actor=by,
            )
            queue_mail(
                to=email.strip().lower(),
                template="group_welcome",
                context={
                    "network": network,
                    "person": person,
                    "link": absolute(reverse("web:group", args=[network.slug])),
                },
            )
    return membership, created


def send_group_message(*, network: LocalNetwork, subject: str, body: str, by: Any) -> GroupMessage:
    """Queue one email per subscribed member, each with its own unsubscribe link."""
    if not subject.strip() or not body.strip():
        raise LocalActionError(_("A message needs a subject and a text."))
    with transaction.atomic():
        message = GroupMessage.objects.create(
            network=network, subject=subject.strip(), body=body.strip(), sent_by=by
        )
        members = (
            GroupMembership.objects.select_for_update()
            .filter(network=network, unsubscribed_at__isnull=True)
            .select_related("person")
        )
        count = 0
        for membership in members:
            address = _email_of(membership.person)
            if not address:
                continue
            token = secrets.token_urlsafe(24)
            membership.unsubscribe_token_hash = GroupMembership.hash_token(token)
            membership.save(update_fields=["unsubscribe_token_hash"])
            link = absolute(reverse("web:group-unsubscribe", args=[token]))
            queue_mail(
                to=address,
                template="group_message",
                context={"network": network, "message": message, "unsubscribe_link": link},
                headers={"List-Unsubscribe": f"<{link}>"},
                dedupe_key=f"group-message:{message.pk}:{membership.pk}",
            )
            count += 1
        message.recipient_count = count
        message.save(update_fields=["recipient_count"])
        log_action(
            "local_network.messaged",
            obj=network,
            data={"subject": message.subject, "recipients": count},
            actor=by,
        )
    return message


def _email_of(person: Person) -> str:
    email = person.email_addresses.filter(status="subscribed").order_by("-primary", "id").first()
    return email.address if email else ""


def unsubscribe_from_group(*, token: str) -> GroupMembership | None:
    """Follow an unsubscribe link; None when the link is unknown. Safe to repeat."""
    with transaction.atomic():
        membership = (
            GroupMembership.objects.select_for_update()
            .select_related("network")
            .filter(unsubscribe_token_hash=GroupMembership.hash_token(token))
            .first()
        )
        if membership is None:
            return None
        if membership.unsubscribed_at is None:
            membership.unsubscribed_at = timezone.now()
            membership.save(update_fields=["unsubscribed_at"])
            log_action(
                "local_network.unsubscribed",
                obj=membership.network,
                data={"person": str(membership.person.uuid)},
            )
    return membership
