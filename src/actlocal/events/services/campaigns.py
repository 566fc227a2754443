"""Campaigns: create, update, archive; shared documents; new city events from the defaults."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from actlocal.common import geo
from actlocal.common.audit import diff, log_action, snapshot
from actlocal.events import branding, uploads
from actlocal.events.models import Campaign, CampaignDocument, Event, Room, Session, Track
from actlocal.events.services.errors import EventsError
from actlocal.events.services.events import create_event

CAMPAIGN_FIELDS = (
    "name",
    "slug",
    "kind",
    "summary",
    "description",
    "starts_on",
    "ends_on",
    "is_public",
    "is_open_for_hosting",
    "requires_approval",
    "host_pitch",
    "host_instructions",
    "brand_color",
    "default_event_type",
    "default_visibility",
    "default_capacity",
    "default_start_time",
    "default_end_time",
    "default_timezone",
    "default_description",
    "default_accessibility_status",
    "default_accessibility_notes",
    "default_contact_name",
    "default_contact_email",
    "template_event",
)
FALLBACK_TIMEZONE = "America/New_York"
# Paths under /orga/campaigns/ that are pages, not campaigns.
RESERVED_SLUGS = frozenset({"new"})


class CampaignError(EventsError):
    pass


def _snapshot(campaign: Campaign) -> dict[str, Any]:
    return {**snapshot(campaign), "logo": campaign.logo.name or ""}


def _check(campaign: Campaign) -> None:
    if not campaign.slug or slugify(campaign.slug) != campaign.slug:
        raise CampaignError(
            _("The web address may use only lower-case letters, digits and hyphens.")
        )
    if campaign.slug in RESERVED_SLUGS or (
        Campaign.objects.filter(slug=campaign.slug).exclude(pk=campaign.pk).exists()
    ):
        raise CampaignError(
            _("Another campaign already uses the web address “%(slug)s”.") % {"slug": campaign.slug}
        )
    if campaign.starts_on and campaign.ends_on and campaign.ends_on < campaign.starts_on:
        raise CampaignError(_("The last day cannot be before the first day."))
    color = campaign.brand_color
    if not branding.is_hex_color(color):
        raise CampaignError(_("The brand colour must look like #1d4ed8."))
    if branding.contrast_with_white(color) < branding.MIN_CONTRAST_WITH_WHITE:
        raise CampaignError(
            _(
                "White text on %(color)s has a contrast of %(ratio).1f:1; buttons need at "
                "least 4.5:1 (WCAG AA). Choose a darker colour."
            )
            % {"color": color, "ratio": branding.contrast_with_white(color)}
        )
    if (
        campaign.template_event_id
        and campaign.pk is not None
        and not Event.objects.filter(pk=campaign.template_event_id, campaign=campaign).exists()
    ):
        raise CampaignError(_("The agenda template must be an event of this campaign."))
    if campaign.default_timezone:
        try:
            ZoneInfo(campaign.default_timezone)
        except (ValueError, KeyError):
            raise CampaignError(
                _("“%(tz)s” is not a known time zone.") % {"tz": campaign.default_timezone}
            ) from None


def _save_logo(campaign: Campaign, logo: IO[bytes], name: str, size: int) -> None:
    try:
        kind = uploads.identify(name=name, stream=logo, size=size, allowed=uploads.IMAGE_KINDS)
    except uploads.UploadRefused as exc:
        raise CampaignError(str(exc)) from None
    campaign.logo.save(f"{uuid.uuid4().hex}.{kind.extension}", File(logo), save=False)


def _delete_file_on_commit(field: Any) -> None:
    name, storage = field.name, field.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def create_campaign(
    *,
    by: Any,
    logo: IO[bytes] | None = None,
    logo_name: str = "",
    logo_size: int = 0,
    **fields: Any,
) -> Campaign:
    """Create a campaign (staff). ``logo`` is an open image file (PNG, JPEG or WebP)."""
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValueError(f"unknown campaign fields: {sorted(unknown)}")
    campaign = Campaign(**fields)
    if not campaign.slug:
        campaign.slug = slugify(campaign.name)[:200]
    campaign.brand_color = (campaign.brand_color or branding.DEFAULT_BRAND_COLOR).lower()
    _check(campaign)
    with transaction.atomic():
        campaign.created_by = by if getattr(by, "is_authenticated", False) else None
        if logo is not None:
            _save_logo(campaign, logo, logo_name, logo_size)
        campaign.save()
        log_action("campaign.created", obj=campaign, changes=_snapshot(campaign), actor=by)
    return campaign


def update_campaign(
    *,
    campaign: Campaign,
    by: Any,
    logo: IO[bytes] | None = None,
    logo_name: str = "",
    logo_size: int = 0,
    remove_logo: bool = False,
    **fields: Any,
) -> Campaign:
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValueError(f"unknown campaign fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        before = _snapshot(locked)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.brand_color = (locked.brand_color or "").lower()
        _check(locked)
        if (logo is not None or remove_logo) and locked.logo:
            _delete_file_on_commit(locked.logo)
            locked.logo = ""  # type: ignore[assignment]
        if logo is not None:
            _save_logo(locked, logo, logo_name, logo_size)
        locked.save()
        changes = diff(before, _snapshot(locked))
        if changes:
            log_action("campaign.updated", obj=locked, changes=changes, actor=by)
    return locked


def archive_campaign(*, campaign: Campaign, by: Any) -> Campaign:
    """Hide a campaign from every public list and stop new hosting; all its data stays."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.archived_at is not None:
            return locked
        fields = ["archived_at", "is_public", "is_open_for_hosting"]
        before = snapshot(locked, fields)
        locked.archived_at = timezone.now()
        locked.is_public = False
        locked.is_open_for_hosting = False
        locked.save(update_fields=[*fields, "modified_at"])
        log_action(
            "campaign.archived",
            obj=locked,
            changes=diff(before, snapshot(locked, fields)),
            actor=by,
        )
    return locked


