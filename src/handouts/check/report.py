"""The report of `handouts check`: findings, check results, per-handout and whole-run
reports, as text for people and as stable JSON (documented in the README)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from handouts.errors import (
    EXIT_CONTENT,
    EXIT_OK,
)

JSON_VERSION = 1
CHECKS = ("schema", "reading-level", "jargon", "review-dates", "sources", "layout-fit",
          "structure", "translation", "accessibility")
_ORDER = {"pass": 0, "skip": 0, "warn": 1, "fail": 2}


@dataclass(frozen=True, eq=False)
class Finding:
    """One thing a check found, at one place in the content file."""

    level: str  # fail, warn or info
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    subject: str | None = None  # the text it is about: a sentence, a word, a heading, a URL

    @property
    def where(self) -> str:
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}:{self.column}"

    def as_dict(self) -> dict[str, Any]:
        return {"level": self.level, "message": self.message, "file": self.file,
                "line": self.line, "column": self.column, "subject": self.subject}


@dataclass(eq=False)
class CheckResult:
    """The outcome of one named check on one handout."""

    name: str
    status: str  # pass, warn, fail or skip
    summary: str
    measured: dict[str, Any] = field(default_factory=dict)
    limits: dict[str, Any] = field(default_factory=dict)
    hint: str | None = None
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "summary": self.summary,
                "measured": self.measured, "limits": self.limits, "hint": self.hint,
                "findings": [f.as_dict() for f in self.findings]}


def worst(statuses: Iterable[str]) -> str:
    worst = "pass"
    for status in statuses:
        if _ORDER[status] > _ORDER[worst]:
            worst = status
    return worst


@dataclass(eq=False)
class HandoutReport:
    """All checks of one content file."""

    slug: str
    language: str
    file: str
    checks: list[CheckResult]

    @property
    def status(self) -> str:
        return worst(c.status for c in self.checks)

    def check(self, name: str) -> CheckResult:
        for result in self.checks:
            if result.name == name:
                return result
        raise KeyError(name)

    def as_dict(self) -> dict[str, Any]:
        return {"slug": self.slug, "language": self.language, "file": self.file,
                "status": self.status, "checks": [c.as_dict() for c in self.checks]}


@dataclass(eq=False)
class Report:
    """The result of `handouts check`: every handout checked, and the exit code."""

    handouts: list[HandoutReport]
    today: datetime.date
    strict: bool = False

    @property
    def status(self) -> str:
        return worst(h.status for h in self.handouts)

    @property
    def exit_code(self) -> int:
        if self.status == "fail" or (self.strict and self.status == "warn"):
            return EXIT_CONTENT
        return EXIT_OK

    def counts(self) -> dict[str, int]:
        found = Counter(c.status for h in self.handouts for c in h.checks)
        return {status: found.get(status, 0) for status in ("pass", "warn", "fail", "skip")}

    def as_dict(self) -> dict[str, Any]:
        from handouts import __version__

        return {"version": JSON_VERSION, "handouts_version": __version__,
                "today": self.today.isoformat(), "strict": self.strict, "status": self.status,
                "exit_code": self.exit_code, "counts": self.counts(),
                "handouts": [h.as_dict() for h in self.handouts]}

    def to_json(self) -> str:
        import json

        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_text(self, verbose: bool = False) -> str:
        """The report for people: one line per check, then its findings and a hint."""
        lines: list[str] = []
        for h in self.handouts:
            lines.append(f"{h.slug} ({h.language})  {h.file}  {h.status.upper()}")
            for c in h.checks:
                lines.append(f"  {c.status.upper():<4}  {c.name:<13}  {c.summary}")
                shown = [f for f in c.findings
                         if f.level != "info" or verbose or c.status in ("warn", "fail")]
                for f in shown:
                    where = f"{f.where}: " if f.where else ""
                    tag = "" if f.level == c.status else \
                        ("note: " if f.level == "info" else f"{f.level}: ")
                    lines.append(f"        {where}{tag}{f.message}")
                if c.hint and c.status in ("warn", "fail"):
                    lines.append(f"        hint: {c.hint}")
            lines.append("")
        n = len(self.handouts)
        by_status = Counter(h.status for h in self.handouts)
        parts = [f"{by_status[s]} {word}" for s, word in
                 (("pass", "passed"), ("warn", "passed with warnings"), ("fail", "failed"))
                 if by_status[s]]
        strict = " (--strict: warnings fail)" if self.strict and by_status["warn"] else ""
        lines.append(f"{n} handout{'s' if n != 1 else ''} checked: {', '.join(parts) or 'none'}"
                     f"{strict}.")
        return "\n".join(lines) + "\n"
