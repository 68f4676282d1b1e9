"""Typed records read straight from YAML nodes, so every error has file:line:col.

A record is a frozen dataclass. Its type hints are the schema: ``str``, ``int``,
``float``, ``bool``, ``datetime.date``, ``list[T]``, ``dict[str, T]``,
``T | None``, ``Literal[...]`` and nested records. Field metadata adds limits
(``min_items``, ``max_items``, ``min``, ``max``, ``check``, ``doc``). Any type
may define ``from_node(reader, node, path)`` to read itself in its own way; a record
may define ``check_fields(values, reader, path)`` for rules across its fields, which
runs on the fields that were read well even when others were not (so a file's problems
are all reported in one run).

All problems of a file are collected (not only the first), and the caller
raises them together. YAML is parsed with ``safe`` composition only; aliases,
duplicate keys and oversized files are refused.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import functools
import re
import sys
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import yaml

from handouts.errors import Problem

MAX_FILE_BYTES = 1_000_000
MAX_TEXT_CHARS = 10_000  # one paragraph, list item or other text value
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_TYPE_WORDS = {
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true/false",
    "tag:yaml.org,2002:timestamp": "a date",
    _NULL: "nothing",
    _STR: "text",
}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DECIMAL_INT = re.compile(r"^[-+]?[0-9][0-9_]{0,17}$")
_DECIMAL = re.compile(r"^[-+]?(?:[0-9][0-9_]{0,17})?(?:\.[0-9_]{0,17})?(?:[eE][-+]?[0-9]{1,3})?$")


class Invalid:
    """Marker for a value that failed validation (its problem is already recorded)."""


INVALID = Invalid()


def compose_file(path: Path, label: str | None = None) -> tuple[yaml.Node | None, list[Problem]]:
    """Parse a YAML file into a node tree (no Python objects built yet)."""
    name = label or str(path)
    try:
        raw = read_capped(path, MAX_FILE_BYTES)
    except OSError as exc:
        return None, [Problem(name, 1, 1, f"cannot read file: {exc.strerror or exc}")]
    if raw is None:
        return None, [Problem(name, 1, 1, "not a regular file (a pipe, device or folder); "
                                          "it was not read")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(name, 1, 1, f"file is larger than {MAX_FILE_BYTES:,} bytes")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(name, 1, 1, f"file is not UTF-8 text ({exc.reason})")]
    return compose_text(text, name)


def top_level_text(path: Path, key: str) -> str | None:
    """The text of ``key`` in the top-level mapping of a YAML file, or None (absent, not text,
    or the file unreadable). Parsed only up to that key: nothing is composed or validated."""
    try:
        raw = read_capped(path, MAX_FILE_BYTES)
        text = raw.decode("utf-8") if raw is not None and len(raw) <= MAX_FILE_BYTES else ""
    except (OSError, UnicodeDecodeError):
        return None
    depth = 0  # open mappings and lists
    is_key = False  # at the top level, the next scalar is a key
    found = False  # the key just read is ``key``: its value comes next
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                if found or (depth == 0 and not isinstance(event, yaml.MappingStartEvent)):
                    return None
                depth += 1
                is_key = depth == 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                is_key = depth == 1
            elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)) and depth == 1:
                if found:
                    return event.value if isinstance(event, yaml.ScalarEvent) else None
                found = is_key and getattr(event, "value", None) == key
                is_key = not is_key
    except yaml.YAMLError:
        return None
    return None


def read_capped(path: Path, limit: int) -> bytes | None:
    """A regular file's bytes, at most ``limit + 1`` of them; None for a pipe, device or folder.

    The type is checked on the open file (no blocking on a FIFO, no endless /dev/urandom).
    """
    import os
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 16, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def compose_text(text: str, name: str) -> tuple[yaml.Node | None, list[Problem]]:
    """Parse YAML text into a node tree; syntax errors become problems."""
    try:
        if "*" in text:  # aliases: point at the first one (composing hides where it was)
            for event in yaml.parse(text, Loader=_Loader):
                if isinstance(event, yaml.AliasEvent):
                    mark = event.start_mark
                    return None, [Problem(name, mark.line + 1, mark.column + 1,
                                          "YAML aliases (*name) are not allowed here; write it "
                                          "out" + _quote_hint(text, mark.line, "*"))]
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        hint = _quote_hint(text, line - 1) if mark else ""
        if not hint and mark:  # e.g. a quote or a '{' left open lines before
            started = [exc.context_mark.line] if exc.context_mark is not None else []
            for before in [*started, *range(mark.line - 1, max(mark.line - 6, -1), -1)]:
                hint = _quote_hint(text, before)
                if hint:
                    hint += f" (line {before + 1})"
                    break
        if hint:
            hint = "; YAML reads part of this text as its own markup" + hint
        return None, [Problem(name, line, col, f"YAML syntax error: {what}{hint}")]
    except yaml.YAMLError as exc:
        return None, [Problem(name, 1, 1, f"YAML error: {exc}")]
    eaten = _eaten_words(node, text, name)
    if eaten:
        return None, eaten
    _rename_marks(node, name)
    return node, []


# What YAML reads as its own markup at the start of a plain value: text starting with one of
# these, or holding ': ', must be quoted (or written as a block scalar after '>').
_SPECIAL_START = "*&![]{}|>'\"%@`#,?:-"
_VALUE = re.compile(r"^(\s*(?:-\s+)*(?:[A-Za-z_][\w-]*:\s+)?)(.*?)\s*$")
# '#' read as a comment where it was meant as text: one space before it, or none after it.
_TEXT_COMMENT = re.compile(r"(?: #|\s#(?=\S))")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _quote_hint(text: str, line: int, what: str = "") -> str:
    """'; put the text in quotes: <the line, quoted>' when the line holds text YAML misreads."""
    lines = text.splitlines()
    if not 0 <= line < len(lines):
        return ""
    raw = lines[line]
    found = _VALUE.match(raw)
    if found is None:
        return ""
    head, value = found.groups()
    if not value or (value[0] in "\"'" and value.endswith(value[0]) and value.count(value[0]) == 2):
        return ""
    misread = value[0] in _SPECIAL_START or ": " in value or " #" in value or (
        value.endswith(":")) or bool(what and what in value)
    if not misread:
        return ""
    quoted = value.replace("\\", "\\\\").replace('"', '\\"')
    return (f"; put the text in quotes, '{head.strip()} \"{quoted}\"', or write it on the "
            f"next lines after '{head.strip()} >'")


def _eaten_words(node: yaml.Node | None, text: str, name: str) -> list[Problem]:
    """Words YAML would drop without an error: a '#' read as a comment after plain text,
    an '&' or '!' at the start read as an anchor or tag, a value lost to a comment
    (``colour: #7a1440``); and bidirectional override characters."""
    problems: list[Problem] = []
    lines = text.splitlines()
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                stack.extend((k, v))
            continue
        if isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
            continue
        if not isinstance(n, yaml.ScalarNode):
            continue
        start, end = n.start_mark, n.end_mark
        where = (name, start.line + 1, start.column + 1)
        bidi = _BIDI.search(n.value)
        if bidi:
            at = text.find(bidi.group(), start.index, max(end.index, start.index + 1))
            line_start = text.rfind("\n", 0, at) + 1
            spot = (name, text.count("\n", 0, at) + 1, at - line_start + 1) if at >= 0 else where
            problems.append(Problem(*spot, f"text holds an invisible bidirectional control "
                                    f"character (U+{ord(bidi.group()):04X}), which can make "
                                    "printed text read in a different order; delete it"))
        if n.style not in (None, "") or end.line >= len(lines):
            continue
        raw = text[start.index:end.index]
        if n.tag == _NULL and not raw:
            rest = lines[start.line][start.column:]
            if re.match(r"(?:\s*#\S| #)", rest):
                value = rest.strip()
                problems.append(Problem(*where, f"'{value}' is read by YAML as a comment, so "
                                        f"this has no value; put it in quotes: \"{value}\""))
            continue
        if raw[:1] in "&!" and not n.value.startswith(raw[:1]):
            problems.append(Problem(*where, f"YAML reads the '{raw.split()[0]}' at the start as "
                                    "its own markup and drops it" + _quote_hint(text, start.line)))
            continue
        after = lines[end.line][end.column:]
        if n.tag == _STR and _TEXT_COMMENT.match(after):
            lost = after.strip()
            problems.append(Problem(name, end.line + 1, end.column + 2,
                                    f"'{lost}' after the text is read by YAML as a comment and "
                                    "dropped" + (_quote_hint(text, end.line) if start.line ==
                                                 end.line else "; write the text after '>' "
                                                 "on the next lines, or put it in quotes") +
                                    " (a comment needs two spaces before '# ')"))
    return problems


def _rename_marks(node: yaml.Node | None, name: str) -> None:
    """Give every node's marks the file label, so problems can name their file."""
    stack = [node] if node is not None else []
    seen: set[int] = set()
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        mark = n.start_mark
        n.start_mark = yaml.Mark(name, mark.index, mark.line, mark.column, None, None)
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                stack.extend((k, v))
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)


