"""Dashboard: API keys (staff and partner admins) and webhooks (staff)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from actlocal.api import services
from actlocal.api.forms import ApiKeyForm, WebhookForm
from actlocal.api.models import ApiKey, Webhook, WebhookDelivery
from actlocal.common.pagination import paginate
from actlocal.common.permissions import check_perm, perm_required


@never_cache  # the one response that shows a new token must not be kept by the browser
@perm_required("api.manage_keys")
def api_keys(request: HttpRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            key, token = services.create_api_key(
                user=request.user, by=request.user, **form.cleaned_data
            )
        except services.ApiError as exc:
            form.add_error("organization", str(exc))
        else:
            # The token is shown once, on this response only; it is stored hashed.
            return render(request, "orga/api/key_created.html", {"key": key, "token": token})
    keys = ApiKey.objects.select_related("user", "organization")
    if not request.user.is_staff:
        owner: Any = request.user
        keys = keys.filter(user=owner)
    return render(request, "orga/api/keys.html", {"form": form, "page": paginate(request, keys)})


@perm_required("api.manage_keys")
def revoke_key(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(ApiKey.objects.select_related("user"), pk=pk)
    check_perm(request, "api.revoke_key", key, hide=True)
    if request.method == "POST":
        services.revoke_api_key(key=key, by=request.user)
        messages.success(request, _("Key “%(name)s” revoked.") % {"name": key.name})
        return redirect("orga:api-keys")
    return render(request, "orga/api/key_revoke.html", {"key": key})


@perm_required("api.manage_webhooks")
def webhooks(request: HttpRequest) -> HttpResponse:
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hook = services.create_webhook(by=request.user, **form.cleaned_data)
        messages.success(request, _("Webhook “%(name)s” created.") % {"name": hook.name})
        return redirect("orga:webhook-detail", pk=hook.pk)
    hooks = Webhook.objects.all()
    return render(
        request, "orga/api/webhooks.html", {"form": form, "page": paginate(request, hooks)}
    )


@perm_required("api.manage_webhooks")
def webhook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hook = get_object_or_404(Webhook, pk=pk)
    deliveries = hook.deliveries.all()
    status = request.GET.get("status", "")
    if status in {"pending", "delivered", "failed"}:
        deliveries = deliveries.filter(status=status)
    return render(
        request,
        "orga/api/webhook_detail.html",
        {
            "hook": hook,
            "page": paginate(request, deliveries),
            "status": status,
            "statuses": WebhookDelivery.Status.choices,
            "query_string": f"status={status}" if status else "",
        },
    )


@require_POST
@perm_required("api.manage_webhooks")
def webhook_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    hook = get_object_or_404(Webhook, pk=pk)
    services.set_webhook_active(webhook=hook, active=not hook.is_active, by=request.user)
    return redirect("orga:webhook-detail", pk=hook.pk)


@perm_required("api.manage_webhooks")
def webhook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    hook = get_object_or_404(Webhook, pk=pk)
    if request.method == "POST":
        services.delete_webhook(webhook=hook, by=request.user)
        messages.success(request, _("Webhook deleted."))
        return redirect("orga:webhooks")
    return render(request, "orga/api/webhook_delete.html", {"hook": hook})
