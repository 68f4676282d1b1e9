"""What the server shows, kept up to date: rendered pages and check reports, cached per view,
re-rendered in one worker thread when a watched file changes, and announced to open pages.

Rendering and checking run in a single worker thread (ReportLab keeps process-wide state), so
requests never wait behind each other's event loop and saves that come quickly coalesce: the
watcher only marks views stale, and one refresh renders everything stale at that moment.
Personal copies are rendered by the same worker but never cached.
"""

from __future__ import annotations

import asyncio
import datetime
import io
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from handouts.build import PAPERS, build_pdf, load, resolve
from handouts.check.report import HandoutReport
from handouts.check.runner import QUICK_CHECKS, check_file, run
from handouts.content.clinic import clinic_files, resolve_clinic
from handouts.content.personal import Personal
from handouts.errors import HandoutsError, UsageError
from handouts.layout.spec import Layout
from handouts.workspace.finder import CONFIG_FILE, Workspace, check_name

PREVIEW_DPI = 110
T = TypeVar("T")


def error_text(exc: HandoutsError) -> str:
    """The message the CLI prints for this error (``handouts make`` on the same files)."""
    return f"error: {exc}"


@dataclass(frozen=True)
class View:
    """One way of looking at a handout: the options of ``handouts preview``."""

    slug: str
    language: str
    layout: str
    paper: str
    clinic: str = ""  # a clinics/ profile; "" is what make uses (handouts.yaml's clinic)
    grayscale: bool = False

    def query(self) -> dict[str, str]:
        """The view as URL query parameters."""
        params = {"lang": self.language, "layout": self.layout, "paper": self.paper}
        if self.clinic:
            params["clinic"] = self.clinic
        if self.grayscale:
            params["grayscale"] = "1"
        return params

    def image_query(self, generation: int) -> dict[str, str]:
        """The query of a page image: the view and the render it belongs to (cache buster)."""
        return {**self.query(), "v": str(generation)}


@dataclass
class Pages:
    """A rendered view: PNG pages, or the error that stopped it."""

    view: View
    generation: int
    pngs: list[bytes] = field(default_factory=list, repr=False)
    error: str | None = None
    seconds: float = 0.0


@dataclass
class Checked:
    """``handouts check`` of one edition for one layout, or the error that stopped it."""

    report: HandoutReport | None
    generation: int
    error: str | None = None


@dataclass(frozen=True)
class Edition:
    """One content file, as the library page lists it."""

    slug: str
    language: str
    file: str
    title: str | None
    status: str  # the worst of schema and the quick checks
    review_by: datetime.date | None
    summary: str


