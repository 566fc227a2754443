"""Dashboard pages of the network map: uploads, column mapping, history and undo, review queue."""

from __future__ import annotations

import csv
import uuid as uuid_lib

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from actlocal.common.permissions import check_perm, perm_required
from actlocal.common.tasks import enqueue_on_commit
from actlocal.network import selectors
from actlocal.network.fields import field_groups
from actlocal.network.models import ImportRun, Organization, Relationship
from actlocal.network.services import NetworkError, merging, organizations
from actlocal.network.services import imports as import_services
from actlocal.network.tabular import UnreadableFile, check_size
from actlocal.network.tasks import run_import_task

COMPARED_FIELDS = (
    "name",
    "kind",
    "address",
    "city",
    "state",
    "zip_code",
    "website",
    "public_email",
    "public_phone",
    "size_band",
    "founded_year",
    "description",
)


class UploadForm(forms.Form):
    source = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=120,
        help_text=gettext_lazy("Who sent the file, e.g. the partner's name."),
    )
    file = forms.FileField(label=gettext_lazy("Spreadsheet (CSV or XLSX)"))


def _runs_for(request: HttpRequest):  # type: ignore[no-untyped-def]
    runs = ImportRun.objects.select_related("created_by")
    return runs if request.user.is_staff else runs.filter(created_by_id=request.user.pk)


@perm_required("network.import_players")
def imports(request: HttpRequest) -> HttpResponse:
    form = UploadForm()
    if request.method == "POST":
        try:
            check_size(int(request.META.get("CONTENT_LENGTH") or 0))
        except UnreadableFile as exc:
            messages.error(request, str(exc))
            return redirect("orga:network-imports")
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            path = import_services.imports_dir() / f"{uuid_lib.uuid4().hex}-{upload.name[-80:]}"
            try:
                check_size(upload.size)
                with path.open("wb") as handle:
                    for chunk in upload.chunks():
                        handle.write(chunk)
                run = import_services.create_run(
                    path=path,
                    filename=upload.name,
                    source=form.cleaned_data["source"],
                    by=request.user,
                    organization=selectors.uploader_organization(request.user),
                )
            except (UnreadableFile, NetworkError) as exc:
                path.unlink(missing_ok=True)
                form.add_error("file", str(exc))
            else:
                return redirect("orga:network-import", uuid=run.uuid)
    return render(
        request, "orga/network/imports.html", {"form": form, "runs": _runs_for(request)[:50]}
    )


@perm_required("network.import_players")
def import_run(request: HttpRequest, uuid: str) -> HttpResponse:
    run = get_object_or_404(_runs_for(request), uuid=uuid)
    error = ""
    if run.status == ImportRun.Status.UPLOADED and request.method == "POST":
        mapping = {h: request.POST.get(f"col-{i}", "") for i, h in enumerate(run.headers)}
        try:
            import_services.configure_run(
                run=run, mapping=mapping, dry_run="dry_run" in request.POST
            )
        except NetworkError as exc:
            error = str(exc)
            run.mapping = {h: f for h, f in mapping.items() if f}
        else:
            enqueue_on_commit(run_import_task, run.pk)
            return redirect("orga:network-import", uuid=run.uuid)
    columns = [(i, h, run.mapping.get(h, "")) for i, h in enumerate(run.headers)]
    return render(
        request,
        "orga/network/import_run.html",
        {
            "run": run,
            "columns": columns,
            "field_groups": field_groups(),
            "error": error,
            "warnings": [p for p in run.problems if p.get("level") != "error"][:100],
            "errors": [p for p in run.problems if p.get("level") == "error"][:100],
        },
    )


@perm_required("network.import_players")
def import_errors(request: HttpRequest, uuid: str) -> HttpResponse:
    run = get_object_or_404(_runs_for(request), uuid=uuid)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{run.uuid}-errors.csv"'
    csv.writer(response).writerows(import_services.problems_csv_rows(run))
    return response


@perm_required("network.import_players")
def import_undo(request: HttpRequest, uuid: str) -> HttpResponse:
    run = get_object_or_404(_runs_for(request), uuid=uuid)
    if request.method == "POST":
        try:
            import_services.undo_import(run=run)
        except NetworkError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The import was undone."))
        return redirect("orga:network-import", uuid=run.uuid)
    return render(request, "orga/network/import_undo.html", {"run": run})


