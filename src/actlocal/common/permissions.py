"""Checking rules in views: refuse with 403, or with 404 where existence is secret."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

F = TypeVar("F", bound=Callable[..., HttpResponse])


def check_perm(request: HttpRequest, perm: str, obj: Any = None, *, hide: bool = False) -> None:
    """Raise unless the user has ``perm``. ``hide=True`` answers 404 instead of 403."""
    if request.user.has_perm(perm, obj):
        return
    if hide:
        raise Http404
    raise PermissionDenied


def perm_required(perm: str) -> Callable[[F], F]:
    """Login first for anonymous users, then 403 without the permission."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
