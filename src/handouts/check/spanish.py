"""Readability of plain Spanish text: syllables by rule, Szigriszt-Pazos (INFLESZ) and
Fernández-Huerta.

* **Syllables** are counted by the rules of Spanish spelling: each vowel group is one syllable
  (a diphthong such as *ue*, *ia*, *ui* or a triphthong such as *uey*), except that two strong
  vowels (*a e o*) side by side are two (*le-er*, *po-e-ta*), and so is an accented *í* or *ú*
  beside a strong vowel (*dí-a*, *ba-úl*). *y* is a vowel at the end of a word or before a
  consonant (*muy*, *hoy*, *y*); a silent *h* between vowels does not part them (*ahu-ma-do*).
  Spanish has no large pronouncing table, and these rules are exact for ordinary words.
  An abbreviation in capitals is read letter by letter with the Spanish letter names
  (``NK``: e-ne-ka, three syllables); a number counts as one syllable.
* **Words** and **sentences** as in :mod:`handouts.check.readability` (a sentence may open
  with ``¿`` or ``¡``).

The formulas (constants as published; see ``us-and-es-facts.md`` section 6):

* Szigriszt-Pazos, índice de perspicuidad (1993), read on the INFLESZ scale (Barrio-Cantalejo
  et al. 2008), the scale validated for texts for patients:
  ``IFSZ = 206.835 - 62.3 x (syllables / words) - (words / sentences)``;
  below 40 muy difícil, 40-55 algo difícil, 55-65 normal, 65-80 bastante fácil, above 80 muy
  fácil.
* Fernández-Huerta, lecturabilidad (1959), in its corrected form (Law 2011):
  ``L = 206.84 - 60 x (syllables / words) - 1.02 x (words / sentences)``; 60-70 is "normal"
  for an adult.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from handouts.check.readability import sentences, words

_STRONG = frozenset("aeoáéó")
_ACCENTED_WEAK = frozenset("íú")
_VOWELS = _STRONG | _ACCENTED_WEAK | frozenset("iuü")
# Syllables of the letter names: efe, hache, jota, ele, eme, ene, eñe, erre, ese, uve,
# uve doble, equis, zeta (the others, a be ce de e ..., have one).
_LETTER_NAMES = {"f": 2, "h": 2, "j": 2, "l": 2, "m": 2, "n": 2, "ñ": 2, "r": 2, "s": 2,
                 "v": 2, "w": 3, "x": 2, "z": 2}
INFLESZ_BANDS = ((40.0, "muy difícil"), (55.0, "algo difícil"), (65.0, "normal"),
                 (80.0, "bastante fácil"), (float("inf"), "muy fácil"))
_SPOKEN_AS_WORDS = frozenset({"OMS", "ONU", "SIDA", "ESHRE", "NICE", "PRISM", "PROMISE",
                              "PREMI", "AYUDA"})


def _hiatus(a: str, b: str) -> bool:
    """Two vowels side by side said in two syllables: le-er, dí-a, ba-úl (not ai, ue, iu)."""
    if a in _STRONG and b in _STRONG:
        return True
    return (a in _ACCENTED_WEAK and b in _STRONG) or (a in _STRONG and b in _ACCENTED_WEAK)


def syllables(word: str) -> int:
    """Syllables in one Spanish word, by rule."""
    if word.isupper() and word.isalpha() and len(word) >= 2 and word not in _SPOKEN_AS_WORDS:
        return sum(_LETTER_NAMES.get(ch, 1) for ch in word.lower())  # NK: e-ne-ka
    parts = [p for p in word.replace("\u2011", "-").split("-") if p]
    if len(parts) > 1:
        return sum(syllables(p) for p in parts)
    w = word.lower()
    if not any(ch.isalpha() for ch in w):
        return 1  # a number
    count = 0
    previous = ""  # the vowel just before; "" after a consonant
    for i, ch in enumerate(w):
        nxt = w[i + 1] if i + 1 < len(w) else ""
        if ch == "y":
            ch = "i" if nxt not in _VOWELS else ""  # muy, hoy, y (a vowel); yo, ayer (not)
        elif ch == "h" and previous and nxt in _VOWELS:
            continue  # a silent h between vowels: ahu-ma-do, a-hí, pro-hí-be
        elif ch not in _VOWELS:
            ch = ""
        if not ch:
            previous = ""
            continue
        if not previous or _hiatus(previous, ch):
            count += 1
        previous = ch
    return max(1, count)


def szigriszt(n_words: int, n_sentences: int, n_syllables: int) -> float:
    """Szigriszt-Pazos perspicuity (IFSZ), read on the INFLESZ scale (0 for empty text)."""
    if not n_words or not n_sentences:
        return 0.0
    return 206.835 - 62.3 * n_syllables / n_words - n_words / n_sentences


def fernandez_huerta(n_words: int, n_sentences: int, n_syllables: int) -> float:
    """Fernández-Huerta readability, corrected form (0 for empty text)."""
    if not n_words or not n_sentences:
        return 0.0
    return 206.84 - 60 * n_syllables / n_words - 1.02 * n_words / n_sentences


def inflesz_band(score: float) -> str:
    """The INFLESZ label of a Szigriszt-Pazos score: 'bastante fácil' for 65 to 80."""
    return next(label for top, label in INFLESZ_BANDS if score < top)


@dataclass(frozen=True)
class Sentence:
    text: str
    words: int
    syllables: int
    origin: Any = None

    @property
    def szigriszt(self) -> float:
        return szigriszt(self.words, 1, self.syllables)


@dataclass(frozen=True)
class Measures:
    sentences: int
    words: int
    syllables: int
    szigriszt: float
    fernandez_huerta: float

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0

    @property
    def inflesz(self) -> str:
        return inflesz_band(self.szigriszt)


def analyse(units: Iterable[tuple[str, Any]]) -> tuple[Measures, list[Sentence]]:
    """Measure Spanish text units (plain text, origin); the figures and every sentence."""
    found = []
    for text, origin in units:
        for sentence in sentences(text):
            ws = words(sentence)
            found.append(Sentence(sentence, len(ws), sum(syllables(w) for w in ws), origin))
    n_sent, n_words = len(found), sum(s.words for s in found)
    n_syll = sum(s.syllables for s in found)
    return Measures(n_sent, n_words, n_syll, szigriszt(n_words, n_sent, n_syll),
                    fernandez_huerta(n_words, n_sent, n_syll)), found


def hardest(found: list[Sentence], count: int = 5, min_words: int = 5) -> list[Sentence]:
    """The sentences with the lowest Szigriszt-Pazos score (ties: the longer, then earlier)."""
    ranked = sorted(((i, s) for i, s in enumerate(found) if s.words >= min_words),
                    key=lambda p: (p[1].szigriszt, -p[1].words, p[0]))
    return [s for _, s in ranked[:count]]