def unarchive_campaign(*, campaign: Campaign, by: Any) -> Campaign:
    """Back on the staff list; it stays unlisted until staff make it public again."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.archived_at is None:
            return locked
        before = snapshot(locked, ["archived_at"])
        locked.archived_at = None
        locked.save(update_fields=["archived_at", "modified_at"])
        log_action(
            "campaign.unarchived",
            obj=locked,
            changes=diff(before, snapshot(locked, ["archived_at"])),
            actor=by,
        )
    return locked


# Shared documents ---------------------------------------------------------------


def add_document(
    *,
    campaign: Campaign,
    by: Any,
    title: str,
    description: str = "",
    stream: IO[bytes],
    name: str,
    size: int,
) -> CampaignDocument:
    """Store a document for the campaign's staff and host committees (never public)."""
    try:
        kind = uploads.identify(name=name, stream=stream, size=size, allowed=uploads.DOCUMENT_KINDS)
    except uploads.UploadRefused as exc:
        raise CampaignError(str(exc)) from None
    with transaction.atomic():
        document = CampaignDocument(
            campaign=campaign,
            title=title,
            description=description,
            filename=uploads.safe_filename(title, kind),
            content_type=kind.content_type,
            size=size,
            uploaded_by=by if getattr(by, "is_authenticated", False) else None,
        )
        document.file.save("upload", File(stream), save=False)
        try:
            document.save()
            log_action(
                "campaign.document_added",
                obj=campaign,
                data={
                    "document": str(document.uuid),
                    "title": title,
                    "filename": document.filename,
                    "size": size,
                },
                actor=by,
            )
        except Exception:
            document.file.storage.delete(document.file.name)
            raise
    return document


def delete_document(*, document: CampaignDocument, by: Any) -> None:
    with transaction.atomic():
        log_action(
            "campaign.document_deleted",
            obj=document.campaign,
            data={"document": str(document.uuid), "title": document.title},
            actor=by,
        )
        _delete_file_on_commit(document.file)
        document.delete()


