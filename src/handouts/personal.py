"""Personal fields printed on one patient's copy: never markup, never stored or logged."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Personal:
    """Who a copy is for. Every field is printed exactly as typed (escaped, never parsed)."""

    name: str | None = None
    clinician: str | None = None
    note: str | None = None
    date: datetime.date | None = None

    def __bool__(self) -> bool:
        return any((self.name, self.clinician, self.note, self.date))

    def __repr__(self) -> str:  # keeps patient details out of logs and tracebacks
        return "Personal(<redacted>)"
