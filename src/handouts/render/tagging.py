"""Tagged PDF (PDF/UA-1) for platypus documents: a structure tree and marked content.

Open-source ReportLab has no tagging API, so the renderer writes the structure itself:

* While flowables are built, each block gets a structure element by its ``role`` (heading → H1-H3,
  paragraph → P, list → L > LI > Lbl + LBody, glossary/table → Table > TR > TH/TD, figure →
  Figure with /Alt, aside → Callout role-mapped to Div, a named panel → Sect). ``Structure``
  keeps that tree in the content's order; ``mark`` ties a flowable to its element.
* While pages are drawn, a marked flowable's painting is wrapped in ``/P <</MCID n>> BDC … EMC``
  (MCIDs counted per page). A split flowable hands its element to both halves, so a paragraph
  broken over a page is one P with two pieces. Everything else is an artifact: header and
  footer (``/Artifact <</Type /Pagination>>``), box backgrounds, rules and table lines
  (``/Artifact``), and a repeated table header row.
* At save, ``Tagger.finish`` writes the StructElem dictionaries, the StructTreeRoot with its
  ParentTree and RoleMap, /StructParents and /Tabs /S on each page, /StructParent on each link
  annotation (with a Link element holding an OBJR), MarkInfo, DisplayDocTitle, the outline
  from the headings, and the XMP metadata (pdfuaid:part 1).

Reading order is the structure's order, not the drawing order: top-level panels are placed by
``READING_ORDER`` (a tri-fold draws flap, back, cover, then the inside; it reads cover → inside →
flap → back).

New flowables need nothing special: whatever a block's flowable draws is tagged with the block's
role; a flowable may define ``tag_parts()`` returning ``[(flowable, role, alt), …]`` when its parts
have different roles (a QR code and its printed address).
"""

from __future__ import annotations

import contextlib
import itertools
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFString
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Table
from reportlab.platypus.doctemplate import ActionFlowable
from reportlab.platypus.flowables import Flowable, NullDraw

from handouts.render.metadata import register_xmp


@register_xmp
def _pdfua_xmp(meta: Any) -> str:
    """A tagged PDF identifies itself as PDF/UA-1 in its XMP metadata."""
    if not getattr(meta, "pdfua", False):
        return ""
    return ('<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
            "<pdfuaid:part>1</pdfuaid:part></rdf:Description>")


# Top-level panels in the order a reader takes them; "*" is everything not in a named panel.
READING_ORDER = ("cover", "*", "flap", "back")
# Custom structure types and the standard type each one means (the RoleMap).
ROLE_MAP = {"Callout": "Div"}
CHECKBOX = "\u2610"  # ☐, what a drawn tick box reads as
LIST_NUMBERING = {"bullet": "Disc", "number": "Decimal", "check": "None"}


@dataclass(eq=False, slots=True)
class Elem:
    """One structure element: its type, attributes and kids (elements or marked content)."""

    type: str
    parent: Elem | None = None
    kids: list[Any] = field(default_factory=list)  # Elem | (page, mcid) | Annotation ref
    alt: str = ""
    actual: str = ""
    title: str = ""
    lang: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)
    panel: str = ""  # a top-level panel's name, for the reading order
    level: int = 0  # headings: 1-3; 0 = one below the heading before it (a callout's title)
    name: str = ""  # object name in the PDF, given at save
    text: str = ""  # a heading's text, for the outline

    def add(self, kind: str, **kw: Any) -> Elem:
        child = Elem(kind, parent=self, **kw)
        self.kids.append(child)
        return child

    def walk(self) -> list[Elem]:
        """This element and every element under it, in document order."""
        found: list[Elem] = []
        todo = [self]
        while todo:
            elem = todo.pop()
            found.append(elem)
            todo.extend(kid for kid in reversed(elem.kids) if isinstance(kid, Elem))
        return found


# ---------------------------------------------------------------- building the tree


