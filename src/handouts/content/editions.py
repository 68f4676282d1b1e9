"""Editions: a content file that states only how it differs from a base text beside it.

``content/<slug>/en-US.yaml`` with ``edition_of: en`` is an *overlay* of ``en.yaml``:

* any top-level field replaces the base's field wholesale;
* ``sections:`` is a mapping by section id: the fields given replace the base section's,
  ``null`` drops the section, and a new id needs ``after: <id>`` (plus heading and body);
* ``sources:`` is a mapping by source id: a full source adds or replaces one, ``null`` drops it;
* ``spelling:`` maps words to this edition's spelling (``counselling: counseling``), applied as
  whole words to the edition's prose, keeping a first capital (``Counselling`` ->
  ``Counseling``); never to source titles, publishers, names or web addresses.

The merge is done on YAML nodes, before validation, so every problem is reported at the
``file:line:col`` of the file the value came from (the base or the overlay).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from handouts.errors import Problem
from handouts.schema import compose_file, mapping_items

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
OVERLAY_ONLY = ("edition_of", "spelling")
# Fields whose text is never respelled: names, references, identifiers and fixed labels.
_NOT_PROSE = frozenset({"sources", "authors", "reviewers", "publisher", "url", "phone", "name",
                        "id", "language", "version", "slug", "path", "labels", "reading_level",
                        "translated_from", "default_edition", "edition", "kind", "src", "file",
                        "base", "keywords"})
_PROTECTED = re.compile(r"\]\([^)]*\)|https?://\S+|www\.\S+|\b[\w.-]+\.(?:org|com|gov|net|uk)"
                        r"(?:/\S*)?")


@dataclass(eq=False)
class Composed:
    """A content file's node tree, after merging an overlay into its base."""

    node: yaml.Node | None
    problems: list[Problem]
    base: str | None = None  # the base file's label, for an overlay
    spelling: dict[str, str] = field(default_factory=dict)


def is_overlay(node: yaml.Node | None) -> bool:
    return isinstance(node, yaml.MappingNode) and any(
        key == "edition_of" for key, _, _ in mapping_items(node))


def compose_edition(path: Path, label: str) -> Composed:
    """Parse a content file; an overlay (``edition_of:``) is merged into its base file."""
    node, problems = compose_file(path, label)
    if problems or not is_overlay(node):
        return Composed(node, problems)
    assert isinstance(node, yaml.MappingNode)
    return _Overlay(path, label, node).merge()


def _problem(node: yaml.Node, message: str) -> Problem:
    mark = node.start_mark
    return Problem(mark.name, mark.line + 1, mark.column + 1, message)


def _scalar(value: str, like: yaml.Node) -> yaml.ScalarNode:
    return yaml.ScalarNode(_STR, value, like.start_mark, like.end_mark)


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL


def _text(node: yaml.Node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) and node.tag == _STR else None


def _by_id(items: yaml.Node) -> list[tuple[str | None, yaml.Node]]:
    """(id, node) of each entry of a base list of mappings (``None`` when it has no id)."""
    out: list[tuple[str | None, yaml.Node]] = []
    for child in items.value if isinstance(items, yaml.SequenceNode) else []:
        found = None
        if isinstance(child, yaml.MappingNode):
            found = next((_text(v) for k, _, v in mapping_items(child) if k == "id"), None)
        out.append((found, child))
    return out


