"""The public Python API: load a handout, merge it into a layout, render and write the PDF.

    from handouts.build import make
    from handouts.workspace.finder import CONFIG_FILE, Workspace
    made = make(Workspace.discover(), "nk-cells", paper="a4")
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handouts import __version__
from handouts.content.model import Handout, load_handout
from handouts.content.personal import Personal
from handouts.errors import ContentError, LayoutError, OutputError, UsageError
from handouts.layout.spec import Layout, load_layout
from handouts.output import write_atomic
from handouts.provenance import Record, build_digest, digest_files, folder_files
from handouts.workspace.config import Clinic
from handouts.workspace.finder import CONFIG_FILE, Workspace

PAPERS = ("letter", "a4")


@dataclass(frozen=True, eq=False)
class Edition:
    """One handout in one language, as listed on the site index."""

    slug: str
    language: str
    title: str
    subtitle: str
    html: Made
    pdf: Made


@dataclass(frozen=True, eq=False)
class Site:
    """What `make_site` wrote: every edition's HTML and PDF, and the index."""

    index: Path
    editions: list[Edition]

    @property
    def made(self) -> list[Made]:
        return [m for e in self.editions for m in (e.html, e.pdf)]


@dataclass(frozen=True, eq=False)
class Made:
    """What `make` produced."""

    slug: str
    path: Path
    pages: int
    size: int
    layout: str
    paper: str
    fresh: bool = False  # already up to date: nothing was written
    budget: int | None = None  # the layout's page budget on this paper, if it has one
    edition: str = ""
    picked: str | None = None  # "en → en-GB" when --lang (or the default) was a bare language
    # The content it was made from (None when up to date: nothing was loaded).
    handout: Handout | None = field(default=None, compare=False, repr=False)


def load(ws: Workspace, slug: str, language: str | None = None) -> Handout:
    """Find and validate one edition of a handout (``language``: a BCP 47 tag; a bare
    language such as ``en`` picks the default edition, see ``Workspace.edition``), with its
    fixed texts (labels) in the edition's language."""
    from handouts.content.catalog import localise

    path = ws.edition(slug, language).path
    return localise(load_handout(path, slug, ws.label(path)))


def resolve(ws: Workspace, layout: str | None, paper: str | None) -> tuple[Layout, str]:
    """The layout to use and the paper: options, then handouts.yaml, then the layout's own."""
    loaded = load_layout(ws, layout or ws.config.layout or "standard")
    chosen = paper or ws.config.paper or loaded.spec.paper
    if chosen not in PAPERS:
        raise UsageError(f"unknown paper '{chosen}'", hint="use letter or a4")
    return loaded, chosen


def context(handout: Handout, layout: Layout, paper: str, clinic: Clinic | None,
            personal: Personal | None = None, medium: str = "pdf",
            record: Record | None = None) -> dict[str, Any]:
    """What templates can use (``medium``: "pdf", or "html" for the HTML edition, which has
    no page header or footer; ``provenance``: the record, whose ``short`` code a footer
    prints)."""
    return {"handout": handout, "labels": handout.labels, "layout": layout.spec,
            "paper": paper, "clinic": clinic, "personal": personal or None,
            "version": __version__, "medium": medium, "provenance": record or Record()}


