"""A problem found in a bundle, reported as ``file:line: column: message``."""

from __future__ import annotations

from dataclasses import dataclass

WHOLE_ROW = "-"  # the column of a problem that is about a whole row or file


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem: the file, its line (header = 1), the column (or ``-``) and what is wrong."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"
