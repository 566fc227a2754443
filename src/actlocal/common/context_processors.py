from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_NAME": "ActLocal",
        "TILE_URL": settings.ACTLOCAL_TILE_URL,
        "TILE_ATTRIBUTION": settings.ACTLOCAL_TILE_ATTRIBUTION,
    }