def build_pdf(handout: Handout, layout: Layout, paper: str, clinic: Clinic | None = None,
              personal: Personal | None = None, grayscale: bool = False,
              record: Record | None = None, tagged: bool = True) -> Any:
    """Render a handout to PDF bytes in memory (nothing is written).

    ``record`` is the provenance written into the metadata (made from the inputs when
    not given); its short code is ``provenance`` in the templates. ``tagged`` (the default)
    writes a tagged PDF (PDF/UA-1 structure); untagged is only for comparison.
    """
    from handouts.layout.merge import Merger
    from handouts.render.document import Edges, PdfMeta, render

    if personal:  # a missing glyph is reported by field, never quoting the patient's details
        from handouts.render.fonts import check_drawable

        check_drawable(personal, layout)
    layout, clinic = _branded(layout, clinic)
    source_date_epoch()
    if record is None:
        record = inputs_record(handout_files(Path(handout.file or handout.path)), layout, paper,
                               grayscale=grayscale, personal=bool(personal),
                               clinic=clinic.name if clinic else "")
    record = dataclasses.replace(record, content_version=handout.version,
                                 edition=handout.language)
    merger = Merger.for_layout(layout)
    ctx = context(handout, layout, paper, clinic, personal, record=record)
    blocks = merger.blocks(ctx)
    edges = Edges()
    for which in ("header", "footer"):
        edge = getattr(layout.spec, which)
        if edge is None:
            continue
        setattr(edges, f"{which}_style", edge.style)
        parts = getattr(edges, which)
        for position in ("left", "center", "right"):
            source = getattr(edge, position)
            if source:
                text = merger.text_template(source, f"layout '{layout.name}' {which}.{position}")
                parts.append((position, _paged(text, ctx)))
                if personal:  # what the page says without the patient's details
                    edges.shared[which, position] = _paged(text, {**ctx, "personal": None})
    _check_personal_printed(personal, blocks, edges, layout)
    meta = PdfMeta(
        title=handout.title,
        author=clinic.name if clinic else (handout.publisher or ", ".join(handout.authors)),
        subject=handout.subtitle or handout.audience,
        keywords=", ".join(handout.keywords),
        lang=handout.language,
        creator=f"handouts {__version__}",
        created=handout.reviewed,
        record=record,
    )
    return render(blocks, layout, paper, meta, edges, grayscale=grayscale, tagged=tagged)


def source_date_epoch() -> int | None:
    """$SOURCE_DATE_EPOCH as seconds, or None; a value no date can have is a usage error."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if not raw:
        return None
    text = raw.strip()
    if not text.isdigit() or len(text) > 12 or int(text) > 253402300799:
        raise UsageError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970 up to the year "
                         f"9999, got '{raw[:30]}'",
                         hint="unset it, or set it to e.g. $(date +%s)")
    return int(text)


def handout_files(path: Path) -> list[Path]:
    """The content files an edition is made from: its own and its bases (en for en-GB)."""
    parts = path.stem.split("-")
    names = ["-".join(parts[:i]) for i in range(1, len(parts) + 1)]
    return [path.parent / f"{n}.yaml" for n in names if (path.parent / f"{n}.yaml").is_file()]


def catalog_files(language: str) -> tuple[Path, ...]:
    """The compiled message catalogs an edition's fixed texts come from (see content.catalog)."""
    from handouts.content.catalog import catalog_files as files

    return files(language)


def inputs_record(content: list[Path], layout: Layout, paper: str, *, grayscale: bool = False,
                  personal: bool = False, clinic: str = "",
                  extra: tuple[Path, ...] = (), tagged: bool = True) -> Record:
    """The provenance record of a build, from file digests only (no content parsed)."""
    content_digest = digest_files(content, content[0].parent if content else None)
    layout_digest = build_digest(digest_files(folder_files(d), d.parent) for d in layout.dirs)
    parts = (__version__, content_digest, layout.name, layout_digest, paper, str(grayscale),
             str(personal), clinic, digest_files(extra), *(() if tagged else ("untagged",)))
    return Record(version=__version__, slug=content[0].parent.name if content else "",
                  content=content_digest, layout=layout.name,
                  layout_digest=layout_digest, edition=content[0].stem if content else "",
                  paper=paper, grayscale="yes" if grayscale else "no",
                  personal="yes" if personal else "no", clinic=clinic,
                  build=build_digest(parts, engine=True))


def _branded(layout: Layout, clinic: Clinic | None) -> tuple[Layout, Any]:
    """A clinic profile (clinic.resolve_clinic: details, logo) and the layout in its colours."""
    if clinic is None:
        return layout, None
    from handouts.content.clinic import as_profile
    from handouts.layout.brand import apply_brand

    profile = as_profile(clinic)
    return (apply_brand(layout, profile.colour) if profile.colour else layout), profile


