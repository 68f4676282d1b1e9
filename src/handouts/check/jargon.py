"""Medical words and abbreviations a handout uses without explaining them.

The medical words are data: ``data/jargon.txt`` (one word or phrase per line, other forms after
``|``). A word is fine when "words to know" (the glossary) has it, or when it is explained where
a reader first meets it, in one of these ways::

    heparin. Heparin is a medicine that ...      (X is/are/means a ..., here or next sentence)
    intralipid, a fat drip                       (X, a/an/the/which/other ...)
    antibodies (immune proteins)                 (X (plain words))
    a hormone called progesterone                (called/known as/such as X)

Abbreviations in capitals (``RCOG``, ``TNF``) are checked the same way, and are also fine
inside brackets after the words they stand for (``natural killer (NK)``) or when most readers
know them (``data/abbreviations.txt``: UK, GP, DNA ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from handouts.check.prose import Unit

_TOKEN = re.compile(r"[^\W_]+(?:['\u2019\-&][^\W_]+)*")
_ABBREVIATION = re.compile(r"^[A-Z][A-Z0-9&]*(?:-[A-Z0-9]+)*$")
_ROMAN = re.compile(r"^[IVX]+$")
LABELS = frozenset({"title", "subtitle", "heading"})
_EXPLAINS_AFTER = re.compile(
    r"""^\s*(?:
        \((?=[^)]*\b(?-i:[a-z]{2,}))                          # antibodies (immune proteins)
      | [,:\u2013\u2014]\s*(?:a|an|the|which|that|who|meaning|or|other|also\s+called
                               |known\s+as|called|i\.e\.)\b      # intralipid, a fat drip
      | -\s+(?:a|an|the|which|that|meaning)\b
      | (?:is|are|means|refers\s+to|stands\s+for)\s+(?:a|an|the|what|when|how|where
                                                      |for|short|one|any|some)\b
      | (?:is|are)\s+(?:[\w-]+\s+){0,4}?(?:cells?|medicines?|drugs?|tests?|conditions?
          |hormones?|glands?|organs?|proteins?|parts?|types?|kinds?|groups?|treatments?
          |substances?|illness(?:es)?|diseases?)\b            # NK cells are normal immune cells
      | (?:\s+(?:and|or)\s+[^,.;:()]{1,30}?|\s+[\w-]+),\s*(?:a|an|the|which|that|other
                                                            |meaning)\b
                                               # G-CSF and TNF blockers, other drugs (both)
    )""", re.VERBOSE | re.IGNORECASE)
_EXPLAINS_BEFORE = re.compile(
    r"(?:\bcalled|\bnamed|\bknown\s+as|\bsuch\s+as|\bincluding|\ba\s+type\s+of|\bkind\s+of)\s*$",
    re.IGNORECASE)
_NEXT_DEFINES = r"^\s*(?:it|this|these|they|that|{word})\s+(?:is|are|means)\b"
# The same ways of explaining a word, in Spanish:
#   heparina (un medicamento ...), prednisolona, un esteroide ..., la progesterona es una
#   hormona ..., un medicamento llamado heparina, esteroides como la prednisolona
_EXPLAINS_AFTER_ES = re.compile(
    r"""^\s*(?:
        \((?=[^)]*\b(?-i:[a-záéíóúñü]{2,}))
      | [,:\u2013\u2014]\s*(?:un|una|unos|unas|el|la|los|las|lo\s+que|que|es\s+decir|o\s+sea
                               |llamad[oa]s?|conocid[oa]s?\s+como|otr[oa]s?)\b
      | (?:es|son|significa|quiere\s+decir)\s+(?:un|una|unos|unas|el|la|los|las|lo|cuando
                                                 |como|donde|para|que)\b
      | (?:es|son)\s+(?:[\w-]+\s+){0,4}?(?:células?|medicinas?|medicamentos?|fármacos?
          |pruebas?|análisis|enfermedad(?:es)?|hormonas?|glándulas?|órganos?|proteínas?|partes?
          |tipos?|tratamientos?|sustancias?|afecciones?)\b
      | (?:\s+(?:y|o)\s+[^,.;:()]{1,30}?|\s+[\w-]+),\s*(?:un|una|unos|unas|el|la|los|las|que
                                                        |otr[oa]s?)\b
    )""", re.VERBOSE | re.IGNORECASE)
_EXPLAINS_BEFORE_ES = re.compile(
    r"(?:\bllamad[oa]s?|\bdenominad[oa]s?|\bconocid[oa]s?\s+como|\bcomo(?:\s+(?:el|la|los|las))?"
    r"|\bincluid[oa]s?|\bun\s+tipo\s+de|\buna\s+clase\s+de)\s*$", re.IGNORECASE)
_NEXT_DEFINES_ES = (r"^\s*(?:esto|este|esta|estos|estas|ella|ello|(?:el|la|los|las)\s+{word}"
                    r"|{word})\s+(?:es|son|significa)\b")
_EXPLAINS = {"en": (_EXPLAINS_AFTER, _EXPLAINS_BEFORE, _NEXT_DEFINES),
             "es": (_EXPLAINS_AFTER_ES, _EXPLAINS_BEFORE_ES, _NEXT_DEFINES_ES)}
_SENTENCE_BREAK = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+")


def _stem(token: str) -> str:
    """Lower-case, singular (roughly): enough to match 'antibodies' to 'antibody'."""
    if token.isupper() or any(ch.isdigit() for ch in token):
        return token.lower()  # abbreviations are not plurals: APS, CVS
    word = token.lower().replace("\u2019", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "zes", "uses")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(stem, start, end) of each word in a text."""
    return [(_stem(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]


@dataclass(frozen=True)
class Term:
    """A medical word or phrase and its other forms (each a tuple of word stems)."""

    headword: str
    forms: tuple[tuple[str, ...], ...]


def parse_terms(lines: Iterable[str]) -> list[Term]:
    """Read a jargon list: 'word | other form | ...' per line, '#' comments."""
    terms = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        written = [part.strip() for part in line.split("|") if part.strip()]
        forms = tuple(tuple(t[0] for t in tokens(w)) for w in written)
        terms.append(Term(written[0], tuple(f for f in forms if f)))
    return terms


def _data(name: str) -> str:
    return resources.files("handouts").joinpath("data", name).read_text("utf-8")


def _suffix(language: str) -> str:
    """'' for English data files, '-es' for Spanish (``jargon-es.txt``)."""
    bare = language.split("-")[0].lower()
    return "" if bare == "en" or bare not in _EXPLAINS else f"-{bare}"


@lru_cache(maxsize=4)
def builtin_terms(language: str = "en") -> tuple[Term, ...]:
    """The medical words of ``data/jargon.txt`` (``jargon-es.txt`` for Spanish)."""
    return tuple(parse_terms(_data(f"jargon{_suffix(language)}.txt").splitlines()))


@lru_cache(maxsize=4)
def common_abbreviations(language: str = "en") -> frozenset[str]:
    """Abbreviations readers know (``data/abbreviations.txt``, ``abbreviations-es.txt``)."""
    text = _data(f"abbreviations{_suffix(language)}.txt")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(line for line in lines if line)


@dataclass(frozen=True)
class Use:
    """The first use of a medical word or abbreviation, and whether it is explained."""

    term: str  # headword from the list, or the abbreviation
    written: str  # as it appears in the text
    unit: Unit
    start: int  # offset in unit.text
    explained: str | None  # how: "words to know", "explained where first used", ...

    @property
    def abbreviation(self) -> bool:
        return self.term == self.written and bool(_ABBREVIATION.match(self.written))


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    return any(tuple(haystack[i:i + n]) == tuple(needle) for i in range(len(haystack) - n + 1))


def _shouted(text: str, toks: list[tuple[str, int, int]]) -> set[int]:
    """Indexes of words in a run of three or more in capitals (shouting, not abbreviations)."""
    caps = [len(text[a:b]) >= 2 and text[a:b].isupper() for _, a, b in toks]
    found: set[int] = set()
    run: list[int] = []
    for i, is_caps in enumerate([*caps, False]):
        if is_caps:
            run.append(i)
            continue
        if len(run) >= 3:
            found.update(run)
        run = []
    return found


def _explained_here(text: str, start: int, end: int, written: str,
                    language: str = "en") -> bool:
    explains_after, explains_before, next_defines = _EXPLAINS[_suffix(language)[1:] or "en"]
    before, after = text[:start], text[end:]
    if explains_after.match(after) or explains_before.search(before):
        return True
    rest = _SENTENCE_BREAK.split(after, maxsplit=1)
    if len(rest) == 2:  # "... heparin. Heparin is a medicine that ..."
        pattern = next_defines.format(word=re.escape(written))
        return re.match(pattern, rest[1], re.IGNORECASE) is not None
    return False


def scan(units: Iterable[Unit], glossary: Iterable[str],
         terms: Sequence[Term] | None = None,
         known_abbreviations: frozenset[str] | None = None,
         language: str = "en") -> tuple[list[Use], list[Use]]:
    """First uses of medical words and of abbreviations (titles and headings last), with the
    word list and ways of explaining of ``language`` (English, or Spanish for es-*)."""
    terms = builtin_terms(language) if terms is None else terms
    known = common_abbreviations(language) if known_abbreviations is None \
        else known_abbreviations
    glossed = [tuple(t[0] for t in tokens(term)) for term in glossary]
    glossed_words = {stem for entry in glossed for stem in entry}
    by_first: dict[str, list[tuple[Term, tuple[str, ...]]]] = {}
    for term in terms:
        for form in term.forms:
            by_first.setdefault(form[0], []).append((term, form))
    for candidates in by_first.values():
        candidates.sort(key=lambda c: -len(c[1]))  # longest form first
    jargon: dict[str, Use] = {}
    abbreviations: dict[str, Use] = {}
    # A title or heading only names a subject; the first use that counts is in the text,
    # unless the word appears nowhere else.
    ordered = list(units)
    ordered = [u for u in ordered if u.kind not in LABELS] + \
              [u for u in ordered if u.kind in LABELS]
    for unit in ordered:
        toks = tokens(unit.text)
        stems = [t[0] for t in toks]
        shouted = _shouted(unit.text, toks)
        i = 0
        while i < len(toks):
            match = None
            for term, form in by_first.get(stems[i], ()):
                if tuple(stems[i:i + len(form)]) == form:
                    match = (term, form)
                    break
            if match is not None:
                term, form = match
                start, end = toks[i][1], toks[i + len(form) - 1][2]
                if term.headword not in jargon:
                    written = unit.text[start:end]
                    how = None
                    if any(_contains(g, f) for g in glossed for f in term.forms):
                        how = "words to know"
                    elif _explained_here(unit.text, start, end, written, language):
                        how = "explained where first used"
                    jargon[term.headword] = Use(term.headword, written, unit, start, how)
                i += len(form)
                continue
            start, end = toks[i][1], toks[i][2]
            written = unit.text[start:end]
            if (_ABBREVIATION.match(written) and sum(ch.isupper() for ch in written) >= 2
                    and not _ROMAN.match(written) and written not in abbreviations
                    and i not in shouted):
                how = None
                if written in known:
                    how = "commonly known"
                elif stems[i] in glossed_words:
                    how = "words to know"
                elif unit.text.rfind("(", 0, start) > unit.text.rfind(")", 0, start):
                    how = "short form in brackets"
                elif _explained_here(unit.text, start, end, written, language):
                    how = "explained where first used"
                abbreviations[written] = Use(written, written, unit, start, how)
            i += 1
    return list(jargon.values()), list(abbreviations.values())
