"""The web app: a library page, a preview page per handout, and the staff form.

Pages are Jinja2 templates (autoescaped), the only script is ``static/serve.js``, and every
state change (email, print) and every personal copy is a POST with the form's CSRF token.
Personal copies are built in memory and streamed; their values are never logged or cached.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from handouts import __version__
from handouts.build import PAPERS
from handouts.content.personal import Personal, personal_fields
from handouts.errors import DeliveryError, HandoutsError, NotFound, UsageError
from handouts.serve.copies import Copies
from handouts.serve.guard import Csrf, Guard, TooLarge
from handouts.serve.live import Live, View, error_text

HERE = Path(__file__).parent
PAPER_NAMES = {"letter": "Letter", "a4": "A4"}
ACTIONS = ("preview", "download", "email", "print")
HEARTBEAT = 15.0  # seconds between keep-alive comments on the event stream


@dataclass(frozen=True)
class Settings:
    """How this server was started."""

    hosts: set[str] | None  # allowed Host names; None: any
    token: str | None = None
    printer: str | None = None  # a CUPS queue; None: the default destination
    watch: bool = True


def create_app(live: Live, settings: Settings) -> Any:
    """The ASGI app (wrapped in the Guard) over one workspace."""
    templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                            autoescape=select_autoescape(default=True, default_for_string=True),
                            trim_blocks=True, lstrip_blocks=True)
    templates.globals.update(version=__version__, papers=PAPERS, paper_names=PAPER_NAMES,
                             urlencode=urlencode)
    csrf = Csrf()
    stopping = asyncio.Event()
    copies = Copies(live)

    def page(request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        session = request.scope.get("state", {}).get("session", "")
        html = templates.get_template(name).render(csrf=csrf.token(session), request=request,
                                                   **values)
        return HTMLResponse(html, status_code=status)

    def failure(request: Request, exc: HandoutsError) -> HTMLResponse:
        status = 404 if isinstance(exc, NotFound) else 400
        return page(request, "error.html", status, title="Not shown", message=error_text(exc))

    async def view_from(request: Request, slug: str, values: dict[str, str]) -> View:
        def choose() -> View:
            language = values.get("lang") or live.default_language(slug)
            return live.view(slug, language, values.get("layout") or None,
                             values.get("paper") or None, values.get("clinic") or None,
                             values.get("grayscale") in ("1", "on", "true"))
        return await asyncio.to_thread(choose)  # names and files only: not the render worker

    async def library(request: Request) -> Response:
        editions = await live.arun(live.editions)
        return page(request, "library.html", title="Handouts", editions=editions)

    async def library_table(request: Request) -> Response:
        editions = await live.arun(live.editions)
        return page(request, "_library_table.html", editions=editions)

    async def handout(request: Request) -> Response:
        slug = request.path_params["slug"]
        try:
            view = await view_from(request, slug, dict(request.query_params))
        except HandoutsError as exc:
            return failure(request, exc)
        return page(request, "handout.html", **await _handout_values(live, view),
                    form={}, printing=_printing(settings), personal=None, outcome=None)

    async def pages_part(request: Request) -> Response:
        try:
            view = await view_from(request, request.path_params["slug"],
                                   dict(request.query_params))
        except HandoutsError as exc:
            return failure(request, exc)
        pages = live.cached_pages(view) or await live.arun(lambda: live.pages(view))
        return page(request, "_pages.html", view=view, pages=pages,
                    title=await _title(live, view))

    async def report_part(request: Request) -> Response:
        try:
            view = await view_from(request, request.path_params["slug"],
                                   dict(request.query_params))
        except HandoutsError as exc:
            return failure(request, exc)
        checked = live.cached_check(view.slug, view.language, view.layout) or \
            await live.arun(lambda: live.check(view.slug, view.language, view.layout))
        return page(request, "_report.html", view=view, checked=checked)

    async def page_image(request: Request) -> Response:
        try:
            view = await view_from(request, request.path_params["slug"],
                                   dict(request.query_params))
        except HandoutsError as exc:
            return failure(request, exc)
        rendered = live.cached_pages(view) or await live.arun(lambda: live.pages(view))
        number = request.path_params["number"]
        if rendered.error or not 1 <= number <= len(rendered.pngs):
            return Response("no such page\n", 404, media_type="text/plain")
        return Response(rendered.pngs[number - 1], media_type="image/png",
                        headers={"cache-control": "no-cache"})

    async def copy(request: Request) -> Response:
        """The staff form: preview, download, email or print one patient's copy."""
        slug = request.path_params["slug"]
        try:
            form = dict(parse_qsl((await request.body()).decode("utf-8", "replace"),
                                  keep_blank_values=True))
        except TooLarge:
            return Response("The request is too large.\n", 413, media_type="text/plain")
        if not csrf.valid(request.scope.get("state", {}).get("session"), form.get("csrf")):
            return page(request, "error.html", 403, title="Refused",
                        message="error: the form has expired or came from another site; "
                                "reload the page and try again (nothing was done)")
        action = form.get("action", "preview")
        try:
            view = await view_from(request, slug, form)
            if action not in ACTIONS:
                raise UsageError(f"unknown action '{action}'")
            personal = _personal(form)
        except HandoutsError as exc:
            if isinstance(exc, NotFound) and "handout" in exc.message:
                return failure(request, exc)
            return await _form_page(live, request, page, settings, slug, form, exc)
        try:
            if action == "download":
                return _download(live, view, await copies.pdf(view, personal))
            if action == "email":
                outcome = await _email(live, view, personal, form)
            elif action == "print":
                outcome = await _print(live, copies, view, personal, form, settings)
            else:
                outcome = None
            shown = [_data_url(png) for png in await copies.images(view, personal)]
        except HandoutsError as exc:
            return await _form_page(live, request, page, settings, slug, form, exc)
        return page(request, "handout.html", **await _handout_values(live, view), form=form,
                    printing=_printing(settings), personal=shown, outcome=outcome)

    async def events(request: Request) -> Response:
        queue = live.listen()

        async def stream() -> AsyncIterator[bytes]:
            try:
                yield b"retry: 1000\n\n"
                while not stopping.is_set():
                    try:
                        event = await asyncio.wait_for(queue.get(), HEARTBEAT)
                    except asyncio.TimeoutError:
                        yield b": keep-alive\n\n"
                        continue
                    yield f"data: {json.dumps(event)}\n\n".encode()
            finally:
                live.unlisten(queue)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"cache-control": "no-store"})

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        watcher = asyncio.create_task(watch(live, stopping)) if settings.watch else None
        copies.warm()
        try:
            yield
        finally:
            stopping.set()
            copies.close()
            if watcher is not None:
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await watcher
            live.close()

    async def crashed(request: Request, exc: Exception) -> Response:
        # A bug: say so plainly. Neither the page nor the log (see Guard) shows the
        # exception's text, which could quote what was typed in the form.
        return page(request, "error.html", 500, title="Internal error",
                    message=f"internal error ({type(exc).__name__}); this is a bug in "
                            "handouts. Run 'handouts --debug make' with the same options "
                            "to see where.")

    routes = [
        Route("/", library),
        Route("/library/table", library_table),
        Route("/h/{slug}", handout),
        Route("/h/{slug}/pages", pages_part),
        Route("/h/{slug}/report", report_part),
        Route("/h/{slug}/page/{number:int}.png", page_image),
        Route("/h/{slug}/copy", copy, methods=["POST"]),
        Route("/events", events),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={Exception: crashed})
    return Guard(app, hosts=settings.hosts, token=settings.token)


