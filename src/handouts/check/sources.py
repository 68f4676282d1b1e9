"""The sources check: complete, well-formed sources; citations that resolve."""

from __future__ import annotations

import re

from handouts.check.report import CheckResult, Finding, worst
from handouts.check.subject import Subject, plural

CITATION = re.compile(r"\[([A-Za-z]{1,4}\d+[A-Za-z0-9.-]*)\]")


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
        for name in ("title", "publisher"):
            if not getattr(source, name):
                findings.append(s.at(("sources", i), "fail",
                                     f"source '{source.id}' has no {name}"))
        if not source.year and not source.accessed:
            findings.append(s.at(("sources", i), "fail", f"source '{source.id}' has no year "
                                                         "(or 'accessed' date for a web page)"))
        if source.year and source.year > s.today.year:
            findings.append(s.at(("sources", i, "year"), "fail",
                                 f"source '{source.id}' is dated {source.year}, in the future"))
        if source.accessed and source.accessed > s.today:
            findings.append(s.at(("sources", i, "accessed"), "fail",
                                 f"source '{source.id}' was accessed on {source.accessed}, "
                                 "in the future"))
        if source.accessed and not source.url:
            findings.append(s.at(("sources", i, "accessed"), "warn",
                                 f"source '{source.id}' has an 'accessed' date but no web "
                                 "address; add its url"))
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
        for match in CITATION.finditer(unit.text):
            ref = match.group(1)
            cited.add(ref)
            if ref not in ids:
                findings.append(s.at(unit.path, "fail",
                                     f"citation [{ref}] ({unit.kind}) is not in the sources "
                                     "list", subject=ref))
    uncited_sections = 0
    for i, section in enumerate(h.sections):
        cited.update(section.sources)
        body_cites = any(CITATION.search(u.text) for u in s.units
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
    status = worst(f.level for f in findings if f.level != "info")
    measured = {"sources": len(h.sources), "cited": len(cited & ids),
                "sections_without_sources": uncited_sections}
    summary = (f"{plural(len(h.sources), 'source')}, {len(cited & ids)} cited; "
               f"{plural(uncited_sections, 'section')} without a source")
    hint = ("give every source an id, title, publisher or authors, year and, if it is online, "
            "a full https:// address; cite sources from each section with 'sources: [...]'")
    return CheckResult("sources", status, summary, measured, {"sources_min": 1}, hint, findings)