def build_html(handout: Handout, layout: Layout, clinic: Clinic | None = None,
               personal: Personal | None = None) -> str:
    """The HTML edition of a handout (one self-contained page) from the layout's block tree."""
    from handouts.layout.blocks import Panel
    from handouts.layout.merge import Merger
    from handouts.render.html import HtmlMeta, render_html

    layout, clinic = _branded(layout, clinic)
    blocks = Merger.for_layout(layout).blocks(
        context(handout, layout, layout.spec.paper, clinic, personal, medium="html"))
    if any(isinstance(b, Panel) for b in blocks):
        raise UsageError(f"layout '{layout.name}' is a folded brochure whose panels are not "
                         "in reading order; it has no HTML edition",
                         hint="make the HTML edition with the standard or large-print layout")
    meta = HtmlMeta(
        title=handout.title,
        lang=handout.language,
        description=handout.subtitle or handout.audience,
        author=clinic.name if clinic else (handout.publisher or ", ".join(handout.authors)),
        generator=f"handouts {__version__}",
        personal=bool(personal),
    )
    return render_html(blocks, meta, layout)


_FIELD_OPTION = {"name": "--for", "clinician": "--clinician", "note": "--note"}


def _check_personal_printed(personal: Personal | None, blocks: list[Any], edges: Any,
                            layout: Layout) -> None:
    """Refuse a personal copy that would not show a personal field it was given.

    Looks at the text the template produced (blocks, and page 1's header and footer), so a
    workspace layout with nowhere for the name never makes a "-personal" PDF without it.
    """
    if not personal:
        return
    from handouts.layout.blocks import plain_texts

    texts = [*plain_texts(blocks)]
    for parts in (edges.header, edges.footer):
        texts.extend(text_for(1, 1) for _, text_for in parts)
    printed = " ".join(" ".join(texts).split())
    for key, option in _FIELD_OPTION.items():
        value = getattr(personal, key)
        if value and " ".join(value.split()) not in printed:
            raise LayoutError(
                f"layout '{layout.name}' has nowhere to print {option} on a personal copy; "
                "nothing was written",
                hint="use a layout that prints it (standard, large-print, trifold), or add "
                     "{% include \"partials/personal.xml.j2\" %} to the layout's template")


def _paged(text: Any, ctx: dict[str, Any]) -> Any:
    """A header/footer text for one page, as plain text (template output is escaped)."""
    from markupsafe import Markup

    def for_page(page: int, pages: int) -> str:
        return Markup(text({**ctx, "page": page, "pages": pages})).unescape()

    return for_page


def _find_character(path: Path, character: str) -> str:
    """'line:col' of the first ``character`` in a file, or '' (for error messages)."""
    if not character:
        return ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        column = line.find(character)
        if column >= 0:
            return f"{number}:{column + 1}"
    return ""


def default_output(ws: Workspace, slug: str, out_dir: Path | None = None,
                   layout: str | None = None, personal: bool = False, *,
                   language: str | None = None, paper: str | None = None,
                   grayscale: bool = False, clinic: str | None = None,
                   suffix: str = ".pdf") -> Path:
    """output/<slug>.pdf, plus a part for each choice that differs from the default, so no
    run replaces another's file: -<layout>, -<lang>, -<paper>, -gray, -<clinic>, and for one
    patient's copy -personal-<random id> (never the patient's name). ``language`` is the
    edition's tag, or None for the default edition."""
    name = slug
    if layout is not None and layout != (ws.config.layout or "standard"):
        name += f"-{layout}"
    if language is not None and language != (ws.config.language or "en"):
        name += f"-{language}"
    if paper is not None:
        name += f"-{paper}"
    if grayscale:
        name += "-gray"
    if clinic:
        name += f"-{clinic}"
    if personal:
        import secrets

        name += f"-personal-{secrets.token_hex(3)}"
    return (out_dir or ws.output_dir()) / f"{name}{suffix}"


def output_path(ws: Workspace, given: str | Path | None, default: Path) -> Path:
    """Where ``-o`` writes: the file named, or the default name inside a folder (``-o DIR/``).

    Never a source of the workspace: content, layouts, clinics, handouts.yaml, or any
    existing file that is not a PDF.
    """
    if given is None:
        return default
    from handouts.output import MAX_NAME_BYTES

    text = str(given)
    path = Path(text).expanduser()
    try:
        folder = text.endswith(("/", os.sep)) or path.is_dir()
    except OSError:  # a name too long, a symlink loop: reported below
        folder = False
    if folder:
        path = path / default.name
    if len(path.name.encode("utf-8")) > MAX_NAME_BYTES:
        raise OutputError(f"the -o file name is {len(path.name.encode('utf-8'))} bytes long; "
                          f"the limit is {MAX_NAME_BYTES}", hint="choose a shorter name")
    check_not_source(ws, path)
    return path


