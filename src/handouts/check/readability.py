"""Readability of plain English text: Flesch-Kincaid grade, SMOG grade, the hardest sentences.

Everything here works offline and gives the same figures on every machine:

* **Syllables** come from the CMU Pronouncing Dictionary (the source textstat and NLTK use),
  shipped with the package as a small table (``data/syllables.txt.gz``) of the words whose
  dictionary count differs from the rule-based count in :func:`guess_syllables`. A word in the
  dictionary therefore gets its dictionary count (first pronunciation); any other word gets the
  rule-based count. Nothing is downloaded: textstat's English syllable counting fetches NLTK's
  ``cmudict`` corpus at run time, so textstat is not used here.
* **Words** are runs of letters or digits; ``low-dose`` and ``don't`` are one word. A number
  counts as one syllable. An abbreviation in capitals (``NK``, ``IVIG``) is read letter by
  letter (``W`` has three syllables), unless it is read as a word (``NICE``).
* **Sentences** end at ``.``, ``!`` or ``?`` followed by a space and a capital, digit or quote
  (not after ``e.g.``, ``Dr.`` or an initial), and at the end of each text unit: a paragraph,
  a list item, a key point or a question is never joined to the next one.

The formulas are the published ones:

* Flesch-Kincaid grade = 0.39 x (words / sentences) + 11.8 x (syllables / words) - 15.59
* SMOG grade = 1.0430 x sqrt(words of 3+ syllables x 30 / sentences) + 3.1291
"""

from __future__ import annotations

import gzip
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

# Bump when guess_syllables changes, and rebuild the table (scripts/make_syllable_table.py).
GUESS_VERSION = 1
TABLE = "syllables.txt.gz"

_WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
_LETTERS = re.compile(r"[a-z]+")
_VOWELS = re.compile(r"[aeiouy]+")
# Vowel pairs said as two syllables (i-de-a, ra-di-o, flu-id), except after t, s, c, sh, ch
# or g ("na-tion", "spe-cial", "fa-shion", "re-gion") and u after q or g ("quite", "guard").
_TWO_SYLLABLE_PAIRS = frozenset({"ia", "io", "iu", "eo", "ua", "uo", "ii"})
_PALATAL = ("t", "s", "c", "sh", "ch", "g", "x")
_SILENT_E_SUFFIX = re.compile(r"[aeiouy][^aeiouy]e(?:ly|ment|ments|ful|less|ness)$")
_SPOKEN_AS_WORDS = frozenset({"AIDS", "COVID", "ESHRE", "NASA", "NATO", "NICE", "UNICEF",
                              "SIDS", "MERS", "SARS"})
_ABBREVIATIONS = frozenset({"e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "prof", "vs", "no",
                            "st", "approx", "fig", "al", "ca", "cf",
                            "ej", "dra", "sr", "sra", "srta", "núm", "pág", "aprox"})  # Spanish
# A sentence ends at . ! ? before a capital or digit, or a Spanish ¿ ¡ opening the next one.
_SENTENCE_END = re.compile(r"([.!?]+)([\"'\u201d\u2019\u00bb)\]]*)(\s+)"
                           r"(?=[\"'\u201c\u2018\u00ab(\[]?[¿¡]?[A-ZÁÉÍÓÚÑÜ0-9])")


def words(text: str) -> list[str]:
    """The words of a text (hyphenated words and contractions are one word)."""
    return _WORD.findall(text.replace("\u2011", "-"))


def sentences(text: str) -> list[str]:
    """Split one text unit into sentences (the end of the unit always ends a sentence)."""
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start:match.start()].rstrip()
        last = before.rsplit(None, 1)[-1] if before.split() else ""
        stem = last.lower().lstrip("(\"'\u201c")
        if match.group(1) == "." and (stem in _ABBREVIATIONS
                                      or (len(stem) == 1 and stem.isalpha() and last.isupper())):
            continue  # "e.g. Some", "Dr. Mehta", "J. Smith"
        out.append(text[start:match.end(2)].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if words(s)]


def syllables(word: str) -> int:
    """Syllables in one word: the CMU dictionary's count, else a rule-based count."""
    if word.isupper() and word.isalpha() and len(word) >= 2 and word not in _SPOKEN_AS_WORDS:
        return sum(3 if ch == "W" else 1 for ch in word)  # read letter by letter: N-K, I-V-I-G
    parts = [p for p in re.split(r"[-\u2011]", word.replace("\u2019", "'")) if p]
    if len(parts) > 1:
        return sum(syllables(p) for p in parts)
    lower = word.lower().replace("\u2019", "'")
    if not any(ch.isalpha() for ch in lower):
        return 1  # a number
    known = _table().get(lower)
    return known if known is not None else guess_syllables(lower)


