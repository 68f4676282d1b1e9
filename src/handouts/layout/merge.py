"""Merge content into a layout's Jinja2 templates, producing the block tree.

The environment is sandboxed, autoescaped and strict about undefined names.
Content strings go through the ``inline`` filter (a small Markdown subset parsed
by markdown-it-py); everything else a template prints is escaped, so a patient
named ``Ana <b>& Co`` prints exactly that.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from types import TracebackType
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from handouts.errors import LayoutError
from handouts.layout.blocks import Block, parse_markup
from handouts.layout.spec import Layout

_MARKDOWN_CHARS = frozenset("*_[]\\`")


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt  # imported only when a string uses Markdown

    return MarkdownIt("zero").enable(["emphasis", "link", "escape", "backticks", "newline"])


def inline_markdown(text: str) -> Markup:
    """Bold, italic and links from a small Markdown subset, as escaped block markup."""
    if not _MARKDOWN_CHARS.intersection(text):
        return escape(text)
    out: list[str] = []
    for token in _markdown().parseInline(text)[0].children or []:
        kind = token.type
        if kind == "text" or kind == "code_inline":
            out.append(str(escape(token.content)))
        elif kind in ("strong_open", "strong_close"):
            out.append("<b>" if kind.endswith("open") else "</b>")
        elif kind in ("em_open", "em_close"):
            out.append("<i>" if kind.endswith("open") else "</i>")
        elif kind == "link_open":
            out.append(f'<a href="{escape(token.attrGet("href") or "")}">')
        elif kind == "link_close":
            out.append("</a>")
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("<br/>")
        else:
            out.append(str(escape(token.content)))
    return Markup("".join(out))


def long_date(value: datetime.date, language: str = "en") -> str:
    """A date nobody can misread, in the edition's language: 25 November 2026 (en-GB),
    November 25, 2026 (en-US), 25 de noviembre de 2026 (es)."""
    from handouts.content.catalog import long_date as formatted

    return formatted(value, language)


def _language(context: Any) -> str:
    handout = context.get("handout")
    return getattr(handout, "language", None) or "en"


@jinja2.pass_context
def _long_date(context: Any, value: datetime.date) -> str:
    return long_date(value, _language(context))


def _nobreak(text: str) -> str:
    """Text whose spaces never break a line (a person's name: "Dr. Mehta")."""
    return str(text).replace(" ", "\u00a0")


@jinja2.pass_context
def _source_date(context: Any, source: Any, start: bool = False) -> str:
    """A source's date: its year, and 'accessed <date>' for a live web page (label
    ``accessed``); ``start``: with a capital, at the start of a sentence."""
    parts = [str(source.year)] if source.year else []
    if getattr(source, "accessed", None):
        labels = context.get("labels")
        pattern = getattr(labels, "accessed", "accessed {date}")
        parts.append(pattern.format(date=long_date(source.accessed, _language(context))))
    text = ", ".join(parts)
    return text[:1].upper() + text[1:] if start else text


def shown_sections(handout: Any, show: dict[str, list[str]], layout: str = "") -> list[Any]:
    """The sections a layout shows: the ids listed under the handout's slug in the layout's
    ``show`` (else under '*'), in the content's order; every section when neither is listed.
    A list that leaves out a section marked ``essential: true`` is a layout error, and so is
    an id the content lacks, unless written ``id?`` (shown when the content has it: one list
    for several versions of a text); a list none of whose ids the content has was written for
    another handout of that name (a workspace's own version), which then shows all its
    sections."""
    listed = show.get(handout.slug, show.get("*"))
    if listed is None:
        return list(handout.sections)
    known = [s.id for s in handout.sections if s.id]
    optional = {i[:-1] for i in listed if i.endswith("?")}  # 'id?': shown if the content has it
    ids = [i.removesuffix("?") for i in listed]
    if ids and not set(ids) & set(known):  # a list for another handout of the same name
        return list(handout.sections)    # (a workspace's own version): it shows all
    for wanted in ids:
        if wanted not in known and wanted not in optional:
            raise LayoutError(f"layout '{layout}' shows section '{wanted}', but handout "
                              f"'{handout.slug}' has no section with that id",
                              hint="section ids in the content: "
                                   + (", ".join(known) or "none (give sections an 'id:')")
                                   + "; write 'id?' for a section shown only if it is there")
    left_out = [s for s in handout.sections if getattr(s, "essential", False) and s.id not in ids]
    if left_out:
        names = ", ".join(f"'{s.id or s.heading}'" for s in left_out)
        plural = "s" if len(left_out) > 1 else ""
        raise LayoutError(f"layout '{layout}' leaves out essential section{plural} {names} "
                          f"of handout '{handout.slug}'",
                          hint="add it to the layout's 'show:' list: a section marked "
                               "'essential: true' must be shown by every layout")
    return [s for s in handout.sections if s.id in ids]


class _Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, remembering its attribute checks: Jinja decides whether
    ``obj.attr`` is safe from the object's type and the name alone (private, internal or
    mutating names), and checked every access again (a third of rendering a layout)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._safe: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = super().is_safe_attribute(obj, attr, value)
            if len(self._safe) < 4096:  # names a template computes cannot grow it without end
                self._safe[key] = safe
        return safe