class Structure:
    """The structure tree, built alongside the flowables (see FlowableBuilder.one)."""

    def __init__(self, font: str = "") -> None:
        self.root = Elem("Document")
        self.font = font  # embedded font for drawings' initial font (else Helvetica)
        self._parents = [self.root]
        self.edge_elems: dict[tuple[int, str], Elem] = {}

    @property
    def parent(self) -> Elem:
        return self._parents[-1]

    def open(self, block: Any) -> Elem | None:
        """The element for a block (None for layout-only groups and spacers)."""
        role = getattr(block, "role", "")
        parent = self.parent
        if role == "heading":
            return parent.add(f"H{block.level}", level=block.level, text=block.text.plain)
        if role == "paragraph":
            return parent.add("P")
        if role == "list":
            kind = getattr(block, "kind", "bullet")
            return parent.add("L", attrs={"ListNumbering": LIST_NUMBERING.get(kind, "None")})
        if role in ("glossary", "table"):
            return parent.add("Table")
        if role == "figure":
            return parent.add("Figure", alt=figure_alt(block))
        if role in ("aside", "alert", "callout"):
            return parent.add("Callout", title=getattr(block, "title", ""))
        if role == "group" and getattr(block, "name", "") and parent is self.root:
            return parent.add("Sect", title=block.name, panel=block.name)
        if role == "section":
            return parent.add("Sect")
        return None

    @contextlib.contextmanager
    def under(self, elem: Elem | None) -> Iterator[None]:
        if elem is None:
            yield
            return
        self._parents.append(elem)
        try:
            yield
        finally:
            self._parents.pop()

    def attach(self, block: Any, elem: Elem | None, flowables: list[Flowable]) -> None:
        """Tie the flowables made for ``block`` to its element (or leave them to their kids)."""
        role = getattr(block, "role", "")
        for f in flowables:
            self._font(f)
        if elem is None:
            for f in flowables:
                artifact_lines(f)
                if role == "artifact" and _draws(f):  # rules, ornaments: never read
                    _swap(f, _ArtifactDraw, _ARTIFACTS)
            return
        if role == "list":
            self._list(block, elem, flowables)
        elif elem.type == "Table":
            for f in flowables:
                if isinstance(f, Table):
                    self._table(elem, f)
        elif elem.type == "Figure":
            for f in flowables:
                if not hasattr(f, "tag_parts"):
                    mark(f, elem)
                    continue
                f.__dict__["_ho_parts"] = True  # its parts are tagged, not the whole
                siblings = elem.parent.kids if elem.parent else []
                for n, (part, kind, alt) in enumerate(f.tag_parts()):
                    target = elem
                    if n or kind != "Figure":  # e.g. the address printed beside a QR code
                        target = Elem(kind, parent=elem.parent, alt=alt)
                        siblings.insert(siblings.index(elem) + n, target)
                    mark(part, target)
        elif elem.type in ("Callout", "Sect"):
            self._container(elem, flowables)
        else:
            for f in flowables:
                if _draws(f):
                    mark(f, elem)

    def _font(self, flowable: Any) -> None:
        """A ReportLab Drawing (QR code, SVG figure) opens a font before drawing, Helvetica
        unless told: an unembedded font without a Unicode map to a checker."""
        shapes = sys.modules.get("reportlab.graphics.shapes")  # not imported: no Drawing made
        if shapes is None or not self.font:
            return
        drawing = getattr(flowable, "drawing", flowable)  # an SVG figure holds its drawing
        if isinstance(drawing, shapes.Drawing) and not getattr(drawing, "initialFontName", None):
            drawing.initialFontName = self.font

    def _list(self, block: Any, elem: Elem, flowables: list[Flowable]) -> None:
        for f in flowables:
            item = elem.add("LI")
            label = item.add("Lbl")
            body = item.add("LBody")
            inner = getattr(f, "para", None)
            if inner is not None:  # a tick box: the box is the label, its paragraph the body
                label.actual = CHECKBOX
                mark(f, label)
                mark(inner, body)
            else:  # a paragraph with its bullet or number drawn first
                mark(f, body)
                f._ho_label = label

    def _table(self, elem: Elem, table: Table) -> None:
        artifact_lines(table)
        header_rows = getattr(table, "repeatRows", 0) or 0
        header_rows = header_rows if isinstance(header_rows, int) else len(header_rows)
        for r, row in enumerate(table._cellvalues):
            tr = elem.add("TR")
            for c, value in enumerate(row):
                if r < header_rows:
                    cell = tr.add("TH", attrs={"Scope": "Column"})
                elif c == 0 and not header_rows:  # a glossary without a header row
                    cell = tr.add("TH", attrs={"Scope": "Row"})
                else:
                    cell = tr.add("TD")
                for f in value if isinstance(value, (list, tuple)) else [value]:
                    if isinstance(f, Flowable):
                        mark(f, cell)

    def _container(self, elem: Elem, flowables: list[Flowable]) -> None:
        """Mark what a container draws that no block of its own tags (a callout's title)."""
        artifact_lines(*flowables)
        if elem.panel:  # painted in reading order too (see Tagger.finish_page)
            for f in flowables:
                _swap(f, _Segment, _SEGMENTS)
                f.__dict__["_ho_segment"] = elem
        loose = [f for f in _leaves(flowables) if not hasattr(f, "_ho_elem")
                 and not isinstance(f, _ArtifactDraw)]
        for n, f in enumerate(loose):
            kind = "H" if n == 0 and elem.title and elem.type == "Callout" else "P"
            child = Elem(kind, parent=elem, text=elem.title if kind == "H" else "")
            elem.kids.insert(n, child)
            mark(f, child)

    def edge(self, page: int, position: str) -> Elem:
        """A P for text in a header or footer that is content (a personal copy's details)."""
        key = (page, position)
        if key not in self.edge_elems:
            self.edge_elems[key] = Elem("P")
        return self.edge_elems[key]


