"""The report of a rejected import: every bad row with its line number, nothing applied.

An import is all or nothing: the whole file is checked first and one bad row rejects it, so
the report lists every problem at once and the user fixes the file in one go.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pbx_core.errors import PbxError

__all__ = ["ImportRejectedError", "RejectedRow"]


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """One row of a file that cannot be imported: its first line (1-based) and why."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class ImportRejectedError(PbxError, ValueError):
    """A file with at least one bad row; ``rows`` lists each of them, in file order."""

    def __init__(self, rows: Sequence[RejectedRow]) -> None:
        self.rows = tuple(sorted(rows, key=lambda r: r.line))
        count = len(self.rows)
        head = f"{count} row{'s' if count != 1 else ''} rejected, nothing imported"
        super().__init__(f"{head}: " + "; ".join(str(r) for r in self.rows))
