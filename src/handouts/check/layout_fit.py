"""The layout-fit check: render on each layout and paper; measure pages, type sizes, glyphs;
warn when a layout leaves sections out and the copy has no online address for them."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from handouts.check.report import CheckResult, Finding, worst
from handouts.check.subject import Subject, plural
from handouts.errors import (
    ContentError,
    LayoutError,
)


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
    titles = [u.text for u in s.units if u.kind in ("title", "subtitle")]
    for unit in s.units:
        if unit.kind == "paragraph" and unit.path[:1] == ("sections",):
            words = unit.text.split()
            for n in range(3, 9):  # enough words not to be the start of the title as well
                sample = " ".join(words[:n])  # ("Las células NK son" vs "Las células NK y")
                if not any(t.startswith(sample) for t in titles) or n >= len(words):
                    return sample
            return sample
    return ""


def _located(s: Subject, level: str, message: str) -> Finding:
    """A finding at the first text unit holding a character quoted in ``message``, if any."""
    for quoted in re.findall(r"character '(.)'", message):
        for unit in s.units:
            if quoted in unit.text:
                return s.at(unit.path, level, message, subject=quoted)
    return Finding(level, message, s.label, 1, 1)


MIN_CONTRAST = 4.5  # WCAG AA for text
MIN_LEADING = 1.15  # line height as a multiple of the type size


def legibility_problems(layout: Any) -> list[str]:
    """Styles people cannot read: text under 4.5:1 against white or any box background of the
    layout (a box's label on its band: against the band), or lines closer than 1.15 x the
    type size."""
    from handouts.colours import contrast
    from handouts.render.styles import styles_for

    styles = styles_for(layout, False, False)
    specs = {name: styles.spec(name) for name in layout.spec.styles}
    backgrounds = {"#ffffff"} | {layout.colour(spec["background"]) for spec in specs.values()
                                 if spec.get("background")}
    banded = {f"{name}_title": layout.colour(spec["band"]) for name, spec in specs.items()
              if spec.get("band")}
    problems = []
    seen: set[str] = set()  # one finding per text colour (styles inherit it from body)
    for name, spec in specs.items():
        text = layout.colour(spec.get("colour") or "#000000")
        for background in [banded[name]] if name in banded else sorted(backgrounds):
            ratio = contrast(text, background)
            if ratio < MIN_CONTRAST and text not in seen:
                seen.add(text)
                problems.append(f"layout '{layout.name}': style '{name}' draws text {text} on "
                                f"{background} at {ratio:.1f}:1 contrast, under "
                                f"{MIN_CONTRAST:g}:1; use a darker colour")
                break
        size, leading = spec.get("size"), spec.get("leading")
        if size and leading and leading < MIN_LEADING * size:
            problems.append(f"layout '{layout.name}': style '{name}' has leading {leading:g} pt "
                            f"for {size:g} pt type, under {MIN_LEADING:g} x the size; set "
                            f"leading to at least {MIN_LEADING * size:.1f}")
    return problems


SHORT_COPY = "short copy: "
SHORT_COPY_FIX = ("give the copy an online address for the full version: 'handout_url' in "
                  "the clinic profile (handouts.yaml's clinic:, or clinics/NAME.yaml for "
                  "make --clinic), or 'url:' in the content")


def short_copy_findings(s: Subject, layout: Any, clinic: Any) -> list[Finding]:
    """A warning when ``layout`` prints only some of the sections (its ``show:`` list) and the
    copy has no online address (the clinic's ``handout_url``, else the content's ``url``):
    the paper then says only "This is a short version. Ask your clinic for the full version."
    (labels.short_version), and the reader has no way to the sections it leaves out."""
    from handouts.layout.merge import shown_sections

    online = (clinic.online_url(s.handout) if clinic is not None else None) or s.handout.url
    if online:
        return []
    try:
        shown = shown_sections(s.handout, layout.spec.show, layout.name)
    except LayoutError:  # an essential section left out: the render fails and says so
        return []
    printed = {id(section) for section in shown}
    left_out = [section for section in s.handout.sections if id(section) not in printed]
    if not left_out:
        return []
    headings = ", ".join(f"'{section.heading}'" for section in left_out)
    return [Finding("warn", f"{SHORT_COPY}layout '{layout.name}' leaves out {len(left_out)} "
                            f"of {plural(len(s.handout.sections), 'section')} ({headings}) and "
                            "the copy has no online address for them: the paper only says it "
                            "is a short version; set 'handout_url' in the clinic profile, or "
                            "'url:' in the content", s.label, 1, 1)]


def check_layout_fit(s: Subject) -> CheckResult:
    """Render with each layout and paper it declares: page budget, type size, glyphs."""
    from handouts.build import build_pdf

    findings: list[Finding] = []
    renders: list[dict[str, Any]] = []
    clinic = None
    if s.ws is not None and s.ws.config.clinic is not None:
        from handouts.content.clinic import resolve_clinic  # the workspace's clinic, logo and all

        clinic = resolve_clinic(s.ws)
    for layout in s.layouts:
        findings.extend(Finding("fail", message, s.label, 1, 1)
                        for message in legibility_problems(layout))
        findings.extend(short_copy_findings(s, layout, clinic))
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
            if body is not None and body < layout.spec.min_body_size:
                findings.append(Finding("fail", f"{what}: body text is {body:g} pt, below "
                                                "the layout's minimum of "
                                                f"{layout.spec.min_body_size:g} pt",
                                        s.label, 1, 1))
            if smallest is not None and smallest < layout.spec.min_font_size:
                findings.append(Finding("fail", f"{what}: text as small as {smallest:g} pt, "
                                                "below the layout's minimum of "
                                                f"{layout.spec.min_font_size:g} pt",
                                        s.label, 1, 1))
    status = worst(f.level for f in findings)
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
    if any(f.message.startswith(SHORT_COPY) for f in findings):
        hints.append(SHORT_COPY_FIX)
    if any(r["pages"] is None for r in renders) and not any(f.subject for f in findings):
        hints.append("the handout could not be rendered with this layout: fix the template or "
                     "the part of the content the message names")
    hint = "; ".join(hints) or "the layout itself does not meet its own type sizes; fix it"
    return CheckResult("layout-fit", status, summary, {"renders": renders},
                       {"body_font_size_min": {layout.name: layout.spec.min_body_size
                                               for layout in s.layouts}}, hint, findings)