def figure_alt(block: Any) -> str:
    """A figure's text alternative: its alt text, or for a QR code where it leads."""
    alt = getattr(block, "alt", "") or getattr(block, "label", "") or ""  # icons: label
    if not alt and getattr(block, "url", ""):
        shown = block.url.split("://", 1)[-1].rstrip("/")
        return f"QR code: link to {shown}"
    return alt


def _leaves(flowables: list[Any]) -> Iterator[Flowable]:
    """Drawing flowables inside containers (boxes, keeps, panels, columns)."""
    for f in flowables:
        inner = None
        if isinstance(f, Table):  # a layout row: its cells
            inner = [v for row in f._cellvalues for cell in row
                     for v in (cell if isinstance(cell, (list, tuple)) else [cell])
                     if isinstance(v, Flowable)]
        for attr in () if inner is not None else ("content", "_content", "items"):
            value = getattr(f, attr, None)
            if isinstance(value, list):
                inner = value
                break
        if inner is not None and not hasattr(f, "_ho_elem"):
            yield from _leaves(inner)
        elif _draws(f) and "_ho_parts" not in f.__dict__:
            yield f


def _draws(flowable: Any) -> bool:
    """Whether a flowable paints anything (page breaks and spacers do not)."""
    return not isinstance(flowable, (NullDraw, ActionFlowable))


# ---------------------------------------------------------------- flowables


_TAGGED: dict[type, type] = {}


def mark(flowable: Any, elem: Elem) -> None:
    """Tag whatever ``flowable`` draws as content of ``elem`` (kept by both halves of a split)."""
    cls = type(flowable)
    tagged = _TAGGED.get(cls)
    if tagged is None:
        if getattr(cls, "_ho_tagged", False):
            tagged = cls
        else:
            tagged = _TAGGED[cls] = type(cls.__name__, (_Tagged, cls), {"_ho_tagged": True})
    # ReportLab Drawings check every attribute assignment: set these past that check.
    object.__setattr__(flowable, "__class__", tagged)
    flowable.__dict__["_ho_elem"] = elem


