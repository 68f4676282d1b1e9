"""The handout content model, and loading it from ``content/<slug>/<lang>.yaml``.

The dataclasses below are the schema (see ``handouts schema``). Loading reports
every problem of a file at once as ``file:line:col: message``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from handouts.errors import Problem, ValidationFailed
from handouts.schema import INVALID, Reader, field, internal, optional
from handouts.workspace.finder import LANGUAGE

_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_SOURCE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9.-]*$")
_URL = re.compile(r"^(https?://)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/\S*)?$")


def _check_lang(value: str) -> str | None:
    return None if _LANG.match(value) else "must be a language tag such as 'en' or 'en-GB'"


def _check_url(value: str) -> str | None:
    return None if _URL.match(value) else "must be a web address such as https://example.org/page"


def _check_page_label(value: str) -> str | None:
    """A page label may use {page} and {pages} only, with no format width or conversion."""
    import string

    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(value)
                  if name is not None]
    except ValueError as exc:
        return f"is not a page label ({exc}); write braces as {{{{ and }}}}"
    for name, spec, conv in fields:
        if name not in ("page", "pages") or spec or conv:
            return (f"may only use {{page}} and {{pages}}, e.g. 'Page {{page}} of {{pages}}'; "
                    f"found {{{name}{'!' + conv if conv else ''}{':' + spec if spec else ''}}}")
    return None


def _check_translated_from(value: str) -> str | None:
    edition, _, version = value.partition("@")
    if not _LANG.match(edition) or not version.strip():
        return "must be an edition and its version, e.g. 'en-US@1.1'"
    return None


def _check_source_id(value: str) -> str | None:
    return None if _SOURCE_ID.match(value) else "must be a short id such as 'S3'"


@dataclass(frozen=True, eq=False)
class IconArray:
    """An icon array: 'of' person icons with 'filled' of them filled, and the words it
    shows (printed beside it, and its text equivalent for screen readers)."""

    of: int = field("how many icons in all", min=1, max=100)
    filled: int = field("how many of them are filled", min=0, max=100)
    label: str = field("what it shows, in words, e.g. 'About 2 in 3 women had a baby'")


@dataclass(frozen=True, eq=False)
class FigureSpec:
    """An SVG drawing from the content folder."""

    src: str = field("the SVG file, relative to the content file's folder")
    alt: str = field("what the drawing shows, for readers who cannot see it (required)")
    caption: str | None = optional("a line printed under the drawing")


@dataclass(frozen=True, eq=False)
class Block:
    """A body block: a mapping with exactly one key.
    p: text         - a paragraph
    list: [text]    - a bullet list
    steps: [text]   - a numbered list
    callout: text   - a safety message, printed as an alert ("Important")
    icons: {of: 3, filled: 2, label: "About 2 in 3 ..."}  - an icon array
    figure: {src: drawing.svg, alt: "...", caption: "..."}  - an SVG drawing"""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()
    icons: IconArray | None = None
    figure: FigureSpec | None = None

    KINDS = ("p", "list", "steps", "callout", "icons", "figure")

    @classmethod
    def from_node(cls, reader: Reader, node: yaml.Node, path: tuple[Any, ...]) -> Any:
        if not isinstance(node, yaml.MappingNode) or len(node.value) != 1:
            return reader.fail(node, "a block is one of 'p: text', 'list: [...]', "
                                     "'steps: [...]', 'callout: text', 'icons: {...}' or "
                                     "'figure: {...}'")
        knode, vnode = node.value[0]
        kind = knode.value
        if kind not in cls.KINDS:
            from handouts.schema import _suggest

            return reader.fail(knode, f"unknown block '{kind}'{_suggest(kind, list(cls.KINDS))}; "
                                      "use p, list, steps, callout, icons or figure")
        if kind == "icons":
            icons = reader.read(vnode, IconArray, (*path, kind))
            if icons is INVALID:
                return INVALID
            if icons.filled > icons.of:
                return reader.fail(vnode, f"icons: 'filled' ({icons.filled}) cannot be more "
                                          f"than 'of' ({icons.of})")
            return cls(kind, icons=icons)
        if kind == "figure":
            figure = reader.read(vnode, FigureSpec, (*path, kind))
            if figure is INVALID:
                return INVALID
            if not figure.alt.strip():
                return reader.fail(vnode, "figure: 'alt' must say what the drawing shows")
            if not figure.src.lower().endswith(".svg") or ".." in Path(figure.src).parts \
                    or Path(figure.src).is_absolute():
                return reader.fail(vnode, f"figure: 'src' ({figure.src}) must be an .svg file "
                                          "in the content folder")
            return cls(kind, figure=figure)
        if kind in ("list", "steps"):
            items = reader.read(vnode, list[str], (*path, kind))
            if items is INVALID:
                return INVALID
            if not items:
                return reader.fail(vnode, f"'{kind}' needs at least one item")
            return cls(kind, items=tuple(items))
        text = reader.read(vnode, str, (*path, kind))
        return INVALID if text is INVALID else cls(kind, text=text)


@dataclass(frozen=True, eq=False)
class Section:
    heading: str = field("the section heading, best as a plain question")
    body: list[Block] = field("paragraphs, lists and callouts", min_items=1)
    id: str | None = optional("a short name for the section (letters, digits, dashes)")
    sources: list[str] = optional("ids of the sources that back this section", default=[])
    essential: bool = optional("every layout must show this section (`check` fails a layout "
                               "whose 'show:' list leaves it out)", False)


@dataclass(frozen=True, eq=False)
class Questions:
    items: list[str] = field("questions for the reader to ask, shown with tick boxes",
                             min_items=1)
    intro: str | None = optional("one line above the checklist")


@dataclass(frozen=True, eq=False)
class GlossaryEntry:
    term: str = field("the word")
    meaning: str = field("what it means, in plain words")


@dataclass(frozen=True, eq=False)
class SupportOrg:
    name: str = field("organisation name")
    detail: str = field("what they offer, opening hours")
    phone: str | None = optional("phone number")
    url: str | None = optional("web address", check=_check_url)


@dataclass(frozen=True, eq=False)
class Source:
    id: str = field("short id cited by sections, e.g. S3", check=_check_source_id)
    title: str = field("the source's public title")
    publisher: str = field("publisher or authors")
    year: int | None = optional("year of publication (may be left out for a live web page "
                                "with an 'accessed' date)", min=1900, max=2100)
    url: str | None = optional("web address", check=_check_url)
    accessed: datetime.date | None = optional("date a live web page was read (YYYY-MM-DD)")

    @staticmethod
    def check_fields(values: dict[str, Any], reader: Reader, path: tuple[Any, ...]) -> bool:
        given = {key for key in ("year", "accessed") if (*path, key) in reader.marks}
        if not given and "id" in values:
            reader.fail_at(path, f"source '{values['id']}' needs a 'year', or an 'accessed' "
                                 "date for a live web page")
            return False
        return True


@dataclass(frozen=True, eq=False)
class ReadingLevel:
    fk_max: float = optional("highest Flesch-Kincaid grade allowed", 8.0, min=1, max=20)
    smog_max: float = optional("highest SMOG grade allowed", 10.0, min=1, max=20)
    fk_warn: float = optional("Flesch-Kincaid grade above which check warns", 6.0,
                              min=1, max=20)
    inflesz_min: float = optional("Spanish: lowest Szigriszt-Pazos score allowed (INFLESZ "
                                  "55 = 'normal')", 55.0, min=0, max=100)
    inflesz_warn: float = optional("Spanish: Szigriszt-Pazos score below which check warns "
                                   "(INFLESZ 65 = 'bastante fácil')", 65.0, min=0, max=100)


@dataclass(frozen=True, eq=False)
class Labels:
    key_points: str = optional("heading of the key points box", "Key points")
    questions: str = optional("heading of the questions checklist",
                              "Questions to ask your doctor")
    when_to_get_help: str = optional("heading of the 'when to get help' list",
                                     "When to get help")
    glossary: str = optional("heading of the glossary", "Words to know")
    support: str = optional("heading of the support list", "Where to get support")
    sources: str = optional("heading of the sources list", "Sources")
    sources_note: str = optional("line under the sources heading",
                                 "The numbers in [ ] after each heading point to this list.")
    reviewed: str = optional("label before the review date", "Reviewed")
    review_by: str = optional("label before the next review date", "Next review due")
    prepared_for: str = optional("label before a patient's name on a personal copy",
                                 "Prepared for")
    prepared_by: str = optional("label before the clinician's name on a personal copy", "From")
    note: str = optional("label before the clinician's note on a personal copy", "Note")
    written_by: str = optional("label before the authors' names", "Written by")
    reviewed_by: str = optional("label before the reviewers' names", "Checked by")
    version: str = optional("label before the version", "Version")
    page: str = optional("page label; {page} and {pages} are filled in",
                         "Page {page} of {pages}", check=_check_page_label)
    accessed: str = optional("how a web page's date is given in the sources; {date} is "
                             "filled in", "accessed {date}")
    logo: str = optional("description of a clinic's logo (for screen readers); {name} is "
                         "filled in", "{name} logo")
    patient_information: str = optional("label above the title", "Patient information")
    important: str = optional("label of a safety message (a callout)", "Important")
    get_help_now: str = optional("label of the 'when to get help' alert", "Get help now")
    word: str = optional("glossary column heading: the word", "Word")
    meaning: str = optional("glossary column heading: what it means", "What it means")
    refs_note: str = optional("where a reader first meets the [ ] numbers",
                              "Numbers in [ ] after a heading point to the sources at the end.")
    sources_online: str = optional("where the full source list is, before the online copy's "
                                   "QR code and address",
                                   "The sources, with titles and links, are in the online "
                                   "copy:")
    refs_note_online: str = optional("where a reader first meets the [ ] numbers, when the "
                                     "sources are online",
                                     "Numbers in [ ] after a heading point to the sources in "
                                     "the online copy (see the end).")
    published_by: str = optional("label before the publisher (or clinic)", "Published by")
    full_version: str = optional("on a paper copy that leaves sections out (the layout's "
                                 "`show:`), where the full version is, before the online "
                                 "copy's address (it replaces sources_online there)",
                                 "The full version, with every section and source, is "
                                 "online:")
    full_version_online: str = optional("heading over the online copy's QR code on a paper "
                                        "copy that leaves sections out (it replaces "
                                        "'sources' there)", "Full version online")
    scan_full_version: str = optional("caption beside that QR code, before its address",
                                      "Scan for the full version and every source")
    short_version: str = optional("on a paper copy that leaves sections out and has no online "
                                  "copy, in the small print",
                                  "This is a short version. Ask your clinic for the full "
                                  "version.")


@dataclass(frozen=True, eq=False)
class Handout:
    title: str = field("handout title")
    language: str = field("language tag (BCP 47), e.g. en, en-GB or es-US; an edition's "
                          "tag matches its file name", check=_check_lang)
    version: str = field("content version, e.g. \"1.0\" (in quotes)")
    reviewed: datetime.date = field("date the content was last reviewed")
    review_by: datetime.date = field("date the next review is due (after 'reviewed')")
    authors: list[str] = field("who wrote it", min_items=1)
    audience: str = field("who it is for")
    key_points: list[str] = field("the main messages, shown first", min_items=3, max_items=5)
    sections: list[Section] = field("the body of the handout", min_items=1)
    questions: Questions = field("questions to ask your doctor")
    sources: list[Source] = field("where the facts come from", min_items=1)
    disclaimer: str = field("small print at the end")
    subtitle: str | None = optional("one line under the title")
    reviewers: list[str] = optional("who reviewed it", default=[])
    publisher: str | None = optional("organisation that publishes it (PDF author)")
    url: str | None = optional("address of the online copy", check=_check_url)
    keywords: list[str] = optional("PDF keywords", default=[])
    reading_level: ReadingLevel = optional("readability limits for `handouts check`",
                                           ReadingLevel())
    labels: Labels = optional("headings of the fixed parts (translate these)", Labels())
    when_to_get_help: list[str] = optional("when to call a doctor or clinic", default=[])
    glossary: list[GlossaryEntry] = optional("words to know", default=[])
    support: list[SupportOrg] = optional("organisations that help", default=[])
    default_edition: str | None = optional(
        "in a base text (en.yaml): the edition a bare language picks, e.g. en-GB",
        check=_check_lang)
    translated_from: str | None = optional(
        "the edition and version this text was translated from, e.g. en-US@1.1",
        check=_check_translated_from)
    slug: str = internal("")
    path: str = internal("")
    folder: str = internal("")  # the content file's folder (figures are found there)
    file: str = internal("")  # the content file's absolute path (provenance digests)
    edition: str = internal("")  # the edition tag: the file name without .yaml
    base: str | None = internal(None)  # an overlay's base file, e.g. content/x/en.yaml
    labels_given: frozenset[str] = internal(frozenset())  # labels the content file sets

    @staticmethod
    def check_fields(values: dict[str, Any], reader: Reader, path: tuple[Any, ...]) -> bool:
        """Rules across fields; returns False when one is broken (problems are recorded)."""
        ok = True
        reviewed, review_by = values.get("reviewed"), values.get("review_by")
        if reviewed is not None and review_by is not None and review_by <= reviewed:
            reader.fail_at((*path, "review_by"), f"'review_by' ({review_by}) must be after "
                                                  f"'reviewed' ({reviewed})")
            ok = False
        ids: set[str] = set()
        for i, source in enumerate(values.get("sources", [])):
            if source.id in ids:
                reader.fail_at((*path, "sources", i, "id"),
                               f"source id '{source.id}' is used twice")
                ok = False
            ids.add(source.id)
        section_ids: set[str] = set()
        for i, section in enumerate(values.get("sections", [])):
            if section.id is not None:
                if section.id in section_ids:
                    reader.fail_at((*path, "sections", i, "id"),
                                   f"section id '{section.id}' is used twice")
                    ok = False
                section_ids.add(section.id)
            for j, sid in enumerate(section.sources if "sources" in values else []):
                if sid not in ids:
                    reader.fail_at((*path, "sections", i, "sources", j),
                                   f"source '{sid}' is not in the sources list")
                    ok = False
        return ok

    def source_number(self, source_id: str) -> int:
        """Position (from 1) of a source in the sources list."""
        for number, source in enumerate(self.sources, 1):
            if source.id == source_id:
                return number
        raise KeyError(source_id)


def load_handout(path: Path, slug: str, label: str | None = None) -> Handout:
    """Read and validate one content file (an edition overlay is merged into its base first,
    see ``content.editions``); raise ValidationFailed with all its problems."""
    return read_handout(path, slug, label)[0]


def read_handout(path: Path, slug: str, label: str | None = None
                 ) -> tuple[Handout, dict[tuple[Any, ...], yaml.Mark]]:
    """The handout and where each of its values was read from (file, line, column)."""
    from handouts.content.editions import compose_edition, respell

    name = label or str(path)
    composed = compose_edition(path, name)
    if composed.node is None or composed.problems:
        raise ValidationFailed(composed.problems or [Problem(name, 1, 1, "the file is empty")])
    reader = Reader()
    handout = reader.read(composed.node, Handout)
    if handout is not INVALID and LANGUAGE.match(path.stem) and handout.language != path.stem:
        reader.fail_at(("language",), f"language '{handout.language}' does not match the file "
                       f"name {path.name}: the checks for a language follow this field; make "
                       f"it 'language: {path.stem}', or rename the file "
                       f"{handout.language}.yaml")
    if handout is not INVALID:
        _check_figures(handout, path.parent, reader)
    if reader.problems or handout is INVALID:
        raise ValidationFailed(reader.problems)
    given = frozenset(key[1] for key in reader.marks if len(key) == 2 and key[0] == "labels")
    handout = replace(respell(handout, composed.spelling), slug=slug, path=name,
                      file=str(path.resolve()), edition=path.stem, base=composed.base,
                      labels_given=given, folder=str(path.parent.resolve()))
    return handout, reader.marks


def _check_figures(handout: Handout, folder: Path, reader: Reader) -> None:
    """Every figure's SVG file is in the content folder."""
    for i, section in enumerate(handout.sections):
        for j, block in enumerate(section.body):
            if block.figure is not None and not (folder / block.figure.src).is_file():
                reader.fail_at(("sections", i, "body", j, "figure", "src"),
                               f"figure '{block.figure.src}' not found beside the content file")