class _Overlay:
    def __init__(self, path: Path, label: str, node: yaml.MappingNode) -> None:
        self.path, self.label, self.node = path, label, node
        self.problems: list[Problem] = []

    def fail(self, node: yaml.Node, message: str) -> None:
        self.problems.append(_problem(node, message))

    def merge(self) -> Composed:
        items = {key: (knode, vnode) for key, knode, vnode in mapping_items(self.node)}
        vnode = items["edition_of"][1]
        base_name = _text(vnode)
        if not base_name or "/" in base_name or "\\" in base_name or base_name.startswith("."):
            self.fail(vnode, "'edition_of' names the base file beside this one, e.g. 'en'")
            return Composed(None, self.problems)
        base_path = self.path.parent / f"{base_name}.yaml"
        base_label = str(Path(self.label).parent / f"{base_name}.yaml")
        if not base_path.is_file():
            have = ", ".join(sorted(p.stem for p in self.path.parent.glob("*.yaml")))
            self.fail(vnode, f"'edition_of: {base_name}': there is no {base_name}.yaml beside "
                             f"this file (there is: {have})")
            return Composed(None, self.problems)
        self._check_language(items, base_name)
        base, problems = compose_file(base_path, base_label)
        if problems or base is None:
            return Composed(None, problems or [Problem(base_label, 1, 1, "the file is empty")],
                            base_label)
        if not isinstance(base, yaml.MappingNode):
            return Composed(base, [], base_label)  # the reader reports it
        if is_overlay(base):
            key = next(k for name, k, _ in mapping_items(base) if name == "edition_of")
            self.fail(key, f"{base_label} is itself an edition; an edition's base must be a "
                           "full text")
            return Composed(None, self.problems, base_label)
        spelling = self._spelling(items.get("spelling"))
        merged = self._fields(base, items)
        if self.problems:
            return Composed(None, self.problems, base_label, spelling)
        return Composed(merged, [], base_label, spelling)

    def _check_language(self, items: dict[str, tuple[yaml.Node, yaml.Node]], base: str) -> None:
        if "language" not in items:
            self.fail(self.node, f"missing required key 'language' (an edition's tag, here "
                                 f"'{self.path.stem}')")
            return
        value = items["language"][1]
        tag = _text(value)
        if tag != self.path.stem:
            self.fail(value, f"'language: {tag}' must match the file name ({self.path.stem})")
        elif not tag.lower().startswith(base.lower() + "-"):
            self.fail(value, f"'language: {tag}' is not a regional edition of '{base}' "
                             f"(e.g. {base}-GB)")

    def _spelling(self, entry: tuple[yaml.Node, yaml.Node] | None) -> dict[str, str]:
        if entry is None:
            return {}
        _, node = entry
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, "'spelling' is a mapping of words, e.g. 'counselling: counseling'")
            return {}
        out: dict[str, str] = {}
        for key, knode, vnode in mapping_items(node):
            value = _text(vnode)
            if value is None or not value.strip() or not key.strip():
                self.fail(vnode, f"spelling of '{key}' must be a word")
            elif key.lower() in out:
                self.fail(knode, f"spelling of '{key}' is given twice")
            else:
                out[key.lower()] = value.strip()
        return out

    def _fields(self, base: yaml.MappingNode,
                items: dict[str, tuple[yaml.Node, yaml.Node]]) -> yaml.MappingNode:
        merged: dict[str, tuple[yaml.Node, yaml.Node]] = {
            key: (k, v) for key, k, v in mapping_items(base) if key != "default_edition"}
        for key, (knode, vnode) in items.items():
            if key in OVERLAY_ONLY:
                continue
            if key == "sections" and key in merged:
                vnode = self._sections(merged[key][1], vnode)
            elif key == "sources" and key in merged:
                vnode = self._sources(merged[key][1], vnode)
            merged[key] = (knode, vnode)
        return yaml.MappingNode("tag:yaml.org,2002:map", list(merged.values()),
                                base.start_mark, base.end_mark)

    def _entries(self, base: yaml.Node, node: yaml.Node, what: str, example: str
                 ) -> tuple[list[tuple[str | None, yaml.Node]], set[str]] | None:
        """The base's entries by id and the ids, or None (a problem) when the overlay's
        ``sections``/``sources`` is not a mapping by id."""
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"in an edition, '{what}s' is a mapping by {what} id: "
                            f"'<id>: {example}', or '<id>: null' to drop one")
            return None
        order = _by_id(base)
        return order, {sid for sid, _ in order if sid}

    def _sections(self, base: yaml.Node, node: yaml.Node) -> yaml.Node:
        entries = self._entries(base, node, "section", "{fields that differ}")
        if entries is None:
            return base
        order, known = entries
        dropped: set[str] = set()
        for sid, knode, vnode in mapping_items(node):
            if _is_null(vnode):
                if sid not in known:
                    self.fail(knode, f"cannot drop section '{sid}': the base has no section "
                                     f"with that id{_listing(known)}")
                dropped.add(sid)
                continue
            if not isinstance(vnode, yaml.MappingNode):
                self.fail(vnode, f"section '{sid}' must be a mapping of the fields that differ, "
                                 "or null to drop it")
                continue
            fields = {k: (kn, vn) for k, kn, vn in mapping_items(vnode)}
            if sid in known:
                if "after" in fields:
                    self.fail(fields["after"][0], f"'after' is for a new section; '{sid}' is "
                                                  "already in the base")
                    continue
                order = [(i, _override(n, vnode) if i == sid else n) for i, n in order]
                continue
            if "after" not in fields:
                self.fail(knode, f"section '{sid}' is not in the base; a new section needs "
                                 f"'after: <id>' to place it{_listing(known)}")
                continue
            anchor = _text(fields["after"][1])
            at = next((n for n, (i, _) in enumerate(order) if i == anchor), None)
            if at is None:
                self.fail(fields["after"][1], f"'after: {anchor}': no section with that id"
                                              f"{_listing(known)}")
                continue
            order.insert(at + 1, (sid, _with_id(sid, knode, vnode, ("after", "id"))))
            known.add(sid)
        kept = [n for i, n in order if i not in dropped]
        return yaml.SequenceNode("tag:yaml.org,2002:seq", kept, base.start_mark, base.end_mark)

    def _sources(self, base: yaml.Node, node: yaml.Node) -> yaml.Node:
        entries = self._entries(base, node, "source", "{title: ..., publisher: ..., year: ...}")
        if entries is None:
            return base
        order, known = entries
        for sid, knode, vnode in mapping_items(node):
            if _is_null(vnode):
                if sid not in known:
                    self.fail(knode, f"cannot drop source '{sid}': the base has no source "
                                     "with that id")
                order = [(i, n) for i, n in order if i != sid]
                continue
            if not isinstance(vnode, yaml.MappingNode):
                self.fail(vnode, f"source '{sid}' must be a full source (title, publisher, "
                                 "year or accessed), or null to drop it")
                continue
            own = next((v for k, _, v in mapping_items(vnode) if k == "id"), None)
            if own is not None and _text(own) != sid:
                self.fail(own, f"source '{sid}' has a different id inside ('{_text(own)}')")
                continue
            new = _with_id(sid, knode, vnode, ("id",))
            if sid in known:
                order = [(i, new if i == sid else n) for i, n in order]
            else:
                order.append((sid, new))
                known.add(sid)
        return yaml.SequenceNode("tag:yaml.org,2002:seq", [n for _, n in order],
                                 base.start_mark, base.end_mark)