def guess_syllables(word: str) -> int:
    """Syllables by spelling rules (vowel groups, silent e, -ed/-es), for words not in CMU."""
    w = "".join(_LETTERS.findall(word.lower()))
    if not w:
        return 1 if any(ch.isdigit() for ch in word) else 0
    if len(w) <= 3:
        return 1
    count = 0
    for match in _VOWELS.finditer(w):
        group, at = match.group(), match.start()
        if at == 0 and group == "y" and len(w) > 1:
            continue  # y at the start is a consonant: yes, yoga
        count += 1
        for i in range(len(group) - 1):  # vowel pairs said as two syllables: i-de-a, ra-di-o
            pair, before = group[i:i + 2], w[max(0, at + i - 2):at + i]
            if pair in _TWO_SYLLABLE_PAIRS and not before.endswith(_PALATAL) and not (
                    pair[0] == "u" and before.endswith(("q", "g"))):
                count += 1
    if w.endswith("e") and not w.endswith(("le", "ee", "ye", "oe")) and count > 1:
        count -= 1  # silent e: make, hormone
    elif w.endswith("le") and w[-3] in "aeiouy" and count > 1:
        count -= 1  # male, pole
    elif w.endswith("es") and count > 1 and not w.endswith(
            ("ses", "zes", "xes", "ces", "ges", "shes", "ches", "ies", "ees", "oes", "yes")) \
            and not (w.endswith("les") and w[-4] not in "aeiouy"):
        count -= 1  # makes, hormones (but ta-bles)
    elif w.endswith("ed") and count > 1 and not w.endswith(("ted", "ded", "eed", "ied")) \
            and not (w.endswith(("led", "red")) and w[-4] not in "aeiouy"):
        count -= 1  # asked, planned (but scram-bled, ha-tred)
    if _SILENT_E_SUFFIX.search(w) and count > 1:
        count -= 1  # safely, management, careful, careless, lateness
    if w.endswith("ism"):
        count += 1  # or-gan-is-m
    return max(1, count)


@lru_cache(maxsize=1)
def _table() -> dict[str, int]:
    """CMU dictionary words whose syllable count differs from :func:`guess_syllables`."""
    raw = resources.files("handouts").joinpath("data", TABLE).read_bytes()
    table: dict[str, int] = {}
    version = None
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if line.startswith("#"):
            if line.startswith("# guess-version:"):
                version = int(line.split(":", 1)[1])
            continue
        count, _, rest = line.partition(" ")
        n = int(count)
        for word in rest.split():
            table[word] = n
    if version != GUESS_VERSION:  # a bug: the rules changed without rebuilding the table
        raise RuntimeError(f"{TABLE} was built for guess_syllables version {version}, "
                           f"the code is version {GUESS_VERSION}; run "
                           "scripts/make_syllable_table.py")
    return table


def fk_grade(n_words: int, n_sentences: int, n_syllables: int) -> float:
    """Flesch-Kincaid grade level (0 for empty text)."""
    if not n_words or not n_sentences:
        return 0.0
    return 0.39 * n_words / n_sentences + 11.8 * n_syllables / n_words - 15.59


def smog_grade(n_polysyllables: int, n_sentences: int) -> float:
    """SMOG grade (McLaughlin 1969), scaled to any number of sentences (0 for empty text)."""
    if not n_sentences:
        return 0.0
    return 1.0430 * math.sqrt(n_polysyllables * 30 / n_sentences) + 3.1291


@dataclass(frozen=True)
class Sentence:
    """One sentence with its counts; ``origin`` is whatever the caller attached to its unit."""

    text: str
    words: int
    syllables: int
    long_words: tuple[str, ...]  # words of 3 or more syllables
    origin: Any = None

    @property
    def fk_grade(self) -> float:
        return fk_grade(self.words, 1, self.syllables)


@dataclass(frozen=True)
class Measures:
    """Readability figures of a whole text."""

    sentences: int
    words: int
    syllables: int
    long_words: int  # words of 3 or more syllables ("polysyllables")
    fk_grade: float
    smog_grade: float

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def long_word_share(self) -> float:
        """Share of words with 3 or more syllables, in percent."""
        return 100.0 * self.long_words / self.words if self.words else 0.0


def analyse(units: Iterable[tuple[str, Any]]) -> tuple[Measures, list[Sentence]]:
    """Measure text units (plain text, origin); return the figures and every sentence."""
    found: list[Sentence] = []
    for text, origin in units:
        for sentence in sentences(text):
            ws = words(sentence)
            counts = [syllables(w) for w in ws]
            long = tuple(w for w, n in zip(ws, counts, strict=True) if n >= 3)
            found.append(Sentence(sentence, len(ws), sum(counts), long, origin))
    n_sent = len(found)
    n_words = sum(s.words for s in found)
    n_syll = sum(s.syllables for s in found)
    n_long = sum(len(s.long_words) for s in found)
    measures = Measures(n_sent, n_words, n_syll, n_long, fk_grade(n_words, n_sent, n_syll),
                        smog_grade(n_long, n_sent))
    return measures, found


def hardest(found: list[Sentence], count: int = 5, min_words: int = 5) -> list[Sentence]:
    """The sentences with the highest Flesch-Kincaid grade (ties: the longer, then earlier).

    Fragments shorter than ``min_words`` ("Patient information.") are left out: one long word
    gives them a high grade, but they are not what makes a text hard.
    """
    ranked = sorted(((i, s) for i, s in enumerate(found) if s.words >= min_words),
                    key=lambda p: (-p[1].fk_grade, -p[1].words, p[0]))
    return [s for _, s in ranked[:count]]
