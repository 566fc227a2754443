"""Writing a benchmark's figures into docs/performance.md, replacing its earlier section."""

from __future__ import annotations

from pathlib import Path

PERFORMANCE_MD = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def write_section(text: str, header: str | None = None) -> None:
    """Replace the section that starts with ``header`` (default: the text's first line)
    up to the next ``## `` heading, or append it at the end."""
    header = header or text.splitlines()[0]
    path = PERFORMANCE_MD
    content = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    start = content.find(header)
    if start != -1:
        end = content.find("\n## ", start + 5)
        content = content[:start] + content[end + 1 :] if end != -1 else content[:start]
    path.write_text(content.rstrip() + "\n\n" + text.rstrip() + "\n", encoding="utf-8")
