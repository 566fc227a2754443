"""Staff pages of campaigns: list, create, edit, archive, shared documents.

Hosts of a campaign's events may read its documents; everyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from actlocal.common.permissions import check_perm, perm_required
from actlocal.events.campaign_forms import CampaignForm, DocumentForm
from actlocal.events.models import Campaign, CampaignDocument
from actlocal.events.services import campaigns as services
from actlocal.events.uploads import UploadRefused, check_size


def _logo_kwargs(form: CampaignForm) -> dict[str, Any]:
    upload = form.cleaned_data.get("logo_file")
    if not upload:
        return {}
    return {"logo": upload, "logo_name": upload.name or "", "logo_size": upload.size or 0}


def _refuse_oversize(request: HttpRequest) -> str:
    """Refuse an oversized upload by its Content-Length, before reading the body."""
    try:
        check_size(int(request.META.get("CONTENT_LENGTH") or 0))
    except UploadRefused as exc:
        return str(exc)
    return ""


@perm_required("events.change_campaign")
def campaign_list(request: HttpRequest) -> HttpResponse:
    archived = request.GET.get("archived") == "1"
    campaigns = (
        Campaign.objects.filter(archived_at__isnull=not archived)
        .annotate(
            event_count=Count("events", distinct=True),
            published_count=Count("events", filter=Q(events__status="published"), distinct=True),
            document_count=Count("documents", distinct=True),
        )
        .order_by("-starts_on", "name")
    )
    return render(
        request,
        "orga/events/campaign_list.html",
        {"campaigns": campaigns, "archived": archived},
    )


@perm_required("events.add_campaign")
def campaign_create(request: HttpRequest) -> HttpResponse:
    error = _refuse_oversize(request) if request.method == "POST" else ""
    form = CampaignForm(None if error else (request.POST or None), request.FILES or None)
    if error:
        messages.error(request, error)
    elif request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(
                by=request.user, **form.service_fields(), **_logo_kwargs(form)
            )
        except services.CampaignError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Campaign created."))
            return redirect("orga:campaign", slug=campaign.slug)
    return render(request, "orga/events/campaign_form.html", {"form": form, "campaign": None})


@perm_required("events.change_campaign")
def campaign_edit(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign, slug=slug)
    error = _refuse_oversize(request) if request.method == "POST" else ""
    form = CampaignForm(
        (request.POST or None) if not error else None, request.FILES or None, instance=campaign
    )
    if error:
        messages.error(request, error)
    elif request.method == "POST" and form.is_valid():
        try:
            campaign = services.update_campaign(
                campaign=campaign,
                by=request.user,
                remove_logo=bool(form.cleaned_data.get("remove_logo")),
                **form.service_fields(),
                **_logo_kwargs(form),
            )
        except services.CampaignError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("orga:campaign", slug=campaign.slug)
    # The form must not show the unsaved slug in links if validation failed.
    campaign.refresh_from_db()
    return render(request, "orga/events/campaign_form.html", {"form": form, "campaign": campaign})


@perm_required("events.change_campaign")
def campaign_archive(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign, slug=slug)
    if request.method == "POST":
        if "unarchive" in request.POST:
            services.unarchive_campaign(campaign=campaign, by=request.user)
            messages.success(request, _("Campaign restored. It stays unlisted until you list it."))
        else:
            services.archive_campaign(campaign=campaign, by=request.user)
            messages.success(request, _("Campaign archived. Its events and data are kept."))
        return redirect("orga:campaigns")
    return render(
        request,
        "orga/events/campaign_archive.html",
        {"campaign": campaign, "event_count": campaign.events.count()},
    )


def _campaign_for_documents(request: HttpRequest, slug: str) -> Campaign:
    if not request.user.is_authenticated:
        raise Http404
    campaign = get_object_or_404(Campaign, slug=slug)
    check_perm(request, "events.view_campaign_documents", campaign, hide=True)
    return campaign


def campaign_documents(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign_for_documents(request, slug)
    can_manage = request.user.has_perm("events.manage_campaign_documents", campaign)
    form = DocumentForm()
    if request.method == "POST":
        check_perm(request, "events.manage_campaign_documents", campaign)
        error = _refuse_oversize(request)
        form = DocumentForm(None if error else request.POST, None if error else request.FILES)
        if error:
            messages.error(request, error)
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                services.add_document(
                    campaign=campaign,
                    by=request.user,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    stream=upload,
                    name=upload.name or "",
                    size=upload.size or 0,
                )
            except services.CampaignError as exc:
                form.add_error("file", exc.message)
            else:
                messages.success(request, _("Document shared with the host committees."))
                return redirect("orga:campaign-documents", slug=slug)
    return render(
        request,
        "orga/events/campaign_documents.html",
        {
            "campaign": campaign,
            "documents": campaign.documents.select_related("uploaded_by"),
            "form": form,
            "can_manage": can_manage,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def document_download(request: HttpRequest, slug: str, uuid: str) -> FileResponse:
    campaign = _campaign_for_documents(request, slug)
    document = get_object_or_404(CampaignDocument, campaign=campaign, uuid=uuid)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=document.filename, content_type=document.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@perm_required("events.manage_campaign_documents")
def document_delete(request: HttpRequest, slug: str, uuid: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign, slug=slug)
    document = get_object_or_404(CampaignDocument, campaign=campaign, uuid=uuid)
    if request.method == "POST":
        services.delete_document(document=document, by=request.user)
        messages.success(request, _("Document deleted."))
        return redirect("orga:campaign-documents", slug=slug)
    return render(
        request,
        "orga/events/campaign_document_delete.html",
        {"campaign": campaign, "document": document},
    )
