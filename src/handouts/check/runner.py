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
layout-fit     renders within the layout's page budget on each paper; type size; glyphs; a
               layout that leaves sections out with no online address to send readers to
structure      3-5 key points, short headings and paragraphs, questions, no ALL CAPS
translation    fixed texts in the edition's language; a translation not older than its source
accessibility  the tagged PDF of each layout: structure complete, nothing untagged, headings
               in order, alt text, language, title, fonts with Unicode maps, table headers
=============  ==========================================================================

Each *edition* (``en-GB``, ``en-US``, ``es-US``; see ``content.editions``) is checked as it
would be printed: an overlay merged into its base text, fixed texts from the catalogs.

Everything runs offline, and the clock is a parameter (``today``) so results are repeatable.
The JSON form (:meth:`Report.to_json`) is stable and documented in the README.

    from handouts.check.runner import run
    report = run(Workspace.discover(), ["nk-cells"])
    print(report.to_text()); raise SystemExit(report.exit_code)
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable, Collection, Sequence
from typing import Any

from handouts.check.report import CHECKS, CheckResult, Finding, HandoutReport, Report
from handouts.check.subject import Subject, plural
from handouts.content.model import Handout, load_handout
from handouts.errors import (
    ValidationFailed,
)
from handouts.workspace.finder import Workspace

# Checks cheap enough to run on every `handouts make` (no rendering, no word tables).
QUICK_CHECKS = ("review-dates", "sources", "structure")
# Languages the readability formulas and medical word lists exist for.
MEASURED_LANGUAGES = ("en", "es")
PER_LANGUAGE = ("reading-level", "jargon")


# Each check's module in handouts.check and its function, imported when the check runs: the
# quick checks of every `handouts make` need neither the PDF audit nor the word tables.
CHECK_FUNCTIONS: dict[str, tuple[str, str]] = {
    "reading-level": ("language", "check_reading_level"),
    "jargon": ("language", "check_jargon"),
    "review-dates": ("review", "check_review_dates"),
    "sources": ("sources", "check_sources"),
    "layout-fit": ("layout_fit", "check_layout_fit"),
    "structure": ("structure", "check_structure"),
    "translation": ("translation", "check_translation"),
    "accessibility": ("accessibility", "check_accessibility"),
}


def check_function(name: str) -> Callable[[Subject], CheckResult]:
    """The function that runs check ``name`` (one of CHECK_FUNCTIONS)."""
    module, function = CHECK_FUNCTIONS[name]
    return getattr(importlib.import_module(f"handouts.check.{module}"), function)


# --- running them ------------------------------------------------------------------------


def check_file(path: Any, slug: str, label: str, *, today: datetime.date,
               ws: Workspace | None = None, layouts: Sequence[Any] = (),
               only: Collection[str] | None = None,
               handout: Handout | None = None) -> HandoutReport:
    """Run the checks on one content file (``only``: a subset of CHECKS); ``handout``: the
    file already loaded and localised (`handouts make` has it), else it is loaded here."""
    from handouts.content.catalog import localise

    names = [n for n in CHECKS if only is None or n in only]
    language = path.stem
    try:
        if handout is None:
            handout = localise(load_handout(path, slug, label))
    except ValidationFailed as exc:
        findings = [Finding("fail", p.message, p.file, p.line, p.column) for p in exc.problems]
        results = [CheckResult("schema", "fail", f"{plural(len(findings), 'problem')}",
                               {"problems": len(findings)}, {}, "fix each problem at the "
                               "file:line:column shown; 'handouts schema' lists every field",
                               findings)]
        results += [CheckResult(n, "skip", "skipped: fix the schema first")
                    for n in names if n != "schema"]
        return HandoutReport(slug, language, label, results)
    subject = Subject(handout, path, label, today, ws, layouts)
    measured = handout.language.split("-")[0].lower() in MEASURED_LANGUAGES
    results = [CheckResult("schema", "pass", "valid", {"problems": 0})]
    for name in names:
        if name == "schema":
            continue
        if name in PER_LANGUAGE and not measured:
            results.append(CheckResult(name, "skip", f"skipped: measured for "
                                                     f"{' and '.join(MEASURED_LANGUAGES)} only, "
                                                     f"this is '{handout.language}'"))
        else:
            results.append(check_function(name)(subject))
    return HandoutReport(slug, handout.language, label, results)


def run(ws: Workspace, slugs: Sequence[str], *, language: str | None = None,
        today: datetime.date | None = None, layouts: Sequence[str] | None = None,
        strict: bool = False, only: Collection[str] | None = None) -> Report:
    """Check handouts (every edition, or the one ``language`` picks) and return the report.

    ``layouts`` names the layouts to fit (default: the workspace's, else ``standard``);
    unknown handout, language or layout names raise the usual usage errors.
    """
    from handouts.layout.spec import load_layout

    when = today or datetime.date.today()
    loaded: list[Any] = []
    if only is None or "layout-fit" in only or "accessibility" in only:
        names = list(dict.fromkeys(layouts or [ws.config.layout or "standard"]))
        loaded = [load_layout(ws, name) for name in names]
    reports = []
    for slug in slugs:
        editions = [language] if language else ws.editions(slug)
        for lang in editions:
            path = ws.edition(slug, lang).path
            reports.append(check_file(path, slug, ws.label(path), today=when, ws=ws,
                                      layouts=loaded, only=only))
    return Report(reports, when, strict)


def quick_warning(ws: Workspace, slug: str, language: str | None = None,
                  today: datetime.date | None = None,
                  handout: Handout | None = None) -> str | None:
    """One line for `handouts make` when the cheap checks (QUICK_CHECKS) find a failure
    (``handout``: the edition as make loaded it, so it is not read twice).

    Reading level, jargon and layout fit are left to `handouts check`: they need word tables
    or extra renders, and `make` must start fast.
    """
    path = ws.handout_file(slug, language)
    report = check_file(path, slug, ws.label(path), today=today or datetime.date.today(),
                        ws=ws, only=("schema", *QUICK_CHECKS), handout=handout)
    failed = [c for c in report.checks if c.status == "fail"]
    if not failed:
        return None
    first = next(f for f in failed[0].findings if f.level == "fail")
    more = f" (+{len(failed) - 1} more)" if len(failed) > 1 else ""
    return (f"warning: {slug}: {failed[0].name} failed{more}: {first.message}; run "
            f"'handouts check {slug}' (use --force to skip this check)")
