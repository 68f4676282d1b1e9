"""handouts.check.jargon: medical words and abbreviations, explained or not."""

from __future__ import annotations

import pytest

from handouts.check.jargon import builtin_terms, parse_terms, scan, tokens
from handouts.check.prose import Unit

TERMS = parse_terms([
    "# test list",
    "heparin",
    "endometrium | endometrial",
    "antibody",
    "intralipid",
    "progesterone",
    "immune system | immune",
    "natural killer cell | NK cell",
    "granulocyte colony-stimulating factor | G-CSF",
    "tumour necrosis factor | TNF",
])


def _unit(text: str, kind: str = "paragraph") -> Unit:
    return Unit(kind, text, ("x",))


def _how(text: str, glossary: tuple[str, ...] = ()) -> dict[str, str | None]:
    jargon, abbreviations = scan([_unit(text)], glossary, TERMS, frozenset({"UK", "GP"}))
    return {u.term: u.explained for u in [*jargon, *abbreviations]}


def test_list_is_parsed_into_forms() -> None:
    assert TERMS[1].headword == "endometrium"
    assert TERMS[1].forms == (("endometrium",), ("endometrial",))
    assert TERMS[6].forms == (("natural", "killer", "cell"), ("nk", "cell"))


def test_builtin_list_loads_and_has_no_duplicates() -> None:
    heads = [t.headword for t in builtin_terms()]
    assert len(heads) > 100
    assert len(heads) == len(set(heads))


def test_plurals_match() -> None:
    assert [t[0] for t in tokens("antibodies NK cells endometrium's APS")] == \
        ["antibody", "nk", "cell", "endometrium", "aps"]


@pytest.mark.parametrize("text", [
    "Heparin is a medicine that stops blood clots.",
    "You may get heparin. Heparin is a medicine that stops blood clots.",
    "You may get heparin. It is a medicine that stops blood clots.",
    "You may get heparin, a medicine that stops blood clots.",
    "You may get heparin (a medicine that stops blood clots).",
    "You may get a medicine called heparin.",
    "Some medicines, such as heparin, stop clots.",
])
def test_explained_where_first_used(text: str) -> None:
    assert _how(text)["heparin"] == "explained where first used"


@pytest.mark.parametrize("text", [
    "You may get heparin.",
    "You may get heparin (HEP).",  # an abbreviation in brackets explains nothing
    "Heparin is still being studied.",
    "You may get heparin, and then rest.",
])
def test_not_explained(text: str) -> None:
    assert _how(text)["heparin"] is None


def test_glossary_entry_covers_every_form() -> None:
    assert _how("The endometrial lining grows.", ("Endometrium",))["endometrium"] == \
        "words to know"
    assert _how("NK cells are normal.", ("Natural killer cells",))["natural killer cell"] == \
        "words to know"


def test_only_the_first_use_counts_and_headings_come_last() -> None:
    units = [Unit("heading", "Can progesterone help?", ("h",)),
             _unit("Progesterone, a hormone, can help."),
             _unit("Progesterone works.")]
    jargon, _ = scan(units, (), TERMS, frozenset())
    assert [(u.term, u.unit.text, u.explained) for u in jargon] == [
        ("progesterone", "Progesterone, a hormone, can help.", "explained where first used")]


def test_longest_form_wins_and_coordinated_words_share_an_explanation() -> None:
    how = _how("G-CSF and TNF blockers, other drugs that act on the immune system, are sold.",
               ("Immune system",))
    assert how == {"granulocyte colony-stimulating factor": "explained where first used",
                   "tumour necrosis factor": "explained where first used",
                   "immune system": "words to know"}


@pytest.mark.parametrize(("text", "name", "expected"), [
    ("The Royal College of Obstetricians (RCOG) says so.", "RCOG", "short form in brackets"),
    ("UK guidelines (RCOG, 2023) say so.", "RCOG", "short form in brackets"),
    ("UK guidelines (RCOG, 2023) say so.", "UK", "commonly known"),
    ("The HFEA, which checks clinics, says so.", "HFEA", "explained where first used"),
    ("Ask your GP.", "GP", "commonly known"),
    ("The RCOG says not to use it, a fact you should know.", "RCOG", None),
])
def test_abbreviations(text: str, name: str, expected: str | None) -> None:
    _, abbreviations = scan([_unit(text)], (), TERMS, frozenset({"UK", "GP"}))
    assert {u.term: u.explained for u in abbreviations}[name] == expected


def test_words_in_capitals_are_shouting_not_abbreviations() -> None:
    _, abbreviations = scan([_unit("DO NOT STOP TAKING THEM.")], (), TERMS, frozenset())
    assert abbreviations == []
