"""Campaign branding: a brand colour that keeps white button text readable (WCAG AA)."""

from __future__ import annotations

import re

DEFAULT_BRAND_COLOR = "#1d4ed8"
# WCAG 2.x AA for normal-size text; button labels are normal-size text.
MIN_CONTRAST_WITH_WHITE = 4.5
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def is_hex_color(value: str) -> bool:
    return bool(_HEX.match(value or ""))


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str) -> float:
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_with_white(color: str) -> float:
    """The WCAG contrast ratio of white text on ``color`` (1 to 21)."""
    return 1.05 / (relative_luminance(color) + 0.05)


def safe_brand_color(color: str | None) -> str:
    """The colour to paint buttons with: the brand colour, or the default when it is unreadable."""
    if color and is_hex_color(color) and contrast_with_white(color) >= MIN_CONTRAST_WITH_WHITE:
        return color.lower()
    return DEFAULT_BRAND_COLOR
