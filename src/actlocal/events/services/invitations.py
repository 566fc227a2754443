"""Invitations with unguessable links (stored hashed) and partners' nominations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from actlocal.common.audit import log_action
from actlocal.common.mail import queue_mail
from actlocal.common.tasks import enqueue_on_commit
from actlocal.events.models import RSVP, Event, Invitation, Nomination
from actlocal.events.services import links
from actlocal.events.services.errors import InvitationError
from actlocal.events.services.rsvps import cancel_rsvp, rsvp
from actlocal.people.models import Person


def _hash(token: str) -> str:
    return RSVP.hash_token(token)


def invitation_for_token(token: str) -> Invitation | None:
    if not token:
        return None
    return (
        Invitation.objects.select_related("event", "person")
        .exclude(status=Invitation.Status.REVOKED)
        .filter(token_hash=_hash(token))
        .first()
    )


def invite(*, event: Event, person: Person, by: Any, source: str = "manual") -> Invitation:
    """Invite one person (idempotent: an existing invitation is returned as is)."""
    with transaction.atomic():
        found = Invitation.objects.filter(event=event, person=person).first()
        if found is not None:
            if found.status == Invitation.Status.REVOKED:
                found.status = Invitation.Status.PENDING
                found.save(update_fields=["status", "modified_at"])
            return found
        invitation = Invitation.objects.create(
            event=event,
            person=person,
            token_hash=_hash(links.new_token()),  # replaced by a fresh token when sent
            source=source[:50],
            invited_by=by if getattr(by, "is_authenticated", False) else None,
        )
        log_action("invitation.created", obj=invitation, data={"source": source}, actor=by)
    return invitation


def invite_people(
    *, event: Event, people: Iterable[Person], by: Any, source: str, send: bool
) -> list[Invitation]:
    """Invite many; one audit entry names the batch, each invitation keeps its own."""
    made: list[Invitation] = []
    with transaction.atomic():
        for person in people:
            made.append(invite(event=event, person=person, by=by, source=source))
        log_action(
            "invitations.created",
            obj=event,
            data={"source": source, "count": len(made)},
            actor=by,
        )
        if send:
            from actlocal.events.tasks import send_invitations

            ids = [i.pk for i in made if i.status == Invitation.Status.PENDING]
            if ids:
                enqueue_on_commit(send_invitations, ids)
    return made


def send_invitation(*, invitation: Invitation, by: Any = None, reminder: bool = False) -> str:
    """(Re)send the invitation email with a fresh link; the old link stops working."""
    with transaction.atomic():
        locked = (
            Invitation.objects.select_for_update()
            .select_related("event", "person")
            .get(pk=invitation.pk)
        )
        if locked.status == Invitation.Status.REVOKED:
            raise InvitationError(_("This invitation was revoked."))
        address = locked.person.primary_email
        if not address:
            raise InvitationError(
                _("%(name)s has no email address.") % {"name": locked.person.full_name}
            )
        token = links.new_token()
        locked.token_hash = _hash(token)
        now = timezone.now()
        if reminder:
            locked.reminded_at = now
        else:
            locked.sent_at = now
        if locked.status == Invitation.Status.PENDING:
            locked.status = Invitation.Status.SENT
        locked.send_count += 1
        locked.save()
        queue_mail(
            to=address,
            template="invitation_reminder" if reminder else "invitation_sent",
            context={
                "event": locked.event,
                "person": locked.person,
                "invitation_url": links.invitation_url(token),
                "event_url": links.invitation_url(token),
            },
        )
        log_action("invitation.reminded" if reminder else "invitation.sent", obj=locked, actor=by)
    invitation.status = locked.status
    return token


def accept_invitation(
    *,
    invitation: Invitation,
    party_size: int = 1,
    needs: dict[str, Any] | None = None,
    share_attendance: bool = False,
    by: Any = None,
) -> tuple[RSVP, str | None]:
    with transaction.atomic():
        record, token = rsvp(
            event=invitation.event,
            person=invitation.person,
            party_size=party_size,
            needs=needs,
            source="invitation",
            by=by,
        )
        if record.share_attendance != share_attendance:
            record.share_attendance = share_attendance
            record.save(update_fields=["share_attendance", "modified_at"])
        Invitation.objects.filter(pk=invitation.pk).update(
            status=Invitation.Status.ACCEPTED, answered_at=timezone.now()
        )
        log_action("invitation.accepted", obj=invitation, actor=by)
    invitation.status = Invitation.Status.ACCEPTED
    return record, token


def decline_invitation(*, invitation: Invitation, by: Any = None) -> Invitation:
    with transaction.atomic():
        existing = RSVP.objects.filter(event=invitation.event, person=invitation.person).first()
        if existing is not None and existing.status in {
            RSVP.Status.ACCEPTED,
            RSVP.Status.WAITLISTED,
        }:
            cancel_rsvp(rsvp=existing, by=by)
        if existing is None:
            RSVP.objects.create(
                event=invitation.event,
                person=invitation.person,
                status=RSVP.Status.DECLINED,
                source="invitation",
            )
        else:
            RSVP.objects.filter(pk=existing.pk).update(status=RSVP.Status.DECLINED)
        Invitation.objects.filter(pk=invitation.pk).update(
            status=Invitation.Status.DECLINED, answered_at=timezone.now()
        )
        log_action("invitation.declined", obj=invitation, actor=by)
    invitation.status = Invitation.Status.DECLINED
    return invitation


def revoke_invitation(*, invitation: Invitation, by: Any) -> None:
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.REVOKED)
        log_action("invitation.revoked", obj=invitation, actor=by)


def nominate(
    *, event: Event, person: Person, by: Any, organization: Any = None, reason: str = ""
) -> Nomination:
    with transaction.atomic():
        nomination, created = Nomination.objects.get_or_create(
            event=event,
            person=person,
            defaults={
                "organization": organization,
                "reason": reason,
                "nominated_by": by if getattr(by, "is_authenticated", False) else None,
            },
        )
        if created:
            log_action("nomination.created", obj=nomination, actor=by)
    return nomination


def nominate_for_campaign(
    *,
    campaign: Any,
    person: Person,
    state: str,
    city: str,
    by: Any,
    organization: Any = None,
    reason: str = "",
) -> Nomination | None:
    """A partner nominates a leader for the campaign's event in their city or state.

    Returns None when the campaign has no open event there; callers answer the same
    either way, so a nomination never reveals whether an invite-only event exists.
    """
    events = Event.objects.filter(
        campaign=campaign, state__iexact=state.strip(), status=Event.Status.PUBLISHED
    )
    event = events.filter(city__iexact=city.strip()).first() if city.strip() else None
    event = event or events.order_by("starts_at", "id").first()
    if event is None:
        log_action(
            "nomination.unrouted",
            obj=campaign,
            data={"state": state, "city": city, "person": person.pk},
            actor=by,
        )
        return None
    return nominate(event=event, person=person, by=by, organization=organization, reason=reason)


def decide_nomination(*, nomination: Nomination, approve: bool, by: Any) -> Nomination:
    """Approving invites the nominee (sent at once); rejecting only records it."""
    with transaction.atomic():
        if nomination.status != Nomination.Status.PENDING:
            raise InvitationError(_("This nomination was already decided."))
        nomination.status = Nomination.Status.APPROVED if approve else Nomination.Status.REJECTED
        nomination.decided_by = by
        nomination.decided_at = timezone.now()
        nomination.save()
        log_action(
            "nomination.approved" if approve else "nomination.rejected", obj=nomination, actor=by
        )
        if approve:
            invite_people(
                event=nomination.event,
                people=[nomination.person],
                by=by,
                source="nomination",
                send=True,
            )
    return nomination


def pending_reminders(*, event: Event) -> QuerySet[Invitation]:
    return Invitation.objects.filter(event=event, status=Invitation.Status.SENT)
