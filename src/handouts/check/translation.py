"""The translation check: fixed texts in the edition's language, and a translation's freshness.

* **fail** when a fixed text (a label such as "Page {page} of {pages}", or the email's wording)
  would be printed in English in an edition of another language: neither the content's
  ``labels:`` nor the message catalogs translate it.
* **warn** when a translation (``translated_from: en-US@1.1``) is older than its source: the
  source edition's ``version`` is higher than 1.1, or it was reviewed after the translation.
"""

from __future__ import annotations

import re
from typing import Any

from handouts.check.report import CheckResult, Finding
from handouts.check.subject import Subject, plural


def version_key(version: str) -> tuple[Any, ...]:
    """'1.10' > '1.9' > '1.1': numbers compare as numbers, other parts as text."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p)
                 for p in re.split(r"[.\-_]", version.strip()) if p)


def check_translation(s: Subject) -> CheckResult:
    from handouts.content.catalog import is_source_language, untranslated

    h = s.handout
    findings: list[Finding] = []
    missing = untranslated(h)
    for where, text in missing:
        path = ("labels",) if where.startswith("labels.") else ("language",)
        findings.append(s.at(path, "fail", f"fixed text '{text}' ({where}) has no "
                                           f"'{h.language}' translation", subject=text))
    measured: dict[str, Any] = {"untranslated": len(missing),
                                "untranslated_texts": [w for w, _ in missing]}
    source_note = ""
    if h.translated_from:
        source_note = _freshness(s, findings, measured)
    status = "fail" if missing else ("warn" if any(f.level == "warn" for f in findings)
                                     else "pass")
    if is_source_language(h.language):
        summary = "English fixed texts"
    else:
        summary = (f"{plural(len(missing), 'fixed text')} untranslated" if missing
                   else f"every fixed text in '{h.language}'")
    if source_note:
        summary += f"; {source_note}"
    hint = None
    if missing:
        hint = (f"translate them in src/handouts/locales/<lang>/LC_MESSAGES/handouts.po (then "
                f"run scripts/catalogs.py), or set them under 'labels:' in {h.path}")
    elif status == "warn":
        hint = ("bring the translation up to date with its source, then set "
                "'translated_from' to the source's current edition@version")
    return CheckResult("translation", status, summary, measured, {"untranslated_max": 0},
                       hint, findings)


def _freshness(s: Subject, findings: list[Finding], measured: dict[str, Any]) -> str:
    """Compare a translation with the edition it was translated from; note what was found."""
    from handouts.errors import HandoutsError

    h = s.handout
    tag, _, version = (h.translated_from or "").partition("@")
    measured["translated_from"] = h.translated_from
    if s.ws is None:
        return f"translated from {h.translated_from} (source not checked)"
    try:
        from handouts.content.model import load_handout

        path = s.ws.edition(h.slug, tag).path
        source = load_handout(path, h.slug, s.ws.label(path))
    except HandoutsError as exc:
        findings.append(s.at(("translated_from",), "warn",
                             f"cannot read the source edition '{tag}': {exc.message}",
                             subject=h.translated_from))
        return f"source {tag} unreadable"
    measured["source_version"] = source.version
    measured["source_reviewed"] = source.reviewed.isoformat()
    newer = []
    if version_key(source.version) > version_key(version):
        newer.append(f"{tag} is now version {source.version}")
    if source.reviewed > h.reviewed:
        newer.append(f"{tag} was reviewed on {source.reviewed.isoformat()}, after this "
                     f"translation ({h.reviewed.isoformat()})")
    if newer:
        findings.append(s.at(("translated_from",), "warn",
                             f"translated from {h.translated_from}, but {' and '.join(newer)}",
                             subject=h.translated_from))
        return f"source {tag} {source.version} is newer"
    return f"up to date with {tag} {source.version}"