class Live:
    """The workspace, what has been rendered from it, and who is waiting for changes."""

    def __init__(self, root: str | Path | None = None, cwd: Path | None = None,
                 today: Callable[[], datetime.date] = datetime.date.today) -> None:
        self.root_arg, self.cwd = root, (cwd or Path.cwd()).resolve()
        self.today = today
        self.ws = Workspace.discover(cwd=self.cwd, root=root)
        self.ws_error: str | None = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="handouts-render")
        self._lock = threading.Lock()
        self._pages: dict[View, Pages] = {}
        self._checks: dict[tuple[str, str, str], Checked] = {}
        self._editions: list[Edition] | None = None
        self._changed: set[Path] = set()
        self._loaded: dict[tuple[str, ...], tuple[Any, Layout, str, Any]] = {}
        self._papers: dict[str, str] = {}
        self._layouts: dict[str, Layout] = {}
        self._refresh_queued = False
        self.generation = 0
        self.renders = 0  # views rendered so far (what a save costs; read by tests)
        self._listeners: set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[dict[str, Any]]]] \
            = set()

    # ------------------------------------------------------------------ choosing a view

    def view(self, slug: str, language: str | None = None, layout: str | None = None,
             paper: str | None = None, clinic: str | None = None,
             grayscale: bool = False) -> View:
        """Check the names (as ``make`` does) and fill in the defaults."""
        self.ws.handout_file(slug, language or None)  # unknown slug or language: UsageError
        lang = language or self.ws.config.language or "en"
        name = layout or self.ws.config.layout or "standard"
        self.ws.layout_dir(name)
        if paper and paper not in PAPERS:
            raise UsageError(f"unknown paper '{paper}'", hint="use letter or a4")
        if not paper:
            paper = self.ws.config.paper or self._layout_paper(name)
        if clinic:
            check_name(clinic, "clinic")
            if clinic not in clinic_files(self.ws):
                resolve_clinic(self.ws, clinic)  # raises the CLI's message
        return View(slug, lang, name, paper, clinic or "", grayscale)

    def _layout_paper(self, name: str) -> str:
        """The paper a layout asks for (cached until a file changes)."""
        if name not in self._papers:
            self._papers[name] = resolve(self.ws, name, None)[1]
        return self._papers[name]

    def default_language(self, slug: str) -> str:
        """The edition make writes without --lang (see Workspace.edition), else the first."""
        from handouts.errors import HandoutsError

        try:
            return self.ws.edition(slug).tag
        except HandoutsError:
            editions = self.ws.editions(slug)
            return editions[0] if editions else (self.ws.config.language or "en")

    def layouts(self) -> list[str]:
        return list(self.ws.layouts())

    def clinics(self) -> list[str]:
        return list(clinic_files(self.ws))

    # ------------------------------------------------------------------ the worker

    def run(self, job: Callable[[], T]) -> T:
        """Run ``job`` in the render worker and wait for it (from a plain thread)."""
        if threading.current_thread().name.startswith("handouts-render"):
            return job()
        return self._worker.submit(job).result()

    async def arun(self, job: Callable[[], T]) -> T:
        """Run ``job`` in the render worker without blocking the event loop."""
        future: Future[T] = self._worker.submit(job)
        return await asyncio.wrap_future(future)

    def close(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)

    # ------------------------------------------------------------------ rendering

    def _materials(self, view: View) -> tuple[Any, Layout, str, Any]:
        """The loaded content, layout and clinic of a view (cached until a file changes)."""
        key = (view.slug, view.language, view.layout, view.paper, view.clinic)
        found = self._loaded.get(key)
        if found is None:
            handout = load(self.ws, view.slug, view.language)
            layout, paper = resolve(self.ws, view.layout, view.paper)
            clinic = None
            if view.clinic or self.ws.config.clinic is not None:
                clinic = resolve_clinic(self.ws, view.clinic or None)
            found = self._loaded[key] = (handout, layout, paper, clinic)
        return found

    def handout(self, view: View) -> Any:
        """The view's validated content (cached until a file changes; any thread)."""
        return self._materials(view)[0]

    def pdf(self, view: View, personal: Personal | None = None) -> Any:
        """The PDF of a view (a personal copy when ``personal``), in memory; in the worker."""
        handout, layout, paper, clinic = self._materials(view)
        return build_pdf(handout, layout, paper, clinic, personal=personal,
                         grayscale=view.grayscale)

    def layout_of(self, view: View) -> Layout:
        """The view's loaded layout (cached until a file changes; any thread)."""
        if view.layout not in self._layouts:
            self._layouts[view.layout] = resolve(self.ws, view.layout, view.paper)[0]
        return self._layouts[view.layout]

    def _render(self, view: View, generation: int) -> Pages:
        started = time.perf_counter()
        self.renders += 1
        try:
            if self.ws_error:
                raise _Broken(self.ws_error)
            pngs = page_images(self.pdf(view).data)
        except _Broken as exc:
            return Pages(view, generation, error=str(exc))
        except HandoutsError as exc:
            return Pages(view, generation, error=error_text(exc))
        return Pages(view, generation, pngs, seconds=time.perf_counter() - started)

    def cached_pages(self, view: View) -> Pages | None:
        """The pages of a view if they are rendered (safe from any thread, never waits)."""
        return self._pages.get(view)

    def cached_check(self, slug: str, language: str, layout: str) -> Checked | None:
        return self._checks.get((slug, language, layout))

    def pages(self, view: View) -> Pages:
        """The cached pages of a view, rendered now if need be (in the worker)."""
        cached = self._pages.get(view)
        if cached is None:
            cached = self._pages[view] = self._render(view, self.generation)
        return cached

    def check(self, slug: str, language: str, layout: str) -> Checked:
        """``handouts check SLUG --lang L --layout NAME``, cached (in the worker)."""
        key = (slug, language, layout)
        cached = self._checks.get(key)
        if cached is not None:
            return cached
        try:
            if self.ws_error:
                raise _Broken(self.ws_error)
            report = run(self.ws, [slug], language=language, layouts=[layout],
                         today=self.today())
            cached = Checked(report.handouts[0], self.generation)
        except _Broken as exc:
            cached = Checked(None, self.generation, str(exc))
        except HandoutsError as exc:
            cached = Checked(None, self.generation, error_text(exc))
        self._checks[key] = cached
        return cached

    def editions(self) -> list[Edition]:
        """Every edition of every handout with its review status (call in the worker)."""
        if self._editions is not None:
            return self._editions
        found: list[Edition] = []
        today = self.today()
        for slug in self.ws.handouts():
            for language in self.ws.editions(slug):
                found.append(self._edition(slug, language, today))
        self._editions = found
        return found

    def _edition(self, slug: str, language: str, today: datetime.date) -> Edition:
        path = self.ws.handout_file(slug, language)
        label = self.ws.label(path)
        report = check_file(path, slug, label, today=today, ws=self.ws,
                            only=("schema", *QUICK_CHECKS))
        title = review_by = None
        try:
            handout = load(self.ws, slug, language)
            title, review_by = handout.title, handout.review_by
        except HandoutsError:
            pass
        worst = next((c for c in report.checks if c.status == report.status), report.checks[0])
        summary = "ready to give out" if report.status == "pass" else \
            f"{worst.name}: {worst.summary}"
        return Edition(slug, language, label, title, report.status, review_by, summary)

    # ------------------------------------------------------------------ changes on disk

    def watched(self) -> tuple[list[Path], list[Path]]:
        """(folders watched with their subfolders, folders watched for handouts.yaml only)."""
        deep: list[Path] = []
        shallow: list[Path] = []
        for lib in dict.fromkeys(p.resolve() for p in self.ws._libraries()):
            deep += [lib / kind for kind in ("content", "layouts", "clinics")
                     if (lib / kind).is_dir()]
            shallow.append(lib)
        return deep, shallow

    def changed(self, paths: Iterable[Path]) -> None:
        """Files changed on disk (from any thread): queue one refresh for all of them."""
        with self._lock:
            self._changed |= {Path(p).resolve() for p in paths}
            queue = not self._refresh_queued
            self._refresh_queued = True
        if queue:
            self._worker.submit(self._refresh)

    def _refresh(self) -> None:
        """Re-render what the changed files affect, then tell the open pages (in the worker)."""
        with self._lock:
            paths, self._changed = self._changed, set()
            self._refresh_queued = False
        self.generation += 1
        self._editions = None
        self._loaded, self._papers, self._layouts = {}, {}, {}
        if any(p.name == CONFIG_FILE for p in paths):
            self._reload_workspace()
            pages, checks = set(self._pages), set(self._checks)
        else:
            pages = {v for v in self._pages if any(self._affects(p, v) for p in paths)}
            checks = {k for k in self._checks
                      if any(self._affects(p, View(*k, paper="")) for p in paths)}
        for view in pages:
            del self._pages[view]
        for key in checks:
            del self._checks[key]
        for view in sorted(pages, key=repr):
            self.pages(view)
        self.announce({"part": "pages", "slugs": sorted({v.slug for v in pages}),
                       "generation": self.generation})
        for key in sorted(checks):
            self.check(*key)
        self.announce({"part": "report", "slugs": sorted({k[0] for k in checks}),
                       "generation": self.generation})
        self.announce({"part": "library", "slugs": [], "generation": self.generation})

    def _reload_workspace(self) -> None:
        try:
            self.ws = Workspace.discover(cwd=self.cwd, root=self.root_arg)
            self.ws_error = None
        except HandoutsError as exc:
            self.ws_error = error_text(exc)

    def _affects(self, path: Path, view: View) -> bool:
        kind, name = _kind_of(path, self.ws)
        if kind == "content":
            return name == view.slug
        if kind == "layouts":
            try:
                dirs = self.layout_of(view).dirs
            except HandoutsError:
                return True  # a broken layout: anything may have been about it
            return any(d.name == name for d in dirs)
        if kind == "clinics":
            return bool(view.clinic) and name in (view.clinic, None)
        return True

    # ------------------------------------------------------------------ open pages

    def listen(self) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=100)
        with self._lock:
            self._listeners.add((asyncio.get_running_loop(), queue))
        return queue

    def unlisten(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        with self._lock:
            self._listeners = {(lp, q) for lp, q in self._listeners if q is not queue}

    def announce(self, event: dict[str, Any]) -> None:
        """Tell every open page (from any thread)."""
        with self._lock:
            listeners = list(self._listeners)
        for loop, queue in listeners:
            try:
                loop.call_soon_threadsafe(_offer, queue, event)
            except RuntimeError:  # that loop has closed
                self.unlisten(queue)


class _Broken(Exception):
    """The workspace itself (handouts.yaml) does not load; its message is already CLI text."""


def _offer(queue: asyncio.Queue[dict[str, Any]], event: dict[str, Any]) -> None:
    if queue.full():  # a page that stopped reading: it gets the newest news only
        queue.get_nowait()
    queue.put_nowait(event)


def _kind_of(path: Path, ws: Workspace) -> tuple[str, str | None]:
    """('content', slug), ('layouts', name), ('clinics', name or None) or ('other', None)."""
    for lib in ws._libraries():
        try:
            parts = path.relative_to(lib.resolve()).parts
        except ValueError:
            continue
        if len(parts) >= 2 and parts[0] in ("content", "layouts"):
            return parts[0], parts[1]
        if len(parts) >= 2 and parts[0] == "clinics":
            return "clinics", Path(parts[1]).stem if parts[1].endswith(".yaml") else None
    return "other", None


def page_images(pdf: bytes, dpi: int = PREVIEW_DPI) -> list[bytes]:
    """PNG images of every page of a PDF in memory (pypdfium2, as ``handouts preview``)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    images: list[bytes] = []
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                image = page.render(scale=dpi / 72).to_pil()
            finally:
                page.close()
            buffer = io.BytesIO()
            image.save(buffer, "PNG", compress_level=1)
            images.append(buffer.getvalue())
    finally:
        document.close()
    return images