# New city events from the campaign's defaults -------------------------------------


def timezone_for(*, campaign: Campaign, zip_code: str = "") -> str:
    """The campaign's time zone for new events, else the ZIP code's, else Eastern."""
    if campaign.default_timezone:
        return campaign.default_timezone
    place = geo.zip_place(zip_code) if zip_code else None
    return (place.timezone if place and place.timezone else "") or FALLBACK_TIMEZONE


def new_event_initial(*, campaign: Campaign) -> dict[str, Any]:
    """Initial values of the new-event form, from the campaign's defaults."""
    initial: dict[str, Any] = {
        "event_type": campaign.default_event_type or Event.Type.CONVENING,
        "visibility": campaign.default_visibility or Event.Visibility.INVITE_ONLY,
        "status": Event.Status.DRAFT,
        "capacity": campaign.default_capacity,
        "timezone": campaign.default_timezone,
        "description": campaign.default_description,
        "accessibility_status": campaign.default_accessibility_status
        or Event.Accessibility.UNKNOWN,
        "accessibility_notes": campaign.default_accessibility_notes,
        "contact_name": campaign.default_contact_name,
        "contact_email": campaign.default_contact_email,
    }
    day = campaign.starts_on
    if day and campaign.default_start_time:
        initial["starts_at"] = dt.datetime.combine(day, campaign.default_start_time)
        if campaign.default_end_time:
            end_day = day
            if campaign.default_end_time <= campaign.default_start_time:
                end_day = day + dt.timedelta(days=1)
            initial["ends_at"] = dt.datetime.combine(end_day, campaign.default_end_time)
    initial = {key: value for key, value in initial.items() if value not in (None, "")}
    # Empty: the view fills in the zone of the ZIP code the organizer enters.
    initial["timezone"] = campaign.default_timezone
    return initial


def _copy_agenda(*, source: Event, target: Event) -> int:
    """Copy sessions (with tracks and rooms) so each keeps its local wall-clock time
    and its day relative to the event's first day."""
    source_tz, target_tz = ZoneInfo(source.timezone), ZoneInfo(target.timezone)
    shift = (
        target.starts_at.astimezone(target_tz).date()
        - source.starts_at.astimezone(source_tz).date()
    )
    tracks = {t.pk: Track.objects.create(event=target, name=t.name) for t in source.tracks.all()}
    rooms = {
        r.pk: Room.objects.create(event=target, name=r.name, capacity=r.capacity)
        for r in source.rooms.all()
    }

    def moved(moment: dt.datetime) -> dt.datetime:
        local = moment.astimezone(source_tz).replace(tzinfo=None) + shift
        return local.replace(tzinfo=target_tz)

    sessions = [
        Session(
            event=target,
            title=s.title,
            description=s.description,
            format=s.format,
            starts_at=moved(s.starts_at),
            ends_at=moved(s.ends_at),
            track=tracks.get(s.track_id) if s.track_id else None,
            room=rooms.get(s.room_id) if s.room_id else None,
            capacity=s.capacity,
            topics=list(s.topics),
        )
        for s in source.sessions.order_by("starts_at", "id")
    ]
    Session.objects.bulk_create(sessions)
    return len(sessions)


def create_campaign_event(
    *, campaign: Campaign, by: Any, copy_agenda: bool = True, **fields: Any
) -> Event:
    """Create a city event of the campaign; with ``copy_agenda`` it gets the agenda of the
    campaign's template event, moved to its date, in the same transaction."""
    with transaction.atomic():
        event = create_event(campaign=campaign, by=by, **fields)
        source = campaign.template_event
        if copy_agenda and source is not None and source.campaign_id == campaign.pk:
            copied = _copy_agenda(source=source, target=event)
            if copied:
                log_action(
                    "event.agenda_copied",
                    obj=event,
                    data={"from": source.slug, "sessions": copied},
                    actor=by,
                )
    return event
