"""The accessibility check: render each layout and audit the tagged PDF (PDF/UA-1 conditions
a machine can check).

``audit(data)`` reads a PDF with pikepdf (imported only here) and reports, as findings:

* the document: /MarkInfo Marked, a StructTreeRoot, /Lang, a title that the viewer shows
  (DisplayDocTitle), XMP metadata with dc:title equal to the Info title and pdfuaid:part 1;
* each page: /Tabs /S and /StructParents; no painting operator outside marked content (every
  text, path, image or shading is inside a tagged sequence or an artifact);
* marked content and the tree: every MCID on every page is referenced exactly once by the
  structure tree and the parent tree maps it back to the same element;
* elements: headings in order with no skipped level (H1, H2, H3), an /Alt on every Figure,
  header cells (TH with /Scope) in every table, Lbl before LBody in list items, a Link
  element (OBJR) for every link annotation;
* fonts: embedded, each with a /ToUnicode map so every glyph has its text.

It is not a PDF/UA validator: veraPDF's 106 rules and a screen-reader pass still matter
(see the README's Accessibility section).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from handouts.check.report import CheckResult, Finding, worst
from handouts.check.subject import Subject
from handouts.errors import ContentError, LayoutError

PAINTING = {"Tj", "TJ", "'", '"', "Do", "sh", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*",
            "BI", "INLINE IMAGE"}


@dataclass(frozen=True)
class Problem:
    """One thing the audit found: what, and where (a page, an element)."""

    message: str
    page: int | None = None  # 1-based

    def __str__(self) -> str:
        return f"page {self.page}: {self.message}" if self.page else self.message


def audit(data: bytes) -> list[Problem]:
    """The machine-checkable PDF/UA-1 problems of a PDF (empty: none found)."""
    import io

    import pikepdf

    problems: list[Problem] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        problems += _document(pdf, root, pikepdf)
        tree = root.get("/StructTreeRoot")
        marked = _content(pdf, problems, pikepdf)
        if tree is None:
            return problems
        role_map = {str(k): str(v) for k, v in tree.get("/RoleMap", {}).items()}
        refs, elements = _tree(pdf, tree, role_map, problems, pikepdf)
        _marks_match(marked, refs, problems)
        _parent_tree(pdf, tree, problems, pikepdf)
        _elements(elements, problems)
        _annotations(pdf, problems)
        _fonts(pdf, problems, pikepdf)
    return problems


def _document(pdf: Any, root: Any, pikepdf: Any) -> list[Problem]:
    out = []
    mark_info = root.get("/MarkInfo")
    if mark_info is None or not bool(mark_info.get("/Marked", False)):
        out.append(Problem("the document is not marked as tagged (/MarkInfo /Marked true)"))
    if "/StructTreeRoot" not in root:
        out.append(Problem("no structure tree: the PDF is untagged"))
    if not str(root.get("/Lang", "")).strip():
        out.append(Problem("no document language (/Lang)"))
    prefs = root.get("/ViewerPreferences", {})
    if not bool(prefs.get("/DisplayDocTitle", False)):
        out.append(Problem("the viewer shows the file name, not the title (DisplayDocTitle)"))
    title = str(pdf.docinfo.get("/Title", "")) if pdf.docinfo else ""
    if not title.strip():
        out.append(Problem("no document title"))
    if "/Metadata" not in root:
        out.append(Problem("no XMP metadata"))
    else:
        meta = pdf.open_metadata()
        if str(meta.get("pdfuaid:part", "")) != "1":
            out.append(Problem("XMP metadata does not identify PDF/UA-1 (pdfuaid:part 1)"))
        if meta.get("dc:title", "") != title:
            out.append(Problem("XMP dc:title differs from the document title"))
    return out


def _content(pdf: Any, problems: list[Problem], pikepdf: Any) -> list[tuple[int, int]]:
    """(page, MCID) of every marked sequence, in paint order; unmarked painting reported."""
    marks: list[tuple[int, int]] = []
    for number, page in enumerate(pdf.pages):
        if page.obj.get("/Tabs") != pikepdf.Name("/S"):
            problems.append(Problem("tab order does not follow the structure (/Tabs /S)",
                                    number + 1))
        if "/StructParents" not in page.obj:
            problems.append(Problem("no /StructParents entry", number + 1))
        stack: list[tuple[str, int | None]] = []
        loose = Counter[str]()
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                tag = str(operands[0])
                mcid = None
                if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                    value = operands[1].get("/MCID")
                    mcid = int(value) if value is not None else None
                stack.append((tag, mcid))
                if mcid is not None:
                    marks.append((number, mcid))
            elif op == "EMC":
                if stack:
                    stack.pop()
            elif op in PAINTING and not any(t == "/Artifact" or m is not None for t, m in stack):
                loose[op] += 1
        if loose:
            what = ", ".join(f"{n} x {op}" for op, n in sorted(loose.items()))
            problems.append(Problem(f"content outside tags and artifacts ({what})", number + 1))
    return marks


def _tree(pdf: Any, tree: Any, role_map: dict[str, str], problems: list[Problem],
          pikepdf: Any) -> tuple[Counter[tuple[int, int]], list[tuple[str, Any]]]:
    """MCIDs the tree references (counted) and its elements in order, standard type each."""
    pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
    refs: Counter[tuple[int, int]] = Counter()
    elements: list[tuple[str, Any]] = []
    seen: set[tuple[int, int]] = set()

    def visit(elem: Any, page: int | None) -> None:
        if elem.objgen != (0, 0):
            if elem.objgen in seen:
                return
            seen.add(elem.objgen)
        kind = str(elem.get("/S", ""))
        elements.append((role_map.get(kind, kind), elem))
        if "/Pg" in elem:
            page = pages.get(elem.Pg.objgen)
        kids = elem.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary):
                if kid.get("/Type") == pikepdf.Name("/MCR"):
                    where = pages.get(kid.Pg.objgen) if "/Pg" in kid else page
                    refs[(where, int(kid.MCID))] += 1
                elif kid.get("/Type") == pikepdf.Name("/OBJR"):
                    continue
                else:
                    visit(kid, page)
            else:
                try:
                    refs[(page, int(kid))] += 1
                except (TypeError, ValueError):
                    problems.append(Problem(f"a {kind} element has a kid that is neither an "
                                            "element nor marked content"))

    top = tree.get("/K")
    for elem in top if isinstance(top, pikepdf.Array) else [top] if top is not None else []:
        visit(elem, None)
    return refs, elements


def _marks_match(marked: list[tuple[int, int]], refs: Counter[tuple[int, int]],
                 problems: list[Problem]) -> None:
    content = Counter(marked)
    for (page, mcid), n in sorted(content.items()):
        if n > 1:
            problems.append(Problem(f"MCID {mcid} is used {n} times", page + 1))
    for (page, mcid) in sorted(set(content) - set(refs)):
        problems.append(Problem(f"marked content MCID {mcid} is not in the structure tree",
                                page + 1))
    for (page, mcid), n in sorted(refs.items()):
        if (page, mcid) not in content:
            problems.append(Problem(f"the structure tree refers to MCID {mcid}, which the "
                                    "page does not have", None if page is None else page + 1))
        elif n > 1:
            problems.append(Problem(f"MCID {mcid} is referenced {n} times by the structure "
                                    "tree", page + 1))


def _parent_tree(pdf: Any, tree: Any, problems: list[Problem], pikepdf: Any) -> None:
    parents = tree.get("/ParentTree")
    if parents is None:
        problems.append(Problem("the structure tree has no /ParentTree"))
        return
    nums = pikepdf.NumberTree(parents)
    for number, page in enumerate(pdf.pages):
        key = page.obj.get("/StructParents")
        if key is None:
            continue
        array = nums.get(int(key))
        if array is None:
            problems.append(Problem("the parent tree has no entry for this page", number + 1))
            continue
        for mcid, elem in enumerate(array):
            if not isinstance(elem, pikepdf.Dictionary):
                continue
            kids = elem.get("/K")
            listed = kids if isinstance(kids, pikepdf.Array) else [kids]
            ok = any((not isinstance(k, pikepdf.Dictionary) and k is not None and int(k) == mcid)
                     or (isinstance(k, pikepdf.Dictionary) and "/MCID" in k
                         and int(k.MCID) == mcid) for k in listed)
            if not ok:
                problems.append(Problem(f"the parent tree maps MCID {mcid} to an element that "
                                        "does not hold it", number + 1))


def _elements(elements: list[tuple[str, Any]], problems: list[Problem]) -> None:
    previous = 0
    for kind, elem in elements:
        if len(kind) == 3 and kind.startswith("/H") and kind[2].isdigit():
            level = int(kind[2])
            if level > previous + 1:
                problems.append(Problem(f"heading level skipped: {kind[1:]} after "
                                        f"{'H' + str(previous) if previous else 'no heading'}"))
            previous = level
        elif kind == "/Figure":
            if not str(elem.get("/Alt", "")).strip() and not str(elem.get("/ActualText",
                                                                          "")).strip():
                problems.append(Problem("a figure has no alternative text (/Alt)"))
        elif kind == "/Table":
            cells = [k for k, e in elements if _within(e, elem) and k in ("/TH", "/TD")]
            if "/TH" not in cells:
                problems.append(Problem("a table has no header cells (TH)"))
        elif kind == "/TH":
            attrs = elem.get("/A")
            if attrs is None or ("/Scope" not in attrs and "/Headers" not in elem):
                problems.append(Problem("a table header cell has no /Scope"))
        elif kind == "/LI":
            order = [str(k.get("/S", "")) for k in _kids(elem)]
            if "/Lbl" in order and "/LBody" in order and order.index("/Lbl") > \
                    order.index("/LBody"):
                problems.append(Problem("a list item's label comes after its body"))


def _kids(elem: Any) -> list[Any]:
    import pikepdf

    kids = elem.get("/K")
    listed = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    return [k for k in listed if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def _within(elem: Any, ancestor: Any) -> bool:
    node = elem
    for _ in range(50):
        parent = node.get("/P")
        if parent is None:
            return False
        if parent.objgen == ancestor.objgen:
            return True
        node = parent
    return False


def _annotations(pdf: Any, problems: list[Problem]) -> None:
    for number, page in enumerate(pdf.pages):
        for annot in page.obj.get("/Annots", []):
            if str(annot.get("/Subtype", "")) == "/Link":
                if "/StructParent" not in annot:
                    problems.append(Problem("a link is not in the structure tree (no Link "
                                            "element)", number + 1))
                if not str(annot.get("/Contents", "")).strip():
                    problems.append(Problem("a link has no description (/Contents)",
                                            number + 1))


def _fonts(pdf: Any, problems: list[Problem], pikepdf: Any) -> None:
    seen: set[tuple[int, int]] = set()
    for number, page in enumerate(pdf.pages):
        resources = page.obj.get("/Resources", {})
        fonts = dict(resources.get("/Font", {}).items())
        for xobject in resources.get("/XObject", {}).values():
            fonts.update(xobject.get("/Resources", {}).get("/Font", {}).items())
        for font in fonts.values():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            described = font
            if font.get("/Subtype") == pikepdf.Name("/Type0"):
                described = font.DescendantFonts[0]
            descriptor = described.get("/FontDescriptor")
            if descriptor is None or not any(k in descriptor for k in
                                             ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.append(Problem(f"font {name} is not embedded", number + 1))
            if "/ToUnicode" not in font:
                problems.append(Problem(f"font {name} has no Unicode map (/ToUnicode)",
                                        number + 1))


def check_accessibility(s: Subject) -> CheckResult:
    """Render with each layout and paper and audit the tagged PDF."""
    try:
        import pikepdf  # noqa: F401
    except ImportError:
        return CheckResult("accessibility", "skip", "pikepdf is not installed",
                           hint="pip install pikepdf")
    from handouts.build import build_pdf

    clinic = None
    if s.ws is not None and s.ws.config.clinic is not None:
        from handouts.content.clinic import resolve_clinic

        clinic = resolve_clinic(s.ws)
    findings: list[Finding] = []
    audited: list[dict[str, Any]] = []
    for layout in s.layouts:
        for paper in list(layout.spec.pages) or [layout.spec.paper]:
            what = f"layout '{layout.name}' on {paper.upper() if paper == 'a4' else paper}"
            try:
                rendered = build_pdf(s.handout, layout, paper, clinic)
            except (ContentError, LayoutError):
                continue  # layout-fit reports why it cannot be rendered
            problems = audit(rendered.data)
            audited.append({"layout": layout.name, "paper": paper, "problems": len(problems)})
            findings += [Finding("fail", f"{what}: {p}", s.label, 1, 1) for p in problems]
    status = worst(f.level for f in findings)
    summary = "; ".join(f"{a['layout']} {a['paper']}: "
                        + ("tagged, no problem found" if not a["problems"]
                           else f"{a['problems']} problem(s)") for a in audited) \
        or "no layout rendered"
    return CheckResult("accessibility", status, summary, {"audited": audited}, {},
                       "a problem here is a bug in the layout or in handouts' tagging: "
                       "report it with the layout's name", findings)
