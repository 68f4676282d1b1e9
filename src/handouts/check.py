"""`handouts check`: is this handout fit to give a patient?

Each handout and language gets a report of named checks, each ``pass``, ``warn``, ``fail`` or
``skip`` (when the schema fails, the other checks are skipped), with what was measured, the
limits, a hint on how to fix it, and findings at ``file:line:col``:

=============  ==========================================================================
schema         everything the content loader validates
reading-level  Flesch-Kincaid and SMOG grade of the patient-facing text, the hardest sentences
jargon         medical words and abbreviations used without being explained
review-dates   ``review_by`` passed (fail) or within 60 days (warn); ``reviewed`` in the future
sources        sources complete and well formed, citations resolve, sections cite a source
layout-fit     renders within the layout's page budget on each paper; type size; glyphs
structure      3-5 key points, short headings and paragraphs, questions, no ALL CAPS
=============  ==========================================================================

Everything runs offline, and the clock is a parameter (``today``) so results are repeatable.
The JSON form (:meth:`Report.to_json`) is stable and documented in the README.

    from handouts.check import run
    report = run(Workspace.discover(), ["nk-cells"])
    print(report.to_text()); raise SystemExit(report.exit_code)
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from handouts.content import Handout, load_handout
from handouts.errors import (
    EXIT_CONTENT,
    EXIT_OK,
    ContentError,
    LayoutError,
    ValidationFailed,
)
from handouts.prose import Unit, units
from handouts.workspace import Workspace

JSON_VERSION = 1
CHECKS = ("schema", "reading-level", "jargon", "review-dates", "sources", "layout-fit",
          "structure")
# Checks cheap enough to run on every `handouts make` (no rendering, no word tables).
QUICK_CHECKS = ("review-dates", "sources", "structure")
# The readability formulas, syllable table and medical word list are for English.
ENGLISH_ONLY = ("reading-level", "jargon")

REVIEW_WARN_DAYS = 60
BODY_MIN_PT = 12.0
HEADING_WORDS_MAX = 8
PARAGRAPH_WORDS_MAX = 60
KEY_POINTS = (3, 5)
HARDEST = 5
_ORDER = {"pass": 0, "skip": 0, "warn": 1, "fail": 2}
_CITATION = re.compile(r"\[([A-Za-z]{1,4}\d+[A-Za-z0-9.-]*)\]")
_WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
_CAPS_WORD = re.compile(r"^[A-Z][A-Z'\u2019\-]*[A-Z]$")


@dataclass(frozen=True)
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


@dataclass
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


def _worst(statuses: Iterable[str]) -> str:
    worst = "pass"
    for status in statuses:
        if _ORDER[status] > _ORDER[worst]:
            worst = status
    return worst


@dataclass
class HandoutReport:
    """All checks of one content file."""

    slug: str
    language: str
    file: str
    checks: list[CheckResult]

    @property
    def status(self) -> str:
        return _worst(c.status for c in self.checks)

    def check(self, name: str) -> CheckResult:
        for result in self.checks:
            if result.name == name:
                return result
        raise KeyError(name)

    def as_dict(self) -> dict[str, Any]:
        return {"slug": self.slug, "language": self.language, "file": self.file,
                "status": self.status, "checks": [c.as_dict() for c in self.checks]}


@dataclass
class Report:
    """The result of `handouts check`: every handout checked, and the exit code."""

    handouts: list[HandoutReport]
    today: datetime.date
    strict: bool = False

    @property
    def status(self) -> str:
        return _worst(h.status for h in self.handouts)

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


@dataclass
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
    """Where each value of a (valid) content file is: re-read its YAML nodes with a Reader."""
    from handouts.schema import Reader, compose_file

    node, _ = compose_file(path, label)
    reader = Reader()
    if node is not None:
        reader.read(node, Handout)
    return reader.marks


def _r(value: float, digits: int = 1) -> float:
    return round(value, digits) + 0.0  # + 0.0 turns -0.0 into 0.0


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


# --- the checks --------------------------------------------------------------------------


def check_reading_level(s: Subject) -> CheckResult:
    """Flesch-Kincaid and SMOG grade of the reading text, and its hardest sentences."""
    from handouts.readability import analyse, hardest

    level = s.handout.reading_level
    measures, found = analyse((u.text, u.path) for u in s.units if u.reading)
    fk, smog = _r(measures.fk_grade), _r(measures.smog_grade)
    measured = {
        "fk_grade": fk, "smog_grade": smog, "words": measures.words,
        "sentences": measures.sentences, "syllables": measures.syllables,
        "words_per_sentence": _r(measures.words_per_sentence),
        "long_words": measures.long_words,
        "long_words_percent": _r(measures.long_word_share),
    }
    limits = {"fk_max": level.fk_max, "smog_max": level.smog_max, "fk_warn": level.fk_warn}
    over = []
    if fk > level.fk_max:
        over.append(f"FK grade {fk:g} is above {level.fk_max:g}")
    if smog > level.smog_max:
        over.append(f"SMOG grade {smog:g} is above {level.smog_max:g}")
    status = "fail" if over else ("warn" if fk > level.fk_warn else "pass")
    figures = (f"FK grade {fk:g} (max {level.fk_max:g}, aim {level.fk_warn:g}), "
               f"SMOG {smog:g} (max {level.smog_max:g}); "
               f"{measures.words_per_sentence:.1f} words per sentence, "
               f"{measures.long_word_share:.0f}% words of 3+ syllables, "
               f"{measures.words} words")
    findings = []
    for sentence in hardest(found, HARDEST):
        long = f"; long words: {', '.join(sentence.long_words)}" if sentence.long_words else ""
        findings.append(s.at(sentence.origin, "info",
                             f"hard sentence, FK grade {sentence.fk_grade:.1f}, "
                             f"{sentence.words} words{long}: \"{sentence.text}\"",
                             subject=sentence.text))
    hint = ("shorten the sentences listed (aim for 15 words or fewer, one idea each) and use "
            "everyday words of one or two syllables; explain a medical word once in "
            "'words to know' rather than in every sentence")
    return CheckResult("reading-level", status, figures, measured, limits, hint, findings)


def check_jargon(s: Subject) -> CheckResult:
    """Medical words and abbreviations used without a glossary entry or an explanation."""
    from handouts.jargon import scan

    jargon, abbreviations = scan(s.units, [entry.term for entry in s.handout.glossary])
    findings = []
    for use in jargon:
        if use.explained is None:
            findings.append(s.at(use.unit.path, "fail",
                                 f"medical word '{use.written}' ({use.unit.kind}) is not in "
                                 "'words to know' and not explained where first used",
                                 subject=use.term))
    for use in abbreviations:
        if use.explained is None:
            findings.append(s.at(use.unit.path, "warn",
                                 f"abbreviation '{use.written}' ({use.unit.kind}) is not "
                                 "spelled out or explained where first used",
                                 subject=use.term))
    missing = [f for f in findings if f.level == "fail"]
    unclear = [f for f in findings if f.level == "warn"]
    measured = {"medical_words": len(jargon), "unexplained": len(missing),
                "abbreviations": len(abbreviations), "abbreviations_unexplained": len(unclear),
                "unexplained_words": [f.subject for f in missing],
                "unexplained_abbreviations": [f.subject for f in unclear]}
    status = "fail" if missing else ("warn" if unclear else "pass")
    summary = (f"{_plural(len(jargon), 'medical word')}, {len(missing)} unexplained; "
               f"{_plural(len(abbreviations), 'abbreviation')}, {len(unclear)} unexplained")
    hint = ("add each word to 'glossary' (words to know), or explain it where it is first "
            "used, e.g. 'heparin, a medicine that stops blood clots'; spell out an "
            "abbreviation first, e.g. 'the Royal College of Obstetricians and Gynaecologists "
            "(RCOG)'")
    return CheckResult("jargon", status, summary, measured, {"unexplained_max": 0}, hint,
                       findings)


def check_review_dates(s: Subject) -> CheckResult:
    """``review_by`` passed: fail; due within 60 days: warn; ``reviewed`` in the future: fail."""
    h, today = s.handout, s.today
    days_left = (h.review_by - today).days
    measured = {"reviewed": h.reviewed.isoformat(), "review_by": h.review_by.isoformat(),
                "today": today.isoformat(), "days_left": days_left}
    limits = {"warn_within_days": REVIEW_WARN_DAYS}
    findings = []
    if h.reviewed > today:
        findings.append(s.at(("reviewed",), "fail",
                             f"'reviewed' ({h.reviewed}) is in the future (today is {today})"))
    if days_left < 0:
        findings.append(s.at(("review_by",), "fail",
                             f"review was due on {h.review_by}, {_plural(-days_left, 'day')} "
                             "ago: this content must be reviewed before it is given out"))
    elif days_left <= REVIEW_WARN_DAYS:
        findings.append(s.at(("review_by",), "warn",
                             f"review is due on {h.review_by}, in "
                             f"{_plural(days_left, 'day')}"))
    status = _worst(f.level for f in findings)
    if days_left < 0:
        summary = f"review overdue since {h.review_by} ({_plural(-days_left, 'day')})"
    else:
        summary = f"reviewed {h.reviewed}, next review by {h.review_by} " \
                  f"({_plural(days_left, 'day')} left)"
    if h.reviewed > today:
        summary += f"; 'reviewed' {h.reviewed} is after today"
    hint = ("have a clinician review the content, then set 'reviewed' to the date of that "
            "review and 'review_by' to the next one (usually a year or two later)")
    return CheckResult("review-dates", status, summary, measured, limits, hint, findings)


def _url_problem(url: str) -> tuple[str, str] | None:
    """(level, message) when a web address is not well formed."""
    from urllib.parse import urlsplit

    if any(ch.isspace() for ch in url):
        return "fail", "contains a space"
    parts = urlsplit(url if "://" in url else "https://" + url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or "." not in host or host.startswith(".") \
            or host.endswith(".") or ".." in host:
        return "fail", "is not a web address such as https://example.org/page"
    if parts.scheme == "http":
        return "warn", "uses http://, not https://"
    return None


def check_sources(s: Subject) -> CheckResult:
    """Sources present and complete, URLs well formed, citations resolve, sections cite."""
    h = s.handout
    findings: list[Finding] = []
    ids = {source.id for source in h.sources}
    if not h.sources:
        findings.append(s.at(("sources",), "fail", "no sources: list where the facts come from"))
    for i, source in enumerate(h.sources):
        for name in ("title", "publisher", "year"):
            if not getattr(source, name):
                findings.append(s.at(("sources", i), "fail",
                                     f"source '{source.id}' has no {name}"))
        if source.year > s.today.year:
            findings.append(s.at(("sources", i, "year"), "fail",
                                 f"source '{source.id}' is dated {source.year}, in the future"))
        if source.url:
            problem = _url_problem(source.url)
            if problem:
                findings.append(s.at(("sources", i, "url"), problem[0],
                                     f"source '{source.id}' web address '{source.url}' "
                                     f"{problem[1]}", subject=source.url))
    for i, org in enumerate(h.support):
        if org.url:
            problem = _url_problem(org.url)
            if problem:
                findings.append(s.at(("support", i, "url"), problem[0],
                                     f"'{org.name}' web address '{org.url}' {problem[1]}",
                                     subject=org.url))
    if h.url:
        problem = _url_problem(h.url)
        if problem:
            findings.append(s.at(("url",), problem[0], f"'url' '{h.url}' {problem[1]}",
                                 subject=h.url))
    cited: set[str] = set()
    for unit in s.units:
        for match in _CITATION.finditer(unit.text):
            ref = match.group(1)
            cited.add(ref)
            if ref not in ids:
                findings.append(s.at(unit.path, "fail",
                                     f"citation [{ref}] ({unit.kind}) is not in the sources "
                                     "list", subject=ref))
    uncited_sections = 0
    for i, section in enumerate(h.sections):
        cited.update(section.sources)
        body_cites = any(_CITATION.search(u.text) for u in s.units
                         if u.path[:2] == ("sections", i))
        if not section.sources and not body_cites:
            uncited_sections += 1
            findings.append(s.at(("sections", i, "heading"), "warn",
                                 f"section '{section.heading}' cites no source: add "
                                 "'sources: [S1]' so every claim can be traced",
                                 subject=section.heading))
    for i, source in enumerate(h.sources):
        if source.id not in cited:
            findings.append(s.at(("sources", i, "id"), "info",
                                 f"source '{source.id}' is listed but no section cites it"))
    status = _worst(f.level for f in findings if f.level != "info")
    measured = {"sources": len(h.sources), "cited": len(cited & ids),
                "sections_without_sources": uncited_sections}
    summary = (f"{_plural(len(h.sources), 'source')}, {len(cited & ids)} cited; "
               f"{_plural(uncited_sections, 'section')} without a source")
    hint = ("give every source an id, title, publisher or authors, year and, if it is online, "
            "a full https:// address; cite sources from each section with 'sources: [...]'")
    return CheckResult("sources", status, summary, measured, {"sources_min": 1}, hint, findings)


def _font_sizes(data: bytes, body_sample: str = "") -> tuple[Counter[float], float | None]:
    """Characters drawn at each font size (points) in a PDF, measured from its text, and
    the size of the body text: the text that starts with ``body_sample`` (the first body
    paragraph), else the most common size."""
    import io

    from pypdf import PdfReader

    sizes: Counter[float] = Counter()
    body: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        drawn = len(text.strip())
        if not drawn or not size:
            return
        c = tm[2] * cm[0] + tm[3] * cm[2]
        d = tm[2] * cm[1] + tm[3] * cm[3]
        points = round(size * (c * c + d * d) ** 0.5, 1)
        sizes[points] += drawn
        if body_sample and not body and text.strip().startswith(body_sample):
            body.append(points)

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return sizes, body[0] if body else (sizes.most_common(1)[0][0] if sizes else None)


def _body_sample(s: Subject) -> str:
    """The first words of the first body paragraph (what the body-size check looks for)."""
    for unit in s.units:
        if unit.kind == "paragraph" and unit.path[:1] == ("sections",):
            return " ".join(unit.text.split()[:3])
    return ""


def _located(s: Subject, level: str, message: str) -> Finding:
    """A finding at the first text unit holding a character quoted in ``message``, if any."""
    for quoted in re.findall(r"character '(.)'", message):
        for unit in s.units:
            if quoted in unit.text:
                return s.at(unit.path, level, message, subject=quoted)
    return Finding(level, message, s.label, 1, 1)


def check_layout_fit(s: Subject) -> CheckResult:
    """Render with each layout and paper it declares: page budget, type size, glyphs."""
    from handouts.build import build_pdf

    findings: list[Finding] = []
    renders: list[dict[str, Any]] = []
    clinic = None
    if s.ws is not None and s.ws.config.clinic is not None:
        from handouts.clinic import resolve_clinic  # the workspace's clinic, logo and all

        clinic = resolve_clinic(s.ws)
    for layout in s.layouts:
        papers = list(layout.spec.pages) or [layout.spec.paper]
        for paper in papers:
            what = f"layout '{layout.name}' on {paper.upper() if paper == 'a4' else paper}"
            budget = layout.page_budget(paper)
            try:
                rendered = build_pdf(s.handout, layout, paper, clinic)
            except (ContentError, LayoutError) as exc:
                findings.append(_located(s, "fail", f"{what}: {exc.message}"))
                renders.append({"layout": layout.name, "paper": paper, "pages": None,
                                "page_budget": budget, "body_font_size": None,
                                "smallest_font_size": None})
                continue
            sizes, body = _font_sizes(rendered.data, _body_sample(s))
            smallest = min(sizes) if sizes else None
            renders.append({"layout": layout.name, "paper": paper, "pages": rendered.pages,
                            "page_budget": budget, "body_font_size": body,
                            "smallest_font_size": smallest})
            if budget is not None and rendered.pages > budget:
                findings.append(Finding("fail", f"{what}: {rendered.pages} pages, the layout "
                                                f"allows {budget}", s.label, 1, 1))
            if body is not None and body < BODY_MIN_PT:
                findings.append(Finding("fail", f"{what}: body text is {body:g} pt, "
                                                f"below {BODY_MIN_PT:g} pt", s.label, 1, 1))
            if smallest is not None and smallest < layout.spec.min_font_size:
                findings.append(Finding("fail", f"{what}: text as small as {smallest:g} pt, "
                                                "below the layout's minimum of "
                                                f"{layout.spec.min_font_size:g} pt",
                                        s.label, 1, 1))
    status = _worst(f.level for f in findings)
    summary = "; ".join(
        f"{r['layout']} {r['paper']}: "
        + ("not rendered" if r["pages"] is None else
           f"{r['pages']}{'/' + str(r['page_budget']) if r['page_budget'] else ''} pages, "
           f"body {r['body_font_size']:g} pt")
        for r in renders) or "no layout to render"
    hints = []
    if any("pages, the layout allows" in f.message for f in findings):
        hints.append("shorten the text (fewer or shorter sections, paragraphs and lists) until "
                     "it fits the page budget")
    if any(f.subject for f in findings):
        hints.append("replace the character, or use a layout whose fonts can draw it")
    if any(r["pages"] is None for r in renders) and not any(f.subject for f in findings):
        hints.append("the handout could not be rendered with this layout: fix the template or "
                     "the part of the content the message names")
    hint = "; ".join(hints) or "the layout itself does not meet its own type sizes; fix it"
    return CheckResult("layout-fit", status, summary, {"renders": renders},
                       {"body_font_size_min": BODY_MIN_PT}, hint, findings)


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _shouting(text: str) -> bool:
    """Three or more words in a row in capitals (not counting one-letter words)."""
    run = 0
    for word in _WORD.findall(text):
        if len(word) < 2:
            continue
        run = run + 1 if _CAPS_WORD.match(word) and any(c.isalpha() for c in word) else 0
        if run >= 3:
            return True
    return False


def check_structure(s: Subject) -> CheckResult:
    """What a program can see of PEMAT-P: key points, headings, paragraphs, actions, caps."""
    h = s.handout
    findings: list[Finding] = []
    lo, hi = KEY_POINTS
    if not lo <= len(h.key_points) <= hi:
        findings.append(s.at(("key_points",), "fail",
                             f"{_plural(len(h.key_points), 'key point')}: give {lo} to {hi}"))
    if not h.sections:
        findings.append(s.at(("sections",), "fail", "no sections with headings"))
    longest_heading = 0
    for i, section in enumerate(h.sections):
        n = _word_count(section.heading)
        longest_heading = max(longest_heading, n)
        if n > HEADING_WORDS_MAX:
            findings.append(s.at(("sections", i, "heading"), "fail",
                                 f"heading has {n} words (max {HEADING_WORDS_MAX}): "
                                 f"\"{section.heading}\"", subject=section.heading))
        elif not section.heading.rstrip().endswith("?"):
            findings.append(s.at(("sections", i, "heading"), "warn",
                                 f"heading is not a question: \"{section.heading}\"",
                                 subject=section.heading))
    longest = 0
    for unit in s.units:
        if unit.kind in ("title", "subtitle", "heading"):
            continue
        n = _word_count(unit.text)
        longest = max(longest, n)
        if n > PARAGRAPH_WORDS_MAX:
            findings.append(s.at(unit.path, "fail",
                                 f"{unit.kind} has {n} words (max {PARAGRAPH_WORDS_MAX}); "
                                 "split it", subject=unit.text))
    shouting = 0
    for unit in s.units:
        if _shouting(unit.text):
            shouting += 1
            findings.append(s.at(unit.path, "fail",
                                 f"{unit.kind} is written in capitals: \"{unit.text}\"",
                                 subject=unit.text))
    if not h.questions.items:
        findings.append(s.at(("questions",), "fail",
                             "no questions for the reader to ask: give at least one"))
    if not h.when_to_get_help:
        findings.append(s.at(("when_to_get_help",), "warn",
                             "no 'when_to_get_help': tell readers when to call a doctor"))
    status = _worst(f.level for f in findings)
    measured = {"key_points": len(h.key_points), "sections": len(h.sections),
                "longest_heading_words": longest_heading, "longest_paragraph_words": longest,
                "questions": len(h.questions.items),
                "when_to_get_help": len(h.when_to_get_help), "all_caps": shouting}
    limits = {"key_points_min": lo, "key_points_max": hi, "heading_words_max": HEADING_WORDS_MAX,
              "paragraph_words_max": PARAGRAPH_WORDS_MAX, "questions_min": 1}
    summary = (f"{_plural(len(h.key_points), 'key point')}, "
               f"{_plural(len(h.sections), 'section')}, longest heading "
               f"{_plural(longest_heading, 'word')}, longest paragraph "
               f"{_plural(longest, 'word')}, {_plural(len(h.questions.items), 'question')}")
    hint = ("keep 3 to 5 key points; make headings short plain questions; split long "
            "paragraphs and lists; write in sentence case, never in capitals")
    return CheckResult("structure", status, summary, measured, limits, hint, findings)


CHECK_FUNCTIONS: dict[str, Callable[[Subject], CheckResult]] = {
    "reading-level": check_reading_level,
    "jargon": check_jargon,
    "review-dates": check_review_dates,
    "sources": check_sources,
    "layout-fit": check_layout_fit,
    "structure": check_structure,
}


# --- running them ------------------------------------------------------------------------


def check_file(path: Any, slug: str, label: str, *, today: datetime.date,
               ws: Workspace | None = None, layouts: Sequence[Any] = (),
               only: Collection[str] | None = None) -> HandoutReport:
    """Run the checks on one content file (``only``: a subset of CHECKS)."""
    names = [n for n in CHECKS if only is None or n in only]
    language = path.stem
    try:
        handout = load_handout(path, slug, label)
    except ValidationFailed as exc:
        findings = [Finding("fail", p.message, p.file, p.line, p.column) for p in exc.problems]
        results = [CheckResult("schema", "fail", f"{_plural(len(findings), 'problem')}",
                               {"problems": len(findings)}, {}, "fix each problem at the "
                               "file:line:column shown; 'handouts schema' lists every field",
                               findings)]
        results += [CheckResult(n, "skip", "skipped: fix the schema first")
                    for n in names if n != "schema"]
        return HandoutReport(slug, language, label, results)
    subject = Subject(handout, path, label, today, ws, layouts)
    english = handout.language.split("-")[0].lower() == "en"
    results = [CheckResult("schema", "pass", "valid", {"problems": 0})]
    for name in names:
        if name == "schema":
            continue
        if name in ENGLISH_ONLY and not english:
            results.append(CheckResult(name, "skip", f"skipped: measured for English only, "
                                                     f"this is '{handout.language}'"))
        else:
            results.append(CHECK_FUNCTIONS[name](subject))
    return HandoutReport(slug, handout.language, label, results)


def run(ws: Workspace, slugs: Sequence[str], *, language: str | None = None,
        today: datetime.date | None = None, layouts: Sequence[str] | None = None,
        strict: bool = False, only: Collection[str] | None = None) -> Report:
    """Check handouts (every language, or one) and return the report.

    ``layouts`` names the layouts to fit (default: the workspace's, else ``standard``);
    unknown handout, language or layout names raise the usual usage errors.
    """
    from handouts.layout import load_layout

    when = today or datetime.date.today()
    loaded: list[Any] = []
    if only is None or "layout-fit" in only:
        names = list(dict.fromkeys(layouts or [ws.config.layout or "standard"]))
        loaded = [load_layout(ws, name) for name in names]
    reports = []
    for slug in slugs:
        languages = [language] if language else ws.languages(slug)
        for lang in languages:
            path = ws.handout_file(slug, lang)
            reports.append(check_file(path, slug, ws.label(path), today=when, ws=ws,
                                      layouts=loaded, only=only))
    return Report(reports, when, strict)


def quick_warning(ws: Workspace, slug: str, language: str | None = None,
                  today: datetime.date | None = None) -> str | None:
    """One line for `handouts make` when the cheap checks (QUICK_CHECKS) find a failure.

    Reading level, jargon and layout fit are left to `handouts check`: they need word tables
    or extra renders, and `make` must start fast.
    """
    path = ws.handout_file(slug, language)
    report = check_file(path, slug, ws.label(path), today=today or datetime.date.today(),
                        ws=ws, only=("schema", *QUICK_CHECKS))
    failed = [c for c in report.checks if c.status == "fail"]
    if not failed:
        return None
    first = next(f for f in failed[0].findings if f.level == "fail")
    more = f" (+{len(failed) - 1} more)" if len(failed) > 1 else ""
    return (f"warning: {slug}: {failed[0].name} failed{more}: {first.message}; run "
            f"'handouts check {slug}' (use --force to skip this check)")
