"""Account actions: invite someone to an account, accept, reset a password."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from actlocal.accounts.models import AccountInvitation, User
from actlocal.common.audit import log_action
from actlocal.common.mail import queue_mail

INVITATION_DAYS = 14


class AccountError(Exception):
    """A business rule refused the action; the message is for the user."""


def invite_to_account(
    *, email: str, by: User | None, full_name: str = "", make_staff: bool = False
) -> tuple[AccountInvitation, str]:
    """Create an invitation and email its link. Returns the invitation and the raw token."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email, is_active=True).exists():
        raise AccountError("An account with this email address already exists.")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = AccountInvitation.objects.create(
            email=email,
            full_name=full_name,
            make_staff=make_staff,
            invited_by=by,
            token_hash=AccountInvitation.hash_token(token),
            expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
        )
        log_action(
            "account.invited", obj=invitation, data={"email": email, "staff": make_staff}, actor=by
        )
        queue_mail(
            to=email,
            template="account_invitation",
            context={
                "invitation": invitation,
                "inviter": by,
                "link": settings.ACTLOCAL_BASE_URL
                + reverse("accounts:accept-invitation", kwargs={"token": token}),
                "days": INVITATION_DAYS,
            },
        )
    return invitation, token


def invitation_for_token(token: str) -> AccountInvitation | None:
    invitation = AccountInvitation.objects.filter(
        token_hash=AccountInvitation.hash_token(token)
    ).first()
    return invitation if invitation is not None and invitation.is_usable else None


def accept_invitation(*, invitation: AccountInvitation, full_name: str, password: str) -> User:
    with transaction.atomic():
        locked = AccountInvitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_usable:
            raise AccountError("This invitation has already been used or has expired.")
        user = User.objects.filter(email__iexact=locked.email).first()
        if user is None:
            user = User.objects.create_user(
                locked.email, password, full_name=full_name, is_staff=locked.make_staff
            )
            log_action("user.created", obj=user, changes={"email": [None, user.email]}, actor=user)
        else:
            user.set_password(password)
            user.full_name = full_name or user.full_name
            user.is_active = True
            user.is_staff = user.is_staff or locked.make_staff
            user.save()
            log_action("user.reactivated", obj=user, actor=user)
        locked.accepted_at = timezone.now()
        locked.user = user
        locked.save(update_fields=["accepted_at", "user"])
        log_action("account.invitation_accepted", obj=locked, actor=user)
    return user


def update_user(*, user: User, by: User | None, **fields: Any) -> User:
    from actlocal.common.audit import diff, snapshot

    with transaction.atomic():
        before = snapshot(user, fields.keys())
        for name, value in fields.items():
            setattr(user, name, value)
        user.save()
        changes = diff(before, snapshot(user, fields.keys()))
        if changes:
            log_action("user.updated", obj=user, changes=changes, actor=by)
    return user


def deactivate_user(*, user: User, by: User) -> None:
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        log_action("user.deactivated", obj=user, changes={"is_active": [True, False]}, actor=by)