@dataclass(eq=False)
class Merger:
    """A Jinja2 environment bound to one layout."""

    layout: Layout
    env: _Sandbox
    _strings: dict[str, jinja2.Template] = field(default_factory=dict)

    @classmethod
    def for_layout(cls, layout: Layout) -> Merger:
        """The merger for a layout, reused within a process (templates compile once)."""
        key = (layout.name, layout.dirs)
        merger = _MERGERS.get(key)
        if merger is None or merger.layout != layout:
            merger = _MERGERS[key] = cls._create(layout)
        return merger

    @classmethod
    def _create(cls, layout: Layout) -> Merger:
        allowed = tuple({root for d in layout.dirs
                         for root in (d.resolve(), d.resolve().parent.parent)})
        loaders: list[jinja2.BaseLoader] = [
            _ContainedLoader([str(d) for d in layout.dirs], allowed)]
        prefixed = {f"!{name}": _ContainedLoader([str(folder)], allowed)
                    for name, folder in zip(layout.names, layout.dirs, strict=True)}
        loaders.append(jinja2.PrefixLoader(prefixed, delimiter="/"))
        env = _Sandbox(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            bytecode_cache=_bytecode_cache(),
        )
        env.filters["inline"] = inline_markdown
        env.filters["long_date"] = _long_date
        env.filters["source_date"] = _source_date
        env.filters["nobreak"] = _nobreak
        env.filters["shown_sections"] = partial(shown_sections, layout=layout.name)
        return cls(layout, env)

    def blocks(self, context: dict[str, Any]) -> list[Block]:
        """Render the layout's main template and parse it into blocks (within the budgets)."""
        name = self.layout.spec.template
        text = self._guard(lambda: self.env.get_template(name).render(context), name)
        if len(text) > TEMPLATE_MAX_CHARS:
            raise LayoutError(f"layout '{self.layout.name}': template '{name}' wrote "
                              f"{len(text):,} characters; the limit is {TEMPLATE_MAX_CHARS:,}",
                              hint="a loop in the template repeats too much")
        return parse_markup(text, name)

    def text_template(self, source: str, what: str) -> Callable[[dict[str, Any]], str]:
        """Compile a header/footer string once; call the result with a context per page."""
        template = self._strings.get(source)
        if template is None:
            template = self._strings[source] = self._guard(lambda: self._from_string(source),
                                                           what)

        def render(context: dict[str, Any]) -> str:
            return self._guard(lambda: template.render(context), what)

        return render

    def _from_string(self, source: str) -> jinja2.Template:
        """``env.from_string``, with the compiled code kept in the bytecode cache like a template
        file's (keyed by the text itself): compiling the page edges took ~4 ms a run."""
        cache = self.env.bytecode_cache
        if cache is None:
            return self.env.from_string(source)
        bucket = cache.get_bucket(self.env, source, None, source)
        if bucket.code is None:
            bucket.code = self.env.compile(source)
            cache.set_bucket(bucket)
        return self.env.template_class.from_code(self.env, bucket.code,
                                                 self.env.make_globals(None))

    def _guard(self, action: Callable[[], Any], name: str) -> Any:
        try:
            return _within_budget(action)
        except jinja2.TemplateSyntaxError as exc:
            where = _where(exc.filename or name, exc.lineno, self.layout)
            raise LayoutError(f"{where}: template syntax error: {exc.message}") from None
        except jinja2.TemplateNotFound as exc:
            raise LayoutError(f"layout '{self.layout.name}': template '{exc.name}' not found "
                              f"in {', '.join(str(d) for d in self.layout.dirs)}") from None
        except _OverBudget as exc:
            filename, lineno = _template_frame(exc.__traceback__)
            where = _where(filename or name, lineno, self.layout)
            raise LayoutError(f"{where}: layout '{self.layout.name}': the template ran for more "
                              f"than {TEMPLATE_SECONDS:g} s (a loop that never ends?)",
                              hint="templates must finish within the time budget; simplify "
                                   "the loop") from None
        except (jinja2.UndefinedError, jinja2.exceptions.SecurityError, TypeError,
                ValueError, AttributeError, KeyError, IndexError, ArithmeticError,
                RecursionError, MemoryError) as exc:
            filename, lineno = _template_frame(exc.__traceback__)
            where = _where(filename or name, lineno, self.layout)
            what = {RecursionError: "it calls itself without end",
                    MemoryError: "it needs more memory than there is"}.get(type(exc), "")
            message = what or _plain(str(exc)) or type(exc).__name__
            raise LayoutError(f"{where}: template error: {message}") from None