class _Tagged:
    """Mixed into a flowable's class by ``mark``."""

    _ho_elem: Elem
    _ho_tagged = True

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        tagger = getattr(canvas, "tagger", None)
        if tagger is None:
            return super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
        if not tagger.first_draw(self):  # a repeated table header: drawn again, read once
            with tagger.enter(ARTIFACT):
                return super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
        elem = self._ho_elem
        if elem.level or elem.type == "H":
            tagger.heading_at(elem, canvas, x, y + getattr(self, "height", 0))
        label = self.__dict__.get("_ho_label")
        with tagger.enter(elem):
            tagger.label = label
            try:
                super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
            finally:
                tagger.label = None

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        parts = super().split(avail_width, avail_height)  # type: ignore[misc]
        for n, part in enumerate(parts):
            if part is not self and isinstance(part, Flowable):
                mark(part, self._ho_elem)
                if n == 0 and "_ho_label" in self.__dict__:
                    part.__dict__["_ho_label"] = self.__dict__["_ho_label"]
        return parts


class _ArtifactDraw:
    """Mixed into the class of a flowable that is decoration (a rule, an ornament)."""

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        with _artifact(canvas):
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]


_ARTIFACTS: dict[type, type] = {}


class _Segment:
    """Mixed into a top-level panel's class: remembers where its drawing is in the page."""

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        tagger = getattr(canvas, "tagger", None)
        start = len(canvas._code)
        super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
        if tagger is not None:
            tagger.segments.append((tagger._page(), start, len(canvas._code),
                                    self.__dict__["_ho_segment"]))


_SEGMENTS: dict[type, type] = {}


def _swap(flowable: Any, mixin: type, cache: dict[type, type]) -> None:
    cls = type(flowable)
    if issubclass(cls, mixin):
        return
    new = cache.get(cls)
    if new is None:
        new = cache[cls] = type(cls.__name__, (mixin, cls), {})
    object.__setattr__(flowable, "__class__", new)


class _ArtifactLines:
    """Mixed into a Table's class: its backgrounds and grid lines are artifacts."""

    def _drawBkgrnd(self) -> None:
        with _artifact(self.canv):  # type: ignore[attr-defined]
            super()._drawBkgrnd()  # type: ignore[misc]

    def _drawLines(self) -> None:
        with _artifact(self.canv):  # type: ignore[attr-defined]
            super()._drawLines()  # type: ignore[misc]


_LINES: dict[type, type] = {}


def artifact_lines(*flowables: Any) -> None:
    """Tables draw their backgrounds and rules as artifacts (nested tables too)."""
    for f in flowables:
        if isinstance(f, Table):
            _swap(f, _ArtifactLines, _LINES)


def _artifact(canvas: Any, kind: str | None = None) -> contextlib.AbstractContextManager[Any]:
    tagger = getattr(canvas, "tagger", None)
    return contextlib.nullcontext() if tagger is None else tagger.enter(kind or ARTIFACT)


def artifact(canvas: Any, pagination: bool = False) -> contextlib.AbstractContextManager[None]:
    """Draw decoration (``pagination``: headers, footers, page numbers) outside the tags."""
    return _artifact(canvas, PAGINATION if pagination else ARTIFACT)


ARTIFACT = "Artifact"
PAGINATION = "Pagination"


# ---------------------------------------------------------------- drawing


class SpacedText(PDFTextObject):
    """Text whose soft line breaks read as spaces: a (blank) space ends each wrapped line,
    so a screen reader and copy-paste get "the womb", not "thewomb". Drawn identically."""

    def _textOut(self, text: str, TStar: int = 0) -> None:
        if TStar and not text.endswith(" "):  # '' ends a line that ends at a font change
            text += " "
        super()._textOut(text, TStar)


