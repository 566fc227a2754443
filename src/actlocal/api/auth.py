"""``OSDI-API-Token`` authentication, the key's scope, and deny-by-default permissions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from actlocal.api.models import ApiKey
from actlocal.events.rules import hosted_event_ids
from actlocal.network.rules import administered_organization_ids

HEADER = "OSDI-API-Token"
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class OsdiTokenAuthentication(BaseAuthentication):
    """The first (and only) authentication class: a missing or bad token answers 401."""

    def authenticate(self, request: Request) -> tuple[Any, KeyScope] | None:
        token = request.META.get("HTTP_OSDI_API_TOKEN", "").strip()
        if not token:
            return None
        key = (
            ApiKey.objects.select_related("user", "organization")
            .filter(token_hash=ApiKey.hash_token(token))
            .first()
        )
        if key is None or key.revoked_at is not None or not key.user.is_active:
            raise AuthenticationFailed(_("Invalid or revoked API key."))
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        return key.user, KeyScope(key=key)

    def authenticate_header(self, request: Request) -> str:
        return HEADER


@dataclass
class KeyScope:
    """What one API key may see and do: its owner's scope, narrowed by the key's options."""

    key: ApiKey
    _cache: dict[str, Any] = field(default_factory=dict)

    @property
    def user(self) -> Any:
        return self.key.user

    @property
    def read_only(self) -> bool:
        return self.key.read_only

    @cached_property
    def network_wide(self) -> bool:
        return bool(self.user.is_staff) and self.key.organization_id is None

    @cached_property
    def organization_ids(self) -> set[int]:
        """Organizations whose people the key sees (none for a network-wide key: it sees all)."""
        administered = administered_organization_ids(self.user)
        org = self.key.organization
        if org is None:
            return administered
        from actlocal.network.models import Organization

        if self.user.is_staff or org.pk in administered:
            chapters = set(Organization.objects.filter(parent=org).values_list("id", flat=True))
            return {org.pk} | chapters
        return set()

    @cached_property
    def hosted_event_ids(self) -> set[int]:
        if self.key.organization_id is not None:
            return set()
        return hosted_event_ids(self.user)

    @property
    def has_any_scope(self) -> bool:
        return self.network_wide or bool(self.organization_ids) or bool(self.hosted_event_ids)

    @property
    def write_organization(self) -> Any:
        """The organization new people signed up by this key belong to (None: network-wide)."""
        if self.network_wide:
            return None
        if self.key.organization is not None:
            return self.key.organization
        from actlocal.network.models import Organization

        admin_of = self.user.organization_admin_roles.values_list("organization_id", flat=True)
        return Organization.objects.filter(pk__in=list(admin_of)).order_by("pk").first()

    # --- what the key sees ------------------------------------------------------------

    def people(self) -> QuerySet[Any]:
        from actlocal.people.models import Person

        if self.network_wide:
            return Person.objects.all()
        orgs = self.organization_ids
        events = self.hosted_event_ids
        condition = Q(pk__in=[])
        if orgs:
            from actlocal.network.models import Leader
            from actlocal.people.models import Membership

            condition |= Q(
                pk__in=Membership.objects.filter(organization_id__in=orgs).values("person_id")
            )
            condition |= Q(
                pk__in=Leader.objects.filter(organization_id__in=orgs).values("person_id")
            )
        if events:
            from actlocal.events.models import RSVP

            condition |= Q(pk__in=RSVP.objects.filter(event_id__in=events).values("person_id"))
        return Person.objects.filter(condition)

    def events(self) -> QuerySet[Any]:
        """What the owner may see (public, hosted, invited; staff all), narrowed by the key."""
        from actlocal.events.selectors import visible_events

        events = visible_events(viewer=self.user)
        if self.key.organization_id is not None:
            events = events.filter(organization_id__in=self.organization_ids)
        return events

    def may_see_attendees(self, event: Any) -> bool:
        if self.key.organization_id is not None:
            return bool(self.user.is_staff) or event.organization_id in self.organization_ids
        return bool(self.user.has_perm("events.view_attendees", event))

    def organizations(self) -> QuerySet[Any]:
        from actlocal.network.models import Organization

        if self.network_wide:
            return Organization.objects.filter(merged_into__isnull=True)
        return Organization.objects.filter(
            Q(pk__in=self.organization_ids) | Q(listed_publicly=True), merged_into__isnull=True
        )


class HasKeyScope(BasePermission):
    """Deny by default: a key needs some scope; a read-only key cannot write."""

    message = _("This API key has no access to this resource.")

    def has_permission(self, request: Request, view: Any) -> bool:
        scope = request.auth
        if not isinstance(scope, KeyScope):
            return False
        if not scope.has_any_scope:
            self.message = _("This API key's owner has no network, organization or event scope.")
            return False
        if request.method not in SAFE_METHODS and scope.read_only:
            self.message = _("This API key is read-only.")
            return False
        return True
