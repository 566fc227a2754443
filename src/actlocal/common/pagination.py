from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items: Any, *, per_page: int = 50) -> Page:
    """A page of ``items`` from ``?page=``; a bad or too-large page number gives the last page."""
    paginator = Paginator(items, per_page)
    return paginator.get_page(request.GET.get("page"))