# Operators that paint (text, paths, images, shadings): marked content without any is dropped.
# Searched in the code lines joined after a space: a pattern that opens with \s lets the regex
# engine skip to the candidates (half the time of ``(?:^|\s)`` on a text line).
_PAINTS = re.compile(r"\s(?:Tj|TJ|'|\"|Do|sh|S|s|f\*?|F|B\*?|b\*?|BI)(?!\S)")


class Tagger:
    """Marked content on a canvas while it draws; the structure objects when it saves."""

    def __init__(self, structure: Structure, lang: str = "") -> None:
        self.structure = structure
        self.lang = lang
        self.canvas: Any = None
        self.mcids: dict[int, list[Elem]] = {}
        self.annots: list[tuple[PDFDictionary, Elem]] = []
        self.headings: list[tuple[Elem, int, float, float]] = []
        self.label: Elem | None = None
        self._stack: list[Any] = []
        self._mark = 0
        self._drawn: dict[int, Any] = {}
        self.segments: list[tuple[int, int, int, Elem]] = []
        self._ordered = False

    # marked content ---------------------------------------------------

    def _page(self) -> int:
        return self.canvas._pageNumber - 1

    def _begin(self, mode: Any) -> None:
        code = self.canvas._code
        if isinstance(mode, Elem):
            page = self._page()
            ids = self.mcids.setdefault(page, [])
            code.append(f"/{mode.type} <</MCID {len(ids)}>> BDC")
            ids.append(mode)
            mode.kids.append((page, len(ids) - 1))
        elif mode == PAGINATION:
            code.append("/Artifact <</Type /Pagination>> BDC")
        else:
            code.append("/Artifact BMC")
        self._mark = len(code)

    def _end(self, mode: Any) -> None:
        code = self.canvas._code
        if not _PAINTS.search(" ".join(["", *code[self._mark:]])):  # nothing drawn: no mark
            del code[self._mark - 1]
            if isinstance(mode, Elem):
                self.mcids[self._page()].pop()
                mode.kids.pop()
        else:
            code.append("EMC")

    def enter(self, mode: Any) -> _Marked:
        """Draw as content of an element, or as an artifact; marked content never nests."""
        return _Marked(self, mode)

    def first_draw(self, flowable: Any) -> bool:
        if id(flowable) in self._drawn:
            return False
        self._drawn[id(flowable)] = flowable  # kept alive, so the id is not reused
        return True

    def heading_at(self, elem: Elem, canvas: Any, x: float, top: float) -> None:
        if not any(h[0] is elem for h in self.headings):
            left, top = canvas.absolutePosition(x, top)
            self.headings.append((elem, self._page(), left, top))

    # canvas hooks -----------------------------------------------------

    def draw_text(self, draw: Any, text_object: Any) -> None:
        """A list item's bullet or number is the first text it draws: that is its Lbl."""
        label, self.label = self.label, None
        if label is None:
            draw(text_object)
            return
        with self.enter(label):
            draw(text_object)

    def annotation(self, annotation: Any) -> None:
        """A link annotation: a Link element (with an OBJR) in the element being drawn."""
        if not self._stack or not isinstance(self._stack[-1], Elem):
            return
        if str(annotation.dict.get("Subtype", "")) != "/Link":
            return
        link = self._stack[-1].add("Link")
        uri = annotation.dict.get("A")
        target = uri.dict.get("URI") if uri is not None else None
        if target is not None:
            annotation["Contents"] = target
            shown = str(target.s if hasattr(target, "s") else target)
            link.alt = shown.split("://", 1)[-1].removeprefix("mailto:").rstrip("/")
        annotation["F"] = 4  # printed, like the page it is on
        self.annots.append((annotation, link))

    # saving -----------------------------------------------------------

    def finish_page(self, canvas: Any, page: int) -> None:
        """Called as each page is written: panels painted in reading order (so paint order
        and tag order agree), and destinations for the headings on the page."""
        if not self._ordered:
            _reading_order(self.structure.root)
            self._ordered = True
        here = sorted((s for s in self.segments if s[0] == page), key=lambda s: s[1])
        rank = {id(kid): n for n, kid in enumerate(self.structure.root.kids)}
        wanted = sorted(here, key=lambda s: rank.get(id(s[3]), 0))
        if here and wanted != here:
            code = canvas._code
            first, last = here[0][1], here[-1][2]
            between = [line for a, b in itertools.pairwise(here) for line in code[a[2]:b[1]]]
            code[first:last] = [line for s in wanted for line in code[s[1]:s[2]]] + between
        for n, (_, on, left, top) in enumerate(self.headings):
            if on == page:
                canvas.bookmarkHorizontalAbsolute(f"h{n}", top, left=left)

    def finish(self, canvas: Any, pages: int) -> None:
        """Write the structure tree and the catalog entries a tagged PDF needs."""
        doc = canvas._doc
        root = self.structure.root
        _place_edges(root, self.structure.edge_elems)
        elems = root.walk()
        _heading_levels(elems)
        self._outline(canvas, elems)
        for n, elem in enumerate(elems):
            elem.name = f"SE{n}"
        annots = {id(link): annotation for annotation, link in self.annots}
        for elem in elems:
            doc.Reference(_element(elem, annots.get(id(elem))), elem.name)
        nums, refs = b"<< /Nums [", []
        for page in range(pages):
            marked = self.mcids.get(page, [])
            nums += b" %d [" % page + b" %b" * len(marked) + b"]"
            refs += [e.name for e in marked]
        for key, (annotation, link) in enumerate(self.annots, pages):
            annotation["StructParent"] = key
            nums += b" %d %%b" % key
            refs.append(link.name)
        role_map = b"".join(b" /%s /%s" % (k.encode(), v.encode()) for k, v in ROLE_MAP.items())
        tree = _Raw(b"<< /Type /StructTreeRoot /K [%%b] /ParentTree %%b /ParentTreeNextKey %d "
                    b"/RoleMap <<%s >> >>" % (pages + len(self.annots), role_map),
                    [root.name, "ParentTree"])
        doc.Reference(_Raw(nums + b" ] >>", refs), "ParentTree")
        canvas.setCatalogEntry("StructTreeRoot", doc.Reference(tree, "StructTreeRoot"))
        canvas.setCatalogEntry("MarkInfo", PDFDictionary({"Marked": "true"}))
        canvas.setCatalogEntry("ViewerPreferences",
                               PDFDictionary({"DisplayDocTitle": "true"}))
        if self.lang:
            canvas.setCatalogEntry("Lang", PDFString(self.lang))

    def _outline(self, canvas: Any, elems: list[Elem]) -> None:
        """Bookmarks from the headings, in reading order (``elems``), levels never jumping."""
        order = {id(e): n for n, e in enumerate(elems)}
        entries = sorted(enumerate(self.headings), key=lambda item: order.get(id(item[1][0]), 0))
        previous = -1
        for n, (elem, *_rest) in entries:
            text = _text_of(elem)
            if not text:
                continue
            level = min(max(elem.level, 1) - 1, previous + 1)
            canvas.addOutlineEntry(text, f"h{n}", level)
            previous = level
        if entries:
            canvas.showOutline()


