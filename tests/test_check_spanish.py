"""Spanish readability: syllables by rule, Szigriszt-Pazos on the INFLESZ scale and
Fernández-Huerta (constants from the facts file, section 6); the Spanish jargon list."""

from __future__ import annotations

import pytest

from handouts.check.jargon import scan
from handouts.check.prose import Unit
from handouts.check.spanish import (
    analyse,
    fernandez_huerta,
    inflesz_band,
    syllables,
    szigriszt,
)

WORDS = {
    "casa": 2, "día": 2, "ciudad": 2, "poeta": 3, "leer": 2, "país": 2, "oído": 3, "ahí": 2,
    "ahumado": 3, "cuidado": 3, "historia": 3, "guerra": 2, "pingüino": 3, "muy": 1, "hoy": 1,
    "y": 1, "yo": 1, "leyes": 2, "Uruguay": 3, "buey": 1, "estudiáis": 3, "miércoles": 3,
    "prednisolona": 5, "inmunoglobulina": 7, "embarazo": 4, "células": 3, "espontáneo": 5,
    "reír": 2, "creer": 2, "aéreo": 4, "ecografía": 5, "útero": 3, "progesterona": 5,
    "que": 1, "aquí": 2, "heparina": 4, "prohíbe": 3, "ahora": 3, "línea": 3, "también": 2,
    "anticuerpos": 4, "tratamiento": 4, "inmunológico": 6, "baúl": 2, "huevo": 2,
    "materno-fetal": 5, "NK": 3, "IVIG": 5, "2023": 1,
}


@pytest.mark.parametrize(("word", "count"), sorted(WORDS.items()))
def test_spanish_syllables_by_rule(word: str, count: int) -> None:
    assert syllables(word) == count


def test_formulas_use_the_published_constants() -> None:
    # 100 words, 200 syllables, 10 sentences
    assert szigriszt(100, 10, 200) == pytest.approx(206.835 - 62.3 * 2 - 10)
    assert fernandez_huerta(100, 10, 200) == pytest.approx(206.84 - 60 * 2 - 1.02 * 10)
    assert szigriszt(0, 0, 0) == 0.0


@pytest.mark.parametrize(("score", "band"), [
    (30, "muy difícil"), (40, "algo difícil"), (54.9, "algo difícil"), (55, "normal"),
    (65, "bastante fácil"), (79.9, "bastante fácil"), (80, "muy fácil")])
def test_inflesz_bands(score: float, band: str) -> None:
    assert inflesz_band(score) == band


def test_sentences_open_with_inverted_marks() -> None:
    measures, found = analyse([("Hola. ¿Cómo está? ¡Muy bien! Gracias.", None)])
    assert [s.text for s in found] == ["Hola.", "¿Cómo está?", "¡Muy bien!", "Gracias."]
    assert (measures.words, measures.sentences, measures.syllables) == (6, 4, 10)


def test_spanish_jargon_needs_an_explanation() -> None:
    units = [Unit("paragraph", "Le pueden dar heparina para la sangre.", ("a",)),
             Unit("paragraph", "La progesterona es una hormona del embarazo.", ("b",)),
             Unit("paragraph", "Un medicamento llamado prednisolona.", ("c",)),
             Unit("paragraph", "El síndrome antifosfolípido (SAF) afecta la sangre.", ("d",))]
    jargon, abbreviations = scan(units, ["Síndrome antifosfolípido (SAF)"], language="es-US")
    how = {use.term: use.explained for use in jargon}
    assert how == {"heparina": None, "progesterona": "explained where first used",
                   "prednisolona": "explained where first used",
                   "síndrome antifosfolípido": "words to know"}
    assert [(a.term, a.explained) for a in abbreviations] == [("SAF", "words to know")]
