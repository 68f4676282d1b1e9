"""The text a patient reads in a handout, as plain-text units with the place each came from.

`handouts check` measures and scans this text. A *unit* is one string of the content file
(a key point, a paragraph, one list item, a question, ...), with its inline Markdown removed
(``**bold**`` -> ``bold``, ``[text](url)`` -> ``text``) by the same parser the renderer uses.
Sources, the disclaimer, support organisations' names, phone numbers and web addresses are
not patient prose and are left out. Headings and the title are units too, but they are not
part of the reading-level text (``reading=False``): they are short labels, measured by the
structure check instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from handouts.content.model import Handout

Path = tuple[Any, ...]


@dataclass(frozen=True, eq=False)
class Unit:
    """One piece of patient-facing text."""

    kind: str  # title, subtitle, key point, heading, paragraph, list item, callout, ...
    text: str  # plain text (no Markdown)
    path: Path  # where in the content file: ("sections", 2, "body", 0, "p")
    reading: bool = True  # part of the reading-level text


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("zero").enable(["emphasis", "link", "escape", "backticks", "newline"])


def plain(text: str) -> str:
    """Inline Markdown to plain text: the words a reader sees."""
    if not any(ch in text for ch in "*_[]\\`\n"):
        return text
    out: list[str] = []
    for token in _markdown().parseInline(text)[0].children or []:
        if token.type in ("text", "code_inline"):
            out.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out).strip()


def units(h: Handout) -> Iterator[Unit]:
    """Every patient-facing text unit, in the order a reader meets them."""
    yield Unit("title", plain(h.title), ("title",), reading=False)
    if h.subtitle:
        yield Unit("subtitle", plain(h.subtitle), ("subtitle",), reading=False)
    for i, point in enumerate(h.key_points):
        yield Unit("key point", plain(point), ("key_points", i))
    for i, section in enumerate(h.sections):
        yield Unit("heading", plain(section.heading), ("sections", i, "heading"), reading=False)
        for j, block in enumerate(section.body):
            where = ("sections", i, "body", j, block.kind)
            if block.kind == "p":
                yield Unit("paragraph", plain(block.text), where)
            elif block.kind == "callout":
                yield Unit("callout", plain(block.text), where)
            else:
                for k, item in enumerate(block.items):
                    yield Unit("list item", plain(item), (*where, k))
    if h.questions.intro:
        yield Unit("question intro", plain(h.questions.intro), ("questions", "intro"))
    for i, question in enumerate(h.questions.items):
        yield Unit("question", plain(question), ("questions", "items", i))
    for i, item in enumerate(h.when_to_get_help):
        yield Unit("when to get help", plain(item), ("when_to_get_help", i))
    for i, entry in enumerate(h.glossary):
        yield Unit("glossary", plain(entry.meaning), ("glossary", i, "meaning"))
    for i, org in enumerate(h.support):
        yield Unit("support", plain(org.detail), ("support", i, "detail"))