_MERGERS: dict[tuple[str, tuple[Any, ...]], Merger] = {}

TEMPLATE_SECONDS = 10.0  # a template that runs longer is stopped (a layout error)
TEMPLATE_MAX_CHARS = 2_000_000  # block markup a template may write


class _OverBudget(Exception):
    """A template ran past TEMPLATE_SECONDS."""


def _within_budget(action: Callable[[], Any]) -> Any:
    """Run ``action`` with a timer (main thread only: signals need it); over time raises."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or \
            not hasattr(signal, "setitimer") or signal.getitimer(signal.ITIMER_REAL)[0]:
        return action()

    def expired(signum: int, frame: Any) -> None:
        raise _OverBudget

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, TEMPLATE_SECONDS)
    try:
        return action()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _ContainedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that refuses a template whose real path (symlinks resolved) is
    outside the allowed folders (the layout's own, its library, the built-in one)."""

    def __init__(self, searchpath: list[str], allowed: tuple[Any, ...]) -> None:
        super().__init__(searchpath)
        self.allowed = allowed

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        from pathlib import Path

        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename or "").resolve()
        if not any(real == root or root in real.parents for root in self.allowed):
            raise LayoutError(f"template '{template}' is a link to {real}, outside the layout "
                              "and workspace folders; it was not read",
                              hint="copy the file into the layout folder instead of linking it")
        return source, filename, uptodate


@lru_cache(maxsize=1)
def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept on disk between runs (start-up time); None if unwritable.

    Keyed by the engine's own files too: compiled code bakes in how each filter is called,
    so a changed filter must never run stale code compiled for the old one.
    """
    import os
    from pathlib import Path

    from handouts import __version__
    from handouts.provenance import engine_digest

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(base) / "handouts" / f"jinja-{__version__}-{engine_digest()[:12]}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def _plain(message: str) -> str:
    """Jinja's "'handouts.content.model.Handout object' has no attribute 'titel'", in our words."""
    match = re.match(r"'(?:[\w.]+\.)?(\w+) object' has no attribute '(\w+)'", message)
    if match:
        return f"{match.group(1).lower()} has no field '{match.group(2)}'"
    return message


def _where(filename: str, lineno: int | None, layout: Layout) -> str:
    for folder in layout.dirs:
        if filename.startswith(str(folder)):
            filename = f"layouts/{folder.name}/{filename[len(str(folder)) + 1:]}"
            break
    return f"{filename}:{lineno}" if lineno else filename


def _template_frame(tb: TracebackType | None) -> tuple[str | None, int | None]:
    """The innermost template file and line in a traceback (Jinja maps them for us)."""
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or filename == "<template>":
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