@require_POST
@perm_required("network.import_players")
def import_apply(request: HttpRequest, uuid: str) -> HttpResponse:
    run = get_object_or_404(_runs_for(request), uuid=uuid)
    try:
        real = import_services.apply_dry_run(run=run, by=request.user)
    except NetworkError as exc:
        messages.error(request, str(exc))
        return redirect("orga:network-import", uuid=run.uuid)
    enqueue_on_commit(run_import_task, real.pk)
    return redirect("orga:network-import", uuid=real.uuid)


@perm_required("network.review_duplicates")
def review_queue(request: HttpRequest) -> HttpResponse:
    from actlocal.common.pagination import paginate

    return render(
        request,
        "orga/network/review.html",
        {
            "page": paginate(request, selectors.pending_candidates(), per_page=25),
            "merges": selectors.recent_merges()[:20],
        },
    )


@require_POST
@perm_required("network.review_duplicates")
def unmerge(request: HttpRequest, uuid: str) -> HttpResponse:
    record = get_object_or_404(selectors.recent_merges(), uuid=uuid)
    try:
        restored = merging.unmerge(record=record)
    except NetworkError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(name)s is a separate player again.") % {"name": restored})
    return redirect("orga:network-review")


@perm_required("network.review_duplicates")
def review_pair(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(selectors.pending_candidates(), pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "not_duplicate":
                merging.mark_not_duplicate(candidate=candidate, by=request.user)
                messages.success(
                    request, _("Marked as different players; they will not be proposed again.")
                )
            else:
                keep = "right" if request.POST.get("keep") == "right" else "left"
                take = {
                    f
                    for f in COMPARED_FIELDS
                    if request.POST.get(f"field-{f}") == ("left" if keep == "right" else "right")
                }
                merging.resolve_candidate(
                    candidate=candidate, keep=keep, take_from_other=take, by=request.user
                )
                messages.success(request, _("The players were merged."))
        except NetworkError as exc:
            messages.error(request, str(exc))
        return redirect("orga:network-review")
    rows = [
        (
            f,
            getattr(Organization._meta.get_field(f), "verbose_name", f),
            getattr(candidate.left, f),
            getattr(candidate.right, f),
        )
        for f in COMPARED_FIELDS
    ]
    return render(request, "orga/network/review_pair.html", {"candidate": candidate, "rows": rows})


class PlayerForm(forms.ModelForm):
    website = forms.URLField(
        label=gettext_lazy("website"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "kind",
            "address",
            "city",
            "state",
            "zip_code",
            "service_area",
            "website",
            "public_email",
            "public_phone",
            "size_band",
            "founded_year",
            "description",
            "issue_areas",
            "listed_publicly",
        ]
        widgets = {"issue_areas": forms.CheckboxSelectMultiple}


def edit_player(request: HttpRequest, uuid: str) -> HttpResponse:
    org = get_object_or_404(selectors.live_players(), uuid=uuid)
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    check_perm(request, "network.change_organization", org)
    form = PlayerForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        organizations.update_organization(organization=org, data=form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("web:network-player", uuid=org.uuid)
    return render(request, "orga/network/edit_player.html", {"form": form, "org": org})


class RelationshipForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Relationship"), choices=Relationship.Kind.choices)
    target = forms.ModelChoiceField(
        label=gettext_lazy("Other player"),
        queryset=selectors.live_players().only("id", "name", "city", "state"),
    )
    data_source = forms.CharField(label=gettext_lazy("Source"), required=False, max_length=120)
    start_date = forms.DateField(label=gettext_lazy("Start"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    end_date = forms.DateField(label=gettext_lazy("End"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False, widget=forms.Textarea)


def add_relationship(request: HttpRequest, uuid: str) -> HttpResponse:
    org = get_object_or_404(selectors.live_players(), uuid=uuid)
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    check_perm(request, "network.change_organization", org)
    form = RelationshipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organizations.add_relationship(source=org, **form.cleaned_data)
        except NetworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Relationship added."))
            return redirect("web:network-player", uuid=org.uuid)
    return render(request, "orga/network/add_relationship.html", {"form": form, "org": org})
