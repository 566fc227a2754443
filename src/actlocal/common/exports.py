"""Helpers shared by every CSV export."""

from __future__ import annotations

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Spreadsheet apps run cells starting with = + - @ as formulas: make them text."""
    return "'" + value if value.startswith(_FORMULA_START) else value