def mapping_items(node: yaml.MappingNode) -> list[tuple[str, yaml.Node, yaml.Node]]:
    """Key/value pairs of a mapping node with scalar keys (others are skipped)."""
    return [(k.value, k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]


def merge_nodes(base: yaml.Node, override: yaml.Node) -> yaml.Node:
    """Deep-merge two mapping nodes; the override wins key by key (used by layout ``extends``)."""
    if not (isinstance(base, yaml.MappingNode) and isinstance(override, yaml.MappingNode)):
        return override
    merged: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key, knode, vnode in mapping_items(base):
        merged[key] = (knode, vnode)
    for key, knode, vnode in mapping_items(override):
        if key in merged:
            merged[key] = (knode, merge_nodes(merged[key][1], vnode))
        else:
            merged[key] = (knode, vnode)
    return yaml.MappingNode(
        "tag:yaml.org,2002:map", list(merged.values()), override.start_mark, override.end_mark
    )


class Reader:
    """Turns a node tree into records, collecting every problem on the way."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.marks: dict[tuple[Any, ...], yaml.Mark] = {}
        self._seen: set[int] = set()

    def fail(self, node: yaml.Node, message: str) -> Invalid:
        mark = node.start_mark
        self.problems.append(Problem(mark.name, mark.line + 1, mark.column + 1, message))
        return INVALID

    def fail_at(self, path: tuple[Any, ...], message: str) -> None:
        """Record a problem at the place a value was read from (for cross-field checks)."""
        mark = self.marks.get(path)
        while mark is None and path:
            path = path[:-1]
            mark = self.marks.get(path)
        if mark is None:
            self.problems.append(Problem("?", 1, 1, message))
        else:
            self.problems.append(Problem(mark.name, mark.line + 1, mark.column + 1, message))

    def read(self, node: yaml.Node, tp: Any, path: tuple[Any, ...] = ()) -> Any:
        """Read ``node`` as type ``tp``; returns INVALID if it does not fit."""
        self.marks[path] = node.start_mark
        origin = get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            options = [a for a in get_args(tp) if a is not type(None)]
            if _is_null(node):
                return None
            return self.read(node, options[0], path)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            if id(node) in self._seen:
                return self.fail(node, "YAML aliases (*name) are not allowed here; write it out")
            self._seen.add(id(node))
        custom = getattr(tp, "from_node", None)
        if custom is not None:
            return custom(self, node, path)
        if origin is Literal:
            choices = get_args(tp)
            value = self._scalar(node, str, path)
            if value is INVALID:
                return value
            if value not in choices:
                hint = _suggest(value, [str(c) for c in choices])
                listed = ", ".join(str(c) for c in choices)
                return self.fail(node, f"'{value}' is not one of: {listed}{hint}")
            return value
        if origin is list:
            return self._list(node, get_args(tp)[0], path)
        if origin is dict:
            return self._dict(node, get_args(tp)[1], path)
        if dataclasses.is_dataclass(tp):
            return self.record(node, tp, path)
        return self._scalar(node, tp, path)

    def record(self, node: yaml.Node, cls: type, path: tuple[Any, ...]) -> Any:
        if not isinstance(node, yaml.MappingNode):
            return self.fail(node, f"expected a mapping (key: value lines), got {_kind(node)}")
        fields = {f.name: f for f in dataclasses.fields(cls) if f.init and _yaml_field(f)}
        hints = _hints(cls)
        values: dict[str, Any] = {}
        bad = False
        seen_keys: set[str] = set()
        for knode, _ in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                self.fail(knode, "a key must be a plain word, not a list or mapping")
                bad = True
        for key, knode, vnode in mapping_items(node):
            if key in seen_keys:
                self.fail(knode, f"'{key}' appears twice; keep one")
                bad = True
                continue
            seen_keys.add(key)
            field = fields.get(key)
            if field is None:
                hint = _suggest(key, list(fields))
                self.fail(knode, f"unknown key '{key}'{hint}")
                bad = True
                continue
            value = self.read(vnode, hints[key], (*path, key))
            if value is INVALID:
                bad = True
                continue
            value = self._limits(vnode, field, value)
            if value is INVALID:
                bad = True
                continue
            values[key] = value
        for name, field in fields.items():
            required = (
                field.default is dataclasses.MISSING
                and field.default_factory is dataclasses.MISSING
            )
            if name not in values and name not in seen_keys and required:
                self.fail(node, f"missing required key '{name}'")
                bad = True
        rules = getattr(cls, "check_fields", None)
        if rules is not None:  # rules across fields, on whatever fields read well
            bad = rules(values, self, path) is False or bad
        if bad:
            return INVALID
        return cls(**values)

    def _limits(self, node: yaml.Node, field: dataclasses.Field[Any], value: Any) -> Any:
        meta = field.metadata
        if isinstance(value, list):
            lo, hi = meta.get("min_items"), meta.get("max_items")
            count = len(value)
            if lo is not None and count < lo:
                return self.fail(node, f"'{field.name}' needs at least {lo} items, has {count}")
            if hi is not None and count > hi:
                return self.fail(node, f"'{field.name}' allows at most {hi} items, has {count}")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            lo, hi = meta.get("min"), meta.get("max")
            if (lo is not None and value < lo) or (hi is not None and value > hi):
                return self.fail(node, f"'{field.name}' must be between {lo} and {hi}, got {value}")
        check: Callable[[Any], str | None] | None = meta.get("check")
        if check is not None:
            message = check(value)
            if message:
                return self.fail(node, f"'{field.name}' {message}")
        return value

    def _list(self, node: yaml.Node, item: Any, path: tuple[Any, ...]) -> Any:
        if not isinstance(node, yaml.SequenceNode):
            return self.fail(node, f"expected a list ('- item' lines), got {_kind(node)}")
        out = [self.read(child, item, (*path, i)) for i, child in enumerate(node.value)]
        return INVALID if any(v is INVALID for v in out) else out

    def _dict(self, node: yaml.Node, item: Any, path: tuple[Any, ...]) -> Any:
        if not isinstance(node, yaml.MappingNode):
            return self.fail(node, f"expected a mapping (key: value lines), got {_kind(node)}")
        out = {key: self.read(v, item, (*path, key)) for key, _, v in mapping_items(node)}
        return INVALID if any(v is INVALID for v in out.values()) else out

    def _scalar(self, node: yaml.Node, tp: Any, path: tuple[Any, ...]) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            flow = tp is str and getattr(node, "flow_style", False)
            return self.fail(node, f"expected {_TYPE_WORDS.get(_tag_for(tp), tp.__name__)}, "
                             f"got {_kind(node)}" + (
                                 "; text starting with '[' or '{' is a list or mapping to "
                                 "YAML: put the text in quotes" if flow else ""))
        text, tag = node.value, node.tag
        if tp is str:
            if tag == _NULL:
                return self.fail(node, "a value is missing here" + (
                    f" ('{node.value}' means nothing to YAML; put it in quotes)"
                    if node.value else ""))
            if tag != _STR:
                return self.fail(node, f"expected text, got {_TYPE_WORDS.get(tag, tag)} "
                                 f"({text}); put it in quotes")
            if len(text) > MAX_TEXT_CHARS:  # line breaking grows with the square of a length
                return self.fail(node, f"this text is {len(text):,} characters long; the limit "
                                 f"is {MAX_TEXT_CHARS:,} for one value: split it into "
                                 "shorter paragraphs")
            if "](" in text:  # Markdown links: only https, http, mailto, tel
                from handouts.links import text_link_problems

                bad = text_link_problems(text)
                if bad:
                    return self.fail(node, "; ".join(bad))
            if not text.strip():
                lone = node.style in ("|", ">")
                quoted = node.style in ("'", '"')
                return self.fail(node, "must not be empty" + (
                    f" (a lone '{node.style}' starts text on the next lines; to print "
                    f"'{node.style}', put it in quotes)" if lone else "") + (
                    " (empty quotes are empty text to YAML; to print quote marks, put them "
                    "inside other quotes)" if quoted else ""))
            return text.strip()
        if tp is bool:
            if tag != "tag:yaml.org,2002:bool":
                return self.fail(node, f"expected true or false, got '{text}'")
            return text.lower() in ("true", "yes", "on")
        if tp is int:
            if tag != "tag:yaml.org,2002:int" or not _DECIMAL_INT.match(text):
                return self.fail(node, f"expected a whole number, got '{text}'" + (
                    " (write it in plain digits, e.g. 12)" if tag != _STR else ""))
            return int(text.replace("_", ""))
        if tp is float:
            if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") or \
                    not _DECIMAL.match(text):  # not 0x7E8, 0b1, 33:44, .inf or .nan
                return self.fail(node, f"expected a number, got '{text}'" + (
                    " (write it in plain digits, e.g. 7.5)" if tag != _STR else ""))
            return float(text.replace("_", ""))
        if tp is datetime.date:
            return self._date(node)
        raise TypeError(f"schema type {tp!r} is not supported")  # a bug in a record definition

    def _date(self, node: yaml.ScalarNode) -> Any:
        text = node.value.strip()
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            if len(text) == 10 and text[4] == "-" and text[7] == "-":
                return self.fail(node, f"'{text}' is not a real date")
            return self.fail(node, f"expected a date as YYYY-MM-DD, got '{text}'")


def field(doc: str, **meta: Any) -> Any:
    """A required record field with its documentation and limits."""
    return dataclasses.field(metadata={"doc": doc, **meta})


def optional(doc: str, default: Any = None, **meta: Any) -> Any:
    """An optional record field with a default."""
    if isinstance(default, (list, dict)):
        factory = default.copy
        return dataclasses.field(default_factory=factory, metadata={"doc": doc, **meta})
    return dataclasses.field(default=default, metadata={"doc": doc, **meta})


def internal(default: Any = None) -> Any:
    """A field that is not read from YAML (set by the loader)."""
    return dataclasses.field(default=default, metadata={"yaml": False}, compare=False)


def _yaml_field(f: dataclasses.Field[Any]) -> bool:
    return f.metadata.get("yaml", True)


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    """The type of each field of a record (``typing.get_type_hints`` for its fields)."""
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = {f.name: _evaluated(f.type, cls.__module__)
                               for f in dataclasses.fields(cls)}
    return hints


@functools.cache
def _evaluated(annotation: Any, module: str) -> Any:
    """A field's annotation (text, under ``from __future__ import annotations``) as a type, as
    ``get_type_hints`` evaluates it, but once per distinct text: the records a run reads have
    ~180 fields and ~40 different annotations."""
    if not isinstance(annotation, str):
        return annotation
    return eval(annotation, vars(sys.modules[module]))  # our own annotations, as typing does


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    word = _TYPE_WORDS.get(node.tag, "a value")
    return f"{word} ('{node.value}')" if node.tag != _NULL else "nothing"


def _tag_for(tp: Any) -> str:
    return {str: _STR, int: "tag:yaml.org,2002:int", float: "tag:yaml.org,2002:float",
            bool: "tag:yaml.org,2002:bool", datetime.date: "tag:yaml.org,2002:timestamp"}.get(
        tp, "")


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def describe(cls: type, indent: str = "") -> list[str]:
    """Document a record's fields, one line each (used by `handouts schema`)."""
    lines = []
    hints = _hints(cls)
    for f in dataclasses.fields(cls):
        if not _yaml_field(f):
            continue
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        tp = hints[f.name]
        flag = "required" if required else "optional"
        lines.append(f"{indent}{f.name}: {type_name(tp)} ({flag}) - {f.metadata.get('doc', '')}")
        inner = _record_in(tp)
        if inner is not None and getattr(inner, "from_node", None) is None:
            lines.extend(describe(inner, indent + "    "))
        elif inner is not None:
            lines.extend(f"{indent}    {line}" for line in inner.__doc__.strip().splitlines())
    return lines


def _record_in(tp: Any) -> type | None:
    if dataclasses.is_dataclass(tp):
        return tp  # type: ignore[return-value]
    for arg in get_args(tp):
        found = _record_in(arg)
        if found is not None:
            return found
    return None


def type_name(tp: Any) -> str:
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(type_name(a) for a in get_args(tp) if a is not type(None))
    if origin is Literal:
        return "one of " + "|".join(str(a) for a in get_args(tp))
    if origin is list:
        return f"list of {type_name(get_args(tp)[0])}"
    if origin is dict:
        return f"mapping of {type_name(get_args(tp)[1])}"
    if dataclasses.is_dataclass(tp):
        return "mapping"
    return {str: "text", int: "whole number", float: "number", bool: "true/false",
            datetime.date: "date YYYY-MM-DD"}.get(tp, getattr(tp, "__name__", str(tp)))
