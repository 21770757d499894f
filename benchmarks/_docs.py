"""One section per benchmark in docs/benchmarks.md: each run replaces only its own."""

from __future__ import annotations

from pathlib import Path

__all__ = ["DOC", "replace_section"]

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
HEADER = "# Benchmarks\n\nFigures measured on this project's machines.\n"


def replace_section(heading: str, text: str, path: Path = DOC) -> None:
    """Put ``text`` (starting with ``heading``) where that section was, or append it."""
    old = path.read_text(encoding="utf-8") if path.is_file() else HEADER
    body = text.strip("\n") + "\n"
    start = old.find(heading)
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + body
    else:
        end = old.find("\n## ", start + len(heading))
        tail = old[end + 1 :] if end >= 0 else ""
        new = old[:start] + body + ("\n" + tail if tail else "")
    path.write_text(new, encoding="utf-8")