def check_not_source(ws: Workspace, path: Path) -> None:
    """Refuse an output path that would replace a content, layout, clinic or config file."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError):
        raise OutputError(f"cannot use '{path}' as the output file (a symlink loop?)",
                          hint="give another file name with -o") from None
    sources = [lib / kind for lib in (ws.root, ws.builtin) if lib is not None
               for kind in ("content", "layouts", "clinics")]
    if ws.root is not None:
        sources.append(ws.root / CONFIG_FILE)
    for source in sources:
        source = source.resolve()
        if target == source or source in target.parents:
            raise OutputError(f"-o '{path}' is inside the workspace's sources ({source.name}); "
                              "a PDF there would replace or mix with what authors write",
                              hint="write to output/ or another folder")
    try:
        existing = target.is_file()
    except OSError:
        existing = False
    if existing:
        try:
            with target.open("rb") as handle:
                head = handle.read(1024)
        except OSError:
            head = b""
        ours = head.startswith(b"%PDF-") or (  # or an HTML edition that handouts wrote
            head.startswith(b"<!DOCTYPE html>") and b'name="generator" content="handouts' in head)
        if not ours:
            raise OutputError(f"-o '{path}' exists and is not a PDF; it was left alone",
                              hint="give a new file name ending in .pdf")


def make(ws: Workspace, slug: str, *, layout: str | None = None, paper: str | None = None,
         language: str | None = None, out: Path | str | None = None,
         out_dir: Path | None = None, personal: Personal | None = None,
         grayscale: bool = False, clinic: str | None = None, format: str = "pdf",
         force: bool = False, tagged: bool = True) -> Made:
    """Build one handout and write it atomically; return where and how big.

    ``clinic`` names a profile in clinics/; without it, handouts.yaml's ``clinic:`` is used.
    ``format`` "html" writes the HTML edition (<slug>.html) instead of the PDF (pages 0).
    A PDF whose recorded inputs match is left as it is (``Made.fresh``) unless ``force``.
    """
    edition = ws.edition(slug, language)
    content = edition.path
    loaded, chosen = resolve(ws, layout, paper)
    usual_paper = ws.config.paper or loaded.spec.paper
    default = default_output(ws, slug, out_dir, loaded.name, personal=bool(personal),
                             language=None if edition.default else edition.tag,
                             paper=chosen if chosen != usual_paper else None,
                             grayscale=grayscale, clinic=clinic,
                             suffix=".html" if format == "html" else ".pdf")
    path = output_path(ws, out, default)
    record = inputs_record(handout_files(content), loaded, chosen, grayscale=grayscale,
                           personal=bool(personal), clinic=clinic or "",
                           extra=_clinic_files(ws, clinic) + catalog_files(edition.tag),
                           tagged=tagged)
    if not force and not personal and format != "html":
        from handouts.provenance import read_record

        existing = read_record(path)
        if existing is not None and existing.build == record.build:
            return Made(slug, path, _page_count(path), path.stat().st_size, loaded.name,
                        chosen, fresh=True, edition=edition.tag, picked=edition.picked)
    handout = load(ws, slug, edition.tag)
    profile = None
    if clinic or ws.config.clinic is not None:
        from handouts.content.clinic import resolve_clinic

        profile = resolve_clinic(ws, clinic)
    if format == "html":
        page = build_html(handout, loaded, profile, personal=personal).encode("utf-8")
        write_atomic(path, page)
        return Made(slug, path, 0, len(page), loaded.name, chosen,
                    edition=edition.tag, picked=edition.picked, handout=handout)
    try:
        rendered = build_pdf(handout, loaded, chosen, profile, personal=personal,
                             grayscale=grayscale, record=record, tagged=tagged)
    except ContentError as exc:
        character = getattr(exc, "character", "")
        files = [(edition.path, handout.path)]
        if handout.base:
            files.append((edition.path.parent / Path(handout.base).name, handout.base))
        for file, label in files:
            where = _find_character(file, character)
            if where:
                exc.message = f"{label}:{where}: {exc.message}"
                break
        raise
    write_atomic(path, rendered.data)
    return Made(slug, path, rendered.pages, len(rendered.data), loaded.name, chosen,
                budget=loaded.page_budget(chosen), edition=edition.tag,
                picked=edition.picked, handout=handout)


@dataclass(frozen=True, eq=False)
class Which:
    """What a PDF was made from, and whether today's inputs would make the same handout."""

    record: Record
    content_file: Path | None  # None: the handout or its edition is gone
    content_same: bool
    layout_same: bool
    build_same: bool


