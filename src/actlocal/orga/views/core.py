"""The dashboard home, audit log, outbox and user invitations (network staff)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actlocal.accounts import services as account_services
from actlocal.accounts.forms import InviteUserForm
from actlocal.accounts.models import AccountInvitation, User
from actlocal.common import mail
from actlocal.common.models import AuditEntry, OutboundEmail
from actlocal.common.pagination import paginate
from actlocal.common.permissions import perm_required
from actlocal.orga.dashboard import dashboard_panels


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "orga/dashboard.html", {"panels": dashboard_panels(request)})


@perm_required("accounts.view_audit_log")
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.select_related("actor", "content_type")
    query = request.GET.get("q", "").strip()
    if query:
        entries = entries.filter(
            Q(action__icontains=query)
            | Q(object_repr__icontains=query)
            | Q(actor_label__icontains=query)
        )
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action=action)
    return render(
        request,
        "orga/audit_log.html",
        {"page": paginate(request, entries), "query": query, "action": action},
    )


@perm_required("accounts.view_audit_log")
def object_history(request: HttpRequest, app_label: str, model: str, pk: str) -> HttpResponse:
    """Every audit entry of one object, including after it was deleted."""
    content_type = get_object_or_404(ContentType, app_label=app_label, model=model)
    entries = AuditEntry.objects.filter(content_type=content_type, object_id=pk).select_related(
        "actor"
    )
    return render(
        request,
        "orga/object_history.html",
        {
            "page": paginate(request, entries),
            "title": entries[0].object_repr if entries else f"{model} #{pk}",
        },
    )


@perm_required("accounts.view_outbox")
def outbox(request: HttpRequest) -> HttpResponse:
    emails = OutboundEmail.objects.all()
    status = request.GET.get("status", "")
    if status in OutboundEmail.Status.values:
        emails = emails.filter(status=status)
    return render(
        request,
        "orga/outbox.html",
        {"page": paginate(request, emails), "status": status, "statuses": OutboundEmail.Status},
    )


@require_POST
@perm_required("accounts.view_outbox")
def outbox_retry(request: HttpRequest, pk: int) -> HttpResponse:
    email = get_object_or_404(OutboundEmail, pk=pk, status=OutboundEmail.Status.FAILED)
    mail.retry_now(email=email)
    messages.success(request, _("The message is queued again."))
    return redirect("orga:outbox")


@perm_required("accounts.invite_user")
def users(request: HttpRequest) -> HttpResponse:
    people = User.objects.order_by("email")
    query = request.GET.get("q", "").strip()
    if query:
        people = people.filter(Q(email__icontains=query) | Q(full_name__icontains=query))
    return render(
        request,
        "orga/users.html",
        {
            "page": paginate(request, people),
            "query": query,
            "pending": AccountInvitation.objects.filter(
                accepted_at__isnull=True, revoked_at__isnull=True
            )[:50],
        },
    )


@perm_required("accounts.invite_user")
def invite_user(request: HttpRequest) -> HttpResponse:
    form = InviteUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.invite_to_account(by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except account_services.AccountError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("orga:users")
    return render(request, "orga/invite_user.html", {"form": form})
