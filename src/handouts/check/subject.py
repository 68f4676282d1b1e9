"""What the checks look at (a loaded handout and its settings), and small helpers they share."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from handouts.check.prose import Unit, units
from handouts.check.report import Finding
from handouts.content.model import Handout
from handouts.workspace.finder import Workspace


@dataclass(eq=False)
class Subject:
    """What the checks look at: one loaded handout, where it came from, and the settings."""

    handout: Handout
    path: Any  # the content file
    label: str
    today: datetime.date
    ws: Workspace | None = None
    layouts: Sequence[Any] = ()
    _units: list[Unit] | None = None
    _marks: dict[tuple[Any, ...], Any] | None = None

    @property
    def marks(self) -> dict[tuple[Any, ...], Any]:
        """Where each value is in the file (read again only when a finding needs it)."""
        if self._marks is None:
            self._marks = _marks(self.path, self.label)
        return self._marks

    @property
    def units(self) -> list[Unit]:
        if self._units is None:
            self._units = list(units(self.handout))
        return self._units

    def at(self, path: tuple[Any, ...], level: str, message: str,
           subject: str | None = None) -> Finding:
        """A finding at the place ``path`` was read from (or its nearest parent)."""
        mark = self.marks.get(path)
        while mark is None and path:
            path = path[:-1]
            mark = self.marks.get(path)
        if mark is None:
            return Finding(level, message, self.label, 1, 1, subject)
        return Finding(level, message, mark.name, mark.line + 1, mark.column + 1, subject)


def _marks(path: Any, label: str) -> dict[tuple[Any, ...], Any]:
    """Where each value of a (valid) content file is, in the file it came from (an edition's
    own file or its base): re-read its YAML nodes with a Reader."""
    from handouts.content.model import read_handout
    from handouts.errors import ValidationFailed

    try:
        return read_handout(path, "", label)[1]
    except ValidationFailed:
        return {}


def rounded(value: float, digits: int = 1) -> float:
    return round(value, digits) + 0.0  # + 0.0 turns -0.0 into 0.0


def plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"