def which(ws: Workspace, pdf: Path) -> Which:
    """Read a PDF's provenance record and compare it with the workspace's current files."""
    from handouts.provenance import read_record

    record = read_record(pdf)
    if record is None:
        raise UsageError(f"'{pdf}' has no handouts record (made by an older handouts, or "
                         "not a PDF)", hint="give a PDF that 'handouts make' wrote")
    try:
        content = ws.handout_file(record.slug, record.edition)
        loaded = load_layout(ws, record.layout)
    except UsageError:
        return Which(record, None, False, False, False)
    now = inputs_record(handout_files(content), loaded, record.paper,
                        grayscale=record.grayscale == "yes",
                        personal=record.personal == "yes", clinic=record.clinic,
                        extra=_clinic_files(ws, record.clinic or None))
    return Which(record, content, now.content == record.content,
                 now.layout_digest == record.layout_digest, now.build == record.build)


def _clinic_files(ws: Workspace, clinic: str | None) -> tuple[Path, ...]:
    """Files a clinic's print depends on: handouts.yaml and the clinics/ folders."""
    found = [ws.root / CONFIG_FILE] if ws.root is not None else []
    for lib in (ws.builtin, ws.root):
        if lib is not None and (clinic or ws.config.clinic is not None):
            found.extend(folder_files(lib / "clinics") if (lib / "clinics").is_dir() else [])
    return tuple(found)


_PAGE = rb"/Type /Page\b"
_OBJECT_STREAM = rb"<<[^>]*?/Type /ObjStm[^>]*?/Length (\d+)[^>]*>>\s*stream\r?\n"


def _page_count(path: Path) -> int:
    """Pages of a PDF that handouts wrote, counted without a PDF parser: page objects are
    plain, or packed in Flate object streams (render/compact.py)."""
    import re
    import zlib

    data = path.read_bytes()
    count = len(re.findall(_PAGE, data))
    for found in re.finditer(_OBJECT_STREAM, data):
        packed = data[found.end():found.end() + int(found.group(1))]
        try:
            count += len(re.findall(_PAGE, zlib.decompress(packed)))
        except zlib.error:
            continue
    return count


def make_site(ws: Workspace, *, layout: str | None = None, paper: str | None = None,
              out_dir: Path | None = None, personal: Personal | None = None,
              clinic: str | None = None, grayscale: bool = False) -> Site:
    """Every handout in every language as HTML and PDF, and an index.html linking them all
    (the PDFs are made too, so no link on the index points at a missing or stale file)."""
    from handouts.render.html import IndexEntry, render_index

    if personal:
        raise UsageError("a site is for everyone: make personal copies one at a time",
                         hint="drop --for/--clinician/--note/--date, or give one handout")
    folder = out_dir or ws.output_dir()
    editions = []
    for slug in ws.handouts():
        for language in ws.editions(slug):
            handout = load(ws, slug, language)
            html, pdf = (make(ws, slug, layout=layout, paper=paper, language=language,
                              out_dir=folder, clinic=clinic, grayscale=grayscale, format=kind)
                         for kind in ("html", "pdf"))
            editions.append(Edition(slug, handout.language, handout.title,
                                    handout.subtitle, html, pdf))
    index = folder / "index.html"
    entries = [IndexEntry(e.slug, e.language, e.title, e.subtitle,
                          os.path.relpath(e.html.path, folder).replace(os.sep, "/"),
                          os.path.relpath(e.pdf.path, folder).replace(os.sep, "/"),
                          e.pdf.pages, e.pdf.size) for e in editions]
    write_atomic(index, render_index(entries, ws.config.language or "en",
                                     f"handouts {__version__}").encode("utf-8"))
    return Site(index, editions)
