from __future__ import annotations

from typing import Any

from django import template

from actlocal.local.links import event_path

register = template.Library()


@register.inclusion_tag("local/_event_row.html")
def event_row(
    event: Any, distance: float | None, new_tab: bool = False, absolute: str = ""
) -> dict[str, Any]:
    return {
        "event": event,
        "distance": distance,
        "url": f"{absolute}{event_path(event.slug)}",
        "new_tab": new_tab,
    }