class _Marked:
    """``with tagger.enter(mode)``: what is drawn inside is marked as ``mode``; a mark open
    outside is closed first and opened again after."""

    __slots__ = ("mode", "tagger")

    def __init__(self, tagger: Tagger, mode: Any) -> None:
        self.tagger, self.mode = tagger, mode

    def __enter__(self) -> None:
        tagger = self.tagger
        if tagger._stack:
            tagger._end(tagger._stack[-1])
        tagger._stack.append(self.mode)
        tagger._begin(self.mode)

    def __exit__(self, *exc: object) -> None:
        tagger = self.tagger
        tagger._end(tagger._stack.pop())
        if tagger._stack:
            tagger._begin(tagger._stack[-1])


class _Raw(pdfdoc.PDFObject):
    """An object given as ready-made PDF syntax: a bytes template whose ``%b`` slots are
    filled at save, in order, from ``refs``: names of other objects (written as references)
    and PDF objects (strings). Hundreds of structure elements are written this way far
    faster than as PDFDictionary objects."""

    def __init__(self, template: bytes, refs: list[Any]) -> None:
        self.template, self.refs = template, refs

    def format(self, document: Any) -> bytes:
        ids = document.idToObjectNumberAndVersion
        return self.template % tuple(b"%d %d R" % ids[r] if isinstance(r, str)
                                     else r.format(document) for r in self.refs)


