"""Issue 9 §1: YAML never eats the author's words; the message shows the line and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DemoWorkspace, flat, pdf_text, where
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from handouts.errors import ValidationFailed

PARAGRAPH = "      - p: Most back pain comes from strained muscles."


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


@pytest.mark.parametrize(("text", "fix"), [
    ("*Most* back pain comes from muscles.", '\'- p: "*Most* back pain comes from muscles."\''),
    ("**Most** back pain comes from muscles.",
     '\'- p: "**Most** back pain comes from muscles."\''),
    ("[Back pain](https://www.nhs.uk) comes from muscles.",
     '\'- p: "[Back pain](https://www.nhs.uk) comes from muscles."\''),
    ("Note: most back pain comes from muscles.",
     '\'- p: "Note: most back pain comes from muscles."\''),
    ("Take 2 # 3 times a day.", '\'- p: "Take 2 # 3 times a day."\''),
    ("Take 2 #3 times a day.", '\'- p: "Take 2 #3 times a day."\''),
    ("&amp more words.", '\'- p: "&amp more words."\''),
    ("!Important: see a doctor.", '\'- p: "!Important: see a doctor."\''),
])
def test_text_yaml_would_misread_is_refused_with_the_quoted_line(
        cli, demo_ws: DemoWorkspace, text: str, fix: str) -> None:
    demo_ws.replace(PARAGRAPH, f"      - p: {text}")
    line, _ = where(demo_ws.text, text)
    before = _snapshot(demo_ws.root)
    run = cli("make", "demo", cwd=demo_ws.root)
    assert run.code == 1, run.out
    assert f"content/demo/en.yaml:{line}:" in run.err
    assert f"put the text in quotes, {fix}" in run.err and "- p: >" in run.err
    assert "nothing was written" in run.err
    assert _snapshot(demo_ws.root) == before


def test_a_comment_after_two_spaces_is_a_comment(cli, demo_ws: DemoWorkspace) -> None:
    demo_ws.replace(PARAGRAPH, PARAGRAPH + "  # from the 2024 review")
    run = cli("make", "demo", cwd=demo_ws.root)
    assert run.code == 0, run.err
    assert "strained muscles." in pdf_text(demo_ws.pdf)


def test_a_block_scalar_keeps_every_word(cli, demo_ws: DemoWorkspace) -> None:
    demo_ws.replace(PARAGRAPH, "      - p: >\n          *Most* back pain: from muscles # 2,\n"
                               "          [see](https://www.nhs.uk).")
    run = cli("make", "demo", cwd=demo_ws.root)
    assert run.code == 0, run.err
    assert "Most back pain: from muscles # 2, see (www.nhs.uk)." in pdf_text(demo_ws.pdf)


def test_language_must_match_the_file_name(cli, demo_ws: DemoWorkspace) -> None:
    demo_ws.replace("language: en", "language: fr")
    line, column = where(demo_ws.text, "fr")
    run = cli("make", "demo", cwd=demo_ws.root)
    assert run.code == 1
    assert (f"content/demo/en.yaml:{line}:{column}: language 'fr' does not match the file "
            "name en.yaml") in run.err
    assert "make it 'language: en'" in run.err
    assert not demo_ws.output.exists()
    checked = cli("check", "demo", cwd=demo_ws.root)
    assert checked.code == 1 and "does not match the file name" in checked.out


def test_an_unquoted_colour_is_reported_not_dropped(cli, demo_ws: DemoWorkspace) -> None:
    demo_ws.write("clinics/mine.yaml", "name: Mine\ncolour: #7a1440\n")
    run = cli("make", "demo", "--clinic", "mine", cwd=demo_ws.root)
    assert run.code == 1
    assert ("clinics/mine.yaml:2:8: '#7a1440' is read by YAML as a comment, so this has no "
            'value; put it in quotes: "#7a1440"') in run.err
    assert not demo_ws.output.exists()


@pytest.mark.parametrize("character", ["\u202e", "\u2066", "\u202a"])
def test_bidi_override_characters_are_refused_in_content(cli, demo_ws: DemoWorkspace,
                                                         character: str) -> None:
    demo_ws.replace("strained muscles.", f"strained {character}muscles.")
    line, column = where(demo_ws.text, character)
    run = cli("make", "demo", cwd=demo_ws.root)
    assert run.code == 1
    assert f"content/demo/en.yaml:{line}:{column}:" in run.err
    assert f"bidirectional control character (U+{ord(character):04X})" in run.err
    assert not demo_ws.output.exists()


_PROSE = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789")
    + list("*[]()#:&!\"'>|{}@%-?,.;/<=+_`~")
    + list("áéñüßøœ€—–αβΩЖд"))  # noqa: RUF001 (letters on purpose)
_TEXTS = st.lists(st.text(_PROSE, min_size=1, max_size=8), min_size=1, max_size=12).map(" ".join)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=_TEXTS)
@example(text="{0,?0")  # a flow mapping left open: the error is a line later (found by Hypothesis)
def test_random_prose_typed_into_yaml_is_kept_whole_or_refused_with_what_to_quote(
        text: str, tmp_path: Path) -> None:
    """Property: text typed after 'p:' loads as exactly that text, or the error says to quote."""
    from handouts.content.model import load_handout

    source = (Path(__file__).parent / "fixtures" / "demo.yaml").read_text(encoding="utf-8")
    path = tmp_path / "en.yaml"
    path.write_text(source.replace(PARAGRAPH, f"      - p: {text}"), encoding="utf-8")
    try:
        handout = load_handout(path, "demo")
    except ValidationFailed as exc:
        message = str(exc)
        refused_link = "link '" in message or "a link needs an address" in message
        assert "quotes" in message or "YAML aliases" in message or refused_link, message
        return
    (block,) = [b for b in handout.sections[0].body if b.kind == "p"]
    if text[0] in "'\"" and text.endswith(text[0]) and len(text) > 1:
        return  # the whole text in quotes: the safe form, YAML takes the quotes off
    assert flat(block.text) == flat(text)