# ---------------------------------------------------------------------- helpers


async def _title(live: Live, view: View) -> str:
    def title() -> str:
        try:
            return live.handout(view).title
        except HandoutsError:
            return view.slug
    return await asyncio.to_thread(title)  # cached after the first load: no render wait


async def _handout_values(live: Live, view: View) -> dict[str, Any]:
    def values() -> dict[str, Any]:
        return {"view": view, "languages": live.ws.editions(view.slug),
                "layouts": live.layouts(), "clinics": live.clinics(),
                "pages": live.pages(view),
                "checked": live.check(view.slug, view.language, view.layout)}
    found = await live.arun(values)
    return {**found, "title": await _title(live, view)}


def _personal(form: dict[str, str]) -> Personal | None:
    """The form's personal fields through the CLI's own validation (same messages)."""
    values = {key: (form.get(key) or "").strip() or None
              for key in ("name", "clinician", "note", "date")}
    if not any(values.values()):
        return None
    return personal_fields(values["name"], values["clinician"], values["note"],
                           values["date"]) or None


def _data_url(png: bytes) -> str:
    """A page of a copy inside the page itself (nothing is kept once the page is sent)."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _download(live: Live, view: View, data: bytes) -> Response:
    from handouts.build import default_output

    name = default_output(live.ws, view.slug, layout=view.layout, personal=True,
                          language=view.language, paper=view.paper, grayscale=view.grayscale,
                          clinic=view.clinic or None).name  # as make names it

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(data), 64 * 1024):
            yield data[start:start + 64 * 1024]

    return StreamingResponse(chunks(), media_type="application/pdf", headers={
        "content-disposition": f'attachment; filename="{name}"',
        "content-length": str(len(data))})


async def _email(live: Live, view: View, personal: Personal | None,
                 form: dict[str, str]) -> str:
    """Send through handouts.yaml's smtp: settings, as `handouts email` does."""
    from handouts.deliver.email import prepare, send_prepared

    to = (form.get("to") or "").strip()
    if not to:
        raise UsageError("the patient's email address (--to) is needed to send by email")
    protect = True if form.get("password_protect") in ("1", "on") else None
    ready = await live.arun(lambda: prepare(
        live.ws, view.slug, to, personal=personal, clinic=view.clinic or None,
        layout=view.layout, paper=view.paper, language=view.language,
        password_protect=protect, grayscale=view.grayscale))
    sent = await asyncio.to_thread(send_prepared, ready, live.ws.config.smtp, base=live.ws.root)
    size = f"{ready.filename} ({ready.pdf_size / 1024:.1f} KB, {ready.pages} pages)"
    said = (f"Sent {size} to {ready.recipient} via {sent.host}:{sent.port} "
            f"({sent.security}).")
    if ready.password:
        said += (f" PDF password: {ready.password} (tell the patient by phone or in person; "
                 "never email it).")
    elif ready.encrypted:
        said += " The PDF is protected with the password in $HANDOUTS_PDF_PASSWORD."
    return said