def _element(elem: Elem, annotation: Any) -> _Raw:
    """A StructElem dictionary."""
    refs: list[Any] = [elem.parent.name if elem.parent else "StructTreeRoot"]
    template = b"<< /Type /StructElem /S /%s /P %%b" % elem.type.encode()
    marks = [kid for kid in elem.kids if isinstance(kid, tuple)]
    one_page = len({page for page, _ in marks}) == 1
    if one_page:
        template += b" /Pg %b"
        refs.append(f"Page{marks[0][0] + 1}")
    kids: list[bytes] = []
    for kid in elem.kids:
        if isinstance(kid, Elem):
            kids.append(b"%b")
            refs.append(kid.name)
        elif one_page:
            kids.append(b"%d" % kid[1])
        else:
            kids.append(b"<< /Type /MCR /MCID %d /Pg %%b >>" % kid[1])
            refs.append(f"Page{kid[0] + 1}")
    if annotation is not None:
        kids.append(b"<< /Type /OBJR /Obj %b >>")
        refs.append(annotation._ho_ref.name)
    if len(kids) == 1:
        template += b" /K " + kids[0]
    elif kids:
        template += b" /K [ " + b" ".join(kids) + b" ]"
    for key, value in ((b"Alt", elem.alt), (b"ActualText", elem.actual), (b"T", elem.title),
                       (b"Lang", elem.lang)):
        if value:
            template += b" /%s %%b" % key
            refs.append(PDFString(value))
    if elem.attrs:
        owner = b"Table" if elem.type in ("TH", "TD") else b"List"
        template += (b" /A << /O /%s" % owner + b"".join(
            b" /%s /%s" % (k.encode(), v.encode()) for k, v in elem.attrs.items())
            + b" >>").replace(b"%", b"%%")
    return _Raw(template + b" >>", refs)


def _text_of(elem: Elem) -> str:
    return elem.text


def _place_edges(root: Elem, edges: dict[tuple[int, str], Elem]) -> None:
    """Header/footer content goes before the first element drawn on its page."""
    for (page, _), elem in sorted(edges.items(), key=lambda kv: kv[0]):
        if not elem.kids:
            continue
        elem.parent = root
        at = len(root.kids)
        for n, kid in enumerate(root.kids):
            first = next((m for e in kid.walk() for m in e.kids if isinstance(m, tuple)), None)
            if first is not None and first[0] >= page:
                at = n
                break
        root.kids.insert(at, elem)


def _reading_order(root: Elem) -> None:
    """Top-level panels in READING_ORDER; content outside named panels where "*" is."""
    rank = {name: n for n, name in enumerate(READING_ORDER)}
    rest = rank["*"]
    if not any(kid.panel for kid in root.kids if isinstance(kid, Elem)):
        return
    root.kids.sort(key=lambda kid: rank.get(kid.panel, rest) if isinstance(kid, Elem) else rest)


def _heading_levels(elems: list[Elem]) -> None:
    """A callout's title is a heading one level below the heading before it (``elems``: the
    whole tree in reading order)."""
    last = 1
    for elem in elems:
        if elem.type == "H":
            elem.level = min(last + 1, 6)
            elem.type = f"H{elem.level}"
        elif elem.level:
            last = elem.level
