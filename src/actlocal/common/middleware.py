from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from actlocal.common.context import acting_as


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: behind a proxy, set it with the proxy's real-IP module (README).
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Makes the request's user and IP the actor of audit entries written while serving it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        with acting_as(
            user=user if user is not None and user.is_authenticated else None,
            via="web",
            ip_address=client_ip(request),
        ):
            return self.get_response(request)


class StripTrailingSlashMiddleware:
    """The OSDI API's paths have no trailing slash; strip one instead of redirecting.

    Action Network clients POST to ``/api/v2/people/``; a redirect would drop the body.
    """

    PREFIXES = ("/api/v2/", "/api/public/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if len(path) > 1 and path.endswith("/") and path.startswith(self.PREFIXES):
            stripped = path.rstrip("/")
            if stripped.count("/") >= 2:
                request.path_info = stripped
                request.path = request.path[: len(request.path) - (len(path) - len(stripped))]
        return self.get_response(request)