def _with_id(sid: str, knode: yaml.Node, vnode: yaml.MappingNode,
             skip: tuple[str, ...]) -> yaml.MappingNode:
    """An overlay's entry as a base list entry: ``id: <sid>`` first, then its fields."""
    pairs = [(kn, vn) for k, kn, vn in mapping_items(vnode) if k not in skip]
    return yaml.MappingNode("tag:yaml.org,2002:map",
                            [(_scalar("id", knode), _scalar(sid, knode)), *pairs],
                            vnode.start_mark, vnode.end_mark)


def _override(base: yaml.Node, over: yaml.MappingNode) -> yaml.Node:
    """A base section with the overlay's fields replacing its own, key by key."""
    if not isinstance(base, yaml.MappingNode):
        return base
    merged = {key: (k, v) for key, k, v in mapping_items(base)}
    for key, k, v in mapping_items(over):
        merged[key] = (k, v)
    return yaml.MappingNode("tag:yaml.org,2002:map", list(merged.values()),
                            base.start_mark, base.end_mark)


def _listing(known: set[str]) -> str:
    return f" (ids: {', '.join(sorted(known))})" if known else ""


# --- spelling ----------------------------------------------------------------------------


def respell(value: Any, spelling: dict[str, str]) -> Any:
    """``value`` (a handout, a record, a list or a string) with the edition's spelling."""
    if not spelling:
        return value
    words = sorted(spelling, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in words) + r")(?![\w-])",
                         re.IGNORECASE)

    def swap(match: re.Match[str]) -> str:
        found = match.group(1)
        new = spelling[found.lower()]
        if len(found) > 1 and found.isupper():
            return new.upper()
        return new[:1].upper() + new[1:] if found[:1].isupper() else new

    def text(s: str) -> str:
        out, last = [], 0
        for kept in _PROTECTED.finditer(s):  # never inside a web address
            out.append(pattern.sub(swap, s[last:kept.start()]))
            out.append(kept.group())
            last = kept.end()
        out.append(pattern.sub(swap, s[last:]))
        return "".join(out)

    return _walk(value, text)


def _walk(value: Any, text: Any) -> Any:
    if isinstance(value, str):
        return text(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_walk(v, text) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _walk(getattr(value, f.name), text)
                   for f in dataclasses.fields(value)
                   if f.init and f.name not in _NOT_PROSE}
        return dataclasses.replace(value, **changes)
    return value