async def _print(live: Live, copies: Copies, view: View, personal: Personal | None,
                 form: dict[str, str], settings: Settings) -> str:
    from handouts.deliver.printing import print_options, send_to_printer

    layout = await asyncio.to_thread(live.layout_of, view)
    options = print_options(layout, view.paper, form.get("copies") or 1, title=view.slug)
    data = await copies.pdf(view, personal)
    job = await asyncio.to_thread(send_to_printer, data, options, settings.printer)
    sides = "flip on the short edge" if options.sides.endswith("short-edge") else \
        "flip on the long edge"
    copies = f"{options.copies} cop{'y' if options.copies == 1 else 'ies'}"
    return (f"Sent to {'printer ' + job.printer if job.printer else 'the default printer'} "
            f"as job {job.request_id}: {copies}, two-sided ({sides}), "
            f"{PAPER_NAMES[view.paper]}.")


async def _form_page(live: Live, request: Request, page: Callable[..., HTMLResponse],
                     settings: Settings, slug: str, form: dict[str, str],
                     exc: HandoutsError) -> Response:
    """The handout page again, the form as typed, with the CLI's message for what was wrong."""
    try:
        view = await live.arun(lambda: live.view(slug, live.default_language(slug)))
        values = await _handout_values(live, view)
    except HandoutsError as broken:
        return page(request, "error.html", 400, title="Not shown", message=error_text(broken))
    status = 502 if isinstance(exc, DeliveryError) else 400
    offer_download = isinstance(exc, DeliveryError) and form.get("action") == "print"
    return page(request, "handout.html", status, **values, form=form,
                printing=_printing(settings), personal=None,
                outcome=None, problem=error_text(exc), offer_download=offer_download)


def _printing(settings: Settings) -> dict[str, Any]:
    from handouts.deliver.printing import cups_available

    return {"available": cups_available(), "printer": settings.printer}


async def watch(live: Live, stopping: asyncio.Event) -> None:
    """Watch content, layouts, clinics and handouts.yaml; hand every batch of changes on."""
    import watchfiles

    deep, shallow = live.watched()

    def wanted(change: Any, path: str) -> bool:
        name = Path(path).name
        return not (name.startswith(".") or name.endswith(("~", ".swp", ".tmp")))

    async def follow(paths: list[Path], recursive: bool,
                     only: Callable[[Any, str], bool]) -> None:
        if not paths:
            return
        async for changes in watchfiles.awatch(*paths, watch_filter=only, recursive=recursive,
                                               debounce=400, step=20, stop_event=stopping):
            live.changed(Path(path) for _, path in changes)

    await asyncio.gather(
        follow(deep, True, wanted),
        follow(shallow, False, lambda change, path: Path(path).name == "handouts.yaml"))
