"""Personal fields printed on one patient's copy: never markup, never stored or logged."""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass

from handouts.errors import UsageError


@dataclass(frozen=True, eq=False)
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


# Limits for what one person can type on the command line or pass through the API.
MAX_LENGTH = {"name": 100, "clinician": 100, "note": 500}
LABELS = {"name": "the patient name (--for)", "clinician": "the clinician name (--clinician)",
          "note": "the note (--note)"}


def personal_fields(name: str | None = None, clinician: str | None = None,
                    note: str | None = None, date: str | datetime.date | None = None) -> Personal:
    """Check and tidy personal fields as typed; errors name the field, never its value.

    Text is NFC-normalised and trimmed; every kind of space becomes a plain space and a run
    of them one space (a PDF paragraph shows them that way anyway). Line breaks, tabs, other
    control characters and invisible format characters (soft hyphens, bidirectional
    overrides) raise UsageError, as does text over the length limit.
    """
    when: datetime.date | None
    if date is None or isinstance(date, datetime.date):
        when = date
    else:
        try:
            when = datetime.date.fromisoformat(date.strip())
        except ValueError:
            raise UsageError("the date (--date) must be a date as YYYY-MM-DD, "
                             "e.g. 2026-12-01") from None
    return Personal(name=_clean(name, "name"), clinician=_clean(clinician, "clinician"),
                    note=_clean(note, "note"), date=when)


def _clean(raw: str | None, key: str) -> str | None:
    if raw is None:
        return None
    label = LABELS[key]
    for ch in raw:
        kind = unicodedata.category(ch)
        if ch in "\r\n" or kind in ("Zl", "Zp"):
            raise UsageError(f"{label} must be one line: it contains a line break",
                             hint="line breaks are refused so nothing can be injected into "
                                  "an email header; type it on one line")
        if kind in ("Cc", "Cf", "Cs", "Co", "Cn"):
            what = unicodedata.name(ch, "control character")
            raise UsageError(f"{label} contains an invisible or control character "
                             f"(U+{ord(ch):04X} {what})", hint="retype it without that character")
    spaced = "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in raw)
    text = " ".join(part for part in unicodedata.normalize("NFC", spaced).split(" ") if part)
    if len(text) > MAX_LENGTH[key]:
        raise UsageError(f"{label} is {len(text)} characters long; "
                         f"the limit is {MAX_LENGTH[key]}")
    return text or None
