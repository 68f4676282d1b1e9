"""Bad input through the real CLI: one clear message (with ``file:line:col`` where there is a
file), the documented exit code, no traceback, and no output file created or clobbered.

Every case runs in a small workspace (``tests/fixtures/demo.yaml`` as ``content/demo/en.yaml``)
whose ``output/demo.pdf`` already exists with known bytes: a failed run must leave it alone.
A few cases also run as a new ``python -m handouts`` process.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DemoWorkspace, Run, run_module, where

from handouts.errors import EXIT_CONTENT, EXIT_LAYOUT, EXIT_OUTPUT, EXIT_USAGE

pytestmark = pytest.mark.usefixtures("clean_env")

FILE = "content/demo/en.yaml"
KEEP = b"%PDF-1.4\n% an earlier copy that a failed run must not touch\n"

Setup = Callable[[DemoWorkspace], tuple[list[str], list[str]]]
CASES: dict[str, tuple[int, Setup]] = {}


def case(code: int) -> Callable[[Setup], Setup]:
    """Register a bad-input case: it edits the workspace, returns (args, expected messages)."""

    def register(setup: Setup) -> Setup:
        CASES[setup.__name__] = (code, setup)
        return setup

    return register


def at(ws: DemoWorkspace, needle: str, nth: int = 1) -> str:
    """``content/demo/en.yaml:LINE:COL`` of a piece of the (edited) content file."""
    line, column = where(ws.text, needle, nth)
    return f"{FILE}:{line}:{column}"


def problems(run: Run) -> list[str]:
    """The problem lines of a validation message (``error:`` prefix removed, summary dropped)."""
    lines = run.err.removeprefix("error: ").splitlines()
    return [line for line in lines if not line.endswith("nothing was written.")]


# ---------------------------------------------------------------- content: YAML itself


@case(EXIT_CONTENT)
def malformed_yaml(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace("audience: Adults with back pain", "audience: Adults: with back pain")
    return ["make", "demo"], [f"{at(ws, ': with')}: YAML syntax error: mapping values are "
                              "not allowed", "1 problem in content; nothing was written."]


@case(EXIT_CONTENT)
def tab_indentation(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace("  - Keep moving gently every day.", "\t- Keep moving gently every day.")
    return ["make", "demo"], [f"{at(ws, chr(9))}: YAML syntax error: "]


@case(EXIT_CONTENT)
def two_documents_in_one_file(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.content.write_text(ws.text + "---\ntitle: Another\n", encoding="utf-8")
    return ["make", "demo"], [f"{at(ws, '---')}: YAML syntax error"]


@case(EXIT_CONTENT)
def empty_content_file(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.content.write_text("", encoding="utf-8")
    return ["make", "demo"], [f"{FILE}:1:1: the file is empty"]


@case(EXIT_CONTENT)
def only_comments(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.content.write_text("# nothing here yet\n", encoding="utf-8")
    return ["make", "demo"], [f"{FILE}:1:1: the file is empty"]


@case(EXIT_CONTENT)
def list_instead_of_mapping(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.content.write_text("- title: A list is not a handout\n", encoding="utf-8")
    return ["make", "demo"], [f"{FILE}:1:1: expected a mapping"]


@case(EXIT_CONTENT)
def not_utf8(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.content.write_bytes(ws.original.replace("Test Clinic", "Cl\xednica").encode("latin-1"))
    return ["make", "demo"], [f"{FILE}:1:1: file is not UTF-8 text"]


@case(EXIT_CONTENT)
def yaml_alias(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace("keywords: [back pain, exercise]", "keywords: &kw [back pain, exercise]")
    ws.replace("when_to_get_help:\n  - Your legs feel weak or numb.", "when_to_get_help: *kw")
    return ["make", "demo"], ["YAML aliases (*name) are not allowed here; write it out"]


@case(EXIT_CONTENT)
def duplicate_key(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace("audience: Adults with back pain",
               "audience: Adults with back pain\naudience: Children")
    return ["make", "demo"], [f"{at(ws, 'audience', 2)}: 'audience' appears twice; keep one"]


# ---------------------------------------------------------------- content: the schema


@case(EXIT_CONTENT)
def unknown_key_with_suggestion(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace("keywords: [back pain, exercise]", "keywords: [back pain]\nkeyword: [spine]")
    return ["make", "demo"], [
        f"{at(ws, 'keyword:')}: unknown key 'keyword' (did you mean 'keywords'?)",
        "1 problem in content; nothing was written."]


@case(EXIT_CONTENT)
def misspelt_nested_key(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace("heading: What can I do at home?", "headin: What can I do at home?")
    return ["make", "demo"], [
        f"{at(ws, 'headin:')}: unknown key 'headin' (did you mean 'heading'?)",
        "missing required key 'heading'"]


@case(EXIT_CONTENT)
def wrong_type_number_for_text(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace('version: "2.1"', "version: 2.1")
    return ["make", "demo"], [f"{at(ws, '2.1')}: expected text, got a number (2.1); "
                              "put it in quotes"]


@case(EXIT_CONTENT)
def wrong_type_text_for_year(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace("year: 2020", "year: twenty twenty")
    return ["make", "demo"], [f"{at(ws, 'twenty')}: expected a whole number, got "
                              "'twenty twenty'"]


@case(EXIT_CONTENT)
def wrong_type_text_for_list(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace("authors: [Test Team]", "authors: Test Team")
    return ["make", "demo"], [f"{at(ws, 'Test Team')}: expected a list"]


@case(EXIT_CONTENT)
def missing_required_field(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace("disclaimer: General information only; ask your own doctor about your care.\n",
               "")
    return ["make", "demo"], [f"{FILE}:1:1: missing required key 'disclaimer'"]


@case(EXIT_CONTENT)
def value_left_empty(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace("audience: Adults with back pain", "audience:")
    line = where(ws.text, "audience:")[0]
    return ["make", "demo"], [f"{FILE}:{line}:", "a value is missing here"]


@case(EXIT_CONTENT)
def impossible_date(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace("reviewed: 2026-03-02", "reviewed: 2026-02-30")
    return ["make", "demo"], [f"{at(ws, '2026-02-30')}: '2026-02-30' is not a real date"]


@case(EXIT_CONTENT)
def date_in_another_format(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace("review_by: 2027-03-02", "review_by: 2/3/2027")
    return ["make", "demo"], [f"{at(ws, '2/3/2027')}: expected a date as YYYY-MM-DD, "
                              "got '2/3/2027'"]


@case(EXIT_CONTENT)
def review_by_before_reviewed(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace("review_by: 2027-03-02", "review_by: 2025-03-02")
    return ["make", "demo"], [f"{at(ws, '2025-03-02')}: 'review_by' (2025-03-02) must be "
                              "after 'reviewed' (2026-03-02)"]


@case(EXIT_CONTENT)
def too_few_key_points(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace("  - Ask for help if your legs go numb.\n", "")
    return ["make", "demo"], [f"{at(ws, '- Keep moving')}: 'key_points' needs at least 3 "
                              "items, has 2"]


@case(EXIT_CONTENT)
def too_many_key_points(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    extra = "".join(f"  - Extra point {n}.\n" for n in range(3))
    ws.replace("  - Ask for help if your legs go numb.\n",
               "  - Ask for help if your legs go numb.\n" + extra)
    return ["make", "demo"], [f"{at(ws, '- Keep moving')}: 'key_points' allows at most 5 "
                              "items, has 6"]


@case(EXIT_CONTENT)
def unknown_source_in_a_section(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace("sources: [S1, S2]", "sources: [S1, S7]")
    return ["make", "demo"], [f"{at(ws, 'S7')}: source 'S7' is not in the sources list"]


@case(EXIT_CONTENT)
def source_id_used_twice(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace("  - id: S2\n", "  - id: S1\n")
    ws.replace("sources: [S1, S2]", "sources: [S1]")
    return ["make", "demo"], [f"{at(ws, 'S1', 4)}: source id 'S1' is used twice"]


@case(EXIT_CONTENT)
def unknown_block_kind(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace("      - list:\n", "      - lst:\n")
    return ["make", "demo"], [f"{at(ws, 'lst')}: unknown block 'lst' (did you mean 'list'?)"]


@case(EXIT_CONTENT)
def bad_language_tag(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace("language: en", "language: English")
    return ["make", "demo"], [f"{at(ws, 'English')}: 'language' must be a language tag"]


@case(EXIT_CONTENT)
def bad_web_address(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace("url: https://www.nice.org.uk/guidance/ng59", "url: see the NICE website")
    return ["make", "demo"], [f"{at(ws, 'see the NICE')}: 'url' must be a web address"]


@case(EXIT_CONTENT)
def character_the_font_cannot_draw(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace("Keep moving gently every day.", "Keep moving gently every day \u2603.")
    return ["make", "demo"], [f"{at(ws, chr(0x2603))}: the character '\u2603' (U+2603 SNOWMAN)",
                              "gently every day \u2603", "cannot be drawn"]


@case(EXIT_CONTENT)
def emoji_in_the_title(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace("title: Looking after your back", "title: Looking after your back \U0001F600")
    return ["make", "demo"], ["(U+1F600 GRINNING FACE)", "cannot be drawn"]


@case(EXIT_CONTENT)
def bad_workspace_settings(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.write("handouts.yaml", "paper: b5\n")
    return ["make", "demo"], ["handouts.yaml:1:8: 'b5' is not one of: letter, a4",
                              "in handouts.yaml"]


# ---------------------------------------------------------------- usage


@case(EXIT_USAGE)
def unknown_slug_suggests_nearest(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    return ["make", "dem"], ["no handout named 'dem'", "hint: did you mean 'demo'?"]


@case(EXIT_USAGE)
def unknown_builtin_slug_suggests_nearest(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    return ["make", "nk-cell"], ["no handout named 'nk-cell'", "did you mean 'nk-cells'?"]


@case(EXIT_USAGE)
def slug_escaping_the_workspace(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    return ["make", "../etc"], ["'../etc' is not a valid handout name"]


@case(EXIT_USAGE)
def absolute_path_as_slug(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    return ["make", "/etc/passwd"], ["'/etc/passwd' is not a valid handout name"]


@case(EXIT_USAGE)
def unknown_layout(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    return ["make", "demo", "--layout", "fancy"], ["no layout named 'fancy'",
                                                   "handouts layouts"]


@case(EXIT_USAGE)
def misspelt_layout_suggests_nearest(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    return ["make", "demo", "--layout", "standrad"], ["no layout named 'standrad'",
                                                      "did you mean 'standard'?"]


@case(EXIT_USAGE)
def layout_name_escaping_the_workspace(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    return ["make", "demo", "--layout", "../layouts/standard"], ["not a valid layout name"]


@case(EXIT_USAGE)
def unknown_paper(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    return ["make", "demo", "--paper", "b5"], ["Invalid value for '--paper'", "'b5'"]


@case(EXIT_USAGE)
def unknown_language(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    return ["make", "demo", "--lang", "fr"], ["handout 'demo' has no 'fr' edition",
                                              "editions: en"]


@case(EXIT_USAGE)
def output_file_with_two_handouts(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    (ws.root / "both.pdf").write_bytes(KEEP)
    return ["make", "demo", "nk-cells", "-o", "both.pdf"], ["-o/--output names one file"]


@case(EXIT_USAGE)
def no_handout_named(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    return ["make"], ["which handout?", "handouts list"]


@case(EXIT_USAGE)
def names_and_all_together(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    return ["make", "--all", "demo"], ["give handout names or --all, not both"]


@case(EXIT_USAGE)
def missing_workspace_folder(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    return ["--root", "no-such-folder", "make", "demo"], [
        "workspace folder 'no-such-folder' does not exist"]


# ---------------------------------------------------------------- layouts


def _layout(ws: DemoWorkspace, name: str, template: str, extra: str = "") -> None:
    ws.write(f"layouts/{name}/layout.yaml",
             f"extends: standard\ndescription: test layout\n{extra}")
    ws.write(f"layouts/{name}/handout.xml.j2", template)


@case(EXIT_LAYOUT)
def template_syntax_error(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    _layout(ws, "broken", "<handout>\n<h level=\"1\">{{ handout.title }}</h>\n"
                          "{% if handout.subtitle %}\n<p>{{ handout.subtitle }</p>\n</handout>\n")
    return ["make", "demo", "--layout", "broken"], [
        "layouts/broken/handout.xml.j2:4: template syntax error"]


@case(EXIT_LAYOUT)
def template_uses_an_undefined_name(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    _layout(ws, "undefined", "<handout>\n<p>{{ handout.title }}</p>\n"
                             "<p>{{ handout.no_such_field }}</p>\n</handout>\n")
    return ["make", "demo", "--layout", "undefined"], [
        "layouts/undefined/handout.xml.j2:3: template error:", "no_such_field"]


@case(EXIT_LAYOUT)
def broken_partial_is_named(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.write("layouts/mine/layout.yaml", "extends: standard\ndescription: own questions\n")
    ws.write("layouts/mine/partials/questions.xml.j2",
             "<h level=\"2\">{{ labels.questions }}</h>\n{{ nothing_here.at_all }}\n")
    return ["make", "demo", "--layout", "mine"], [
        "layouts/mine/partials/questions.xml.j2:2: template error:", "nothing_here"]


@case(EXIT_LAYOUT)
def template_writes_broken_block_markup(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    _layout(ws, "unclosed", "<handout>\n<h level=\"1\">{{ handout.title }}</h>\n"
                            "<p>{{ handout.subtitle }}\n</handout>\n")
    return ["make", "demo", "--layout", "unclosed"], [
        "template 'handout.xml.j2' produced broken block markup at output line",
        "mismatched tag"]


@case(EXIT_LAYOUT)
def template_writes_an_unknown_block(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    _layout(ws, "unknown-block", "<handout>\n<marquee>{{ handout.title }}</marquee>\n"
                                 "</handout>\n")
    return ["make", "demo", "--layout", "unknown-block"], ["unknown block <marquee>"]


@case(EXIT_LAYOUT)
def broken_layout_yaml(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.write("layouts/bad/layout.yaml", "extends: standard\ndescription: x\ncolumns: two\n"
                                        "colours: {accent: blue}\n")
    return ["make", "demo", "--layout", "bad"], [
        "layouts/bad/layout.yaml:3:10: expected a whole number, got 'two'",
        "in layout 'bad'"]


@case(EXIT_LAYOUT)
def layout_extends_itself(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.write("layouts/loop/layout.yaml", "extends: loop\ndescription: x\n")
    return ["make", "demo", "--layout", "loop"], ["layout 'loop'", "loops back"]


@case(EXIT_LAYOUT)
def layout_font_file_missing(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.write("layouts/nofont/layout.yaml",
             "extends: standard\ndescription: x\nfonts:\n  sans: {regular: Missing.ttf, "
             "bold: Missing.ttf, italic: Missing.ttf, bold_italic: Missing.ttf}\n")
    return ["make", "demo", "--layout", "nofont"], [
        "layout 'nofont': font file 'Missing.ttf' not found"]


@case(EXIT_LAYOUT)
def layout_font_file_is_not_a_font(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.write("layouts/badfont/Broken.ttf", "this is not a TrueType font\n")
    ws.write("layouts/badfont/layout.yaml",
             "extends: standard\ndescription: x\nfonts:\n  sans: {regular: Broken.ttf, "
             "bold: Broken.ttf, italic: Broken.ttf, bold_italic: Broken.ttf}\n")
    return ["make", "demo", "--layout", "badfont"], ["Broken.ttf"]


@case(EXIT_LAYOUT)
def layout_margins_leave_no_room(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.write("layouts/narrow/layout.yaml",
             "extends: standard\ndescription: x\n"
             "margins: {top: 1in, bottom: 1in, left: 4.5in, right: 4.5in}\n")
    return ["make", "demo", "--layout", "narrow"], ["narrow"]


@case(EXIT_LAYOUT)
def block_taller_than_a_page(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    ws.replace("callout: Do not stay in bed all day.",
               "callout: " + " ".join(["Do not stay in bed all day."] * 300))
    return ["make", "demo"], ["cannot place a block on the page",
                              "hint: shorten that part of the content"]


@case(EXIT_USAGE)
def language_escaping_the_workspace(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    outside = ws.root.parent / "outside.yaml"
    outside.write_text(ws.original.replace("Looking after your back", "Not from content/"),
                       encoding="utf-8")
    return ["make", "demo", "--lang", "../../../outside"], ["../../../outside"]


# Cases that currently fail because of a bug in src/ (reported; see each reason).
KNOWN_BUGS: dict[str, str] = {}  # case name -> "bug: ..." while a case is known to fail


# ---------------------------------------------------------------- output


@case(EXIT_OUTPUT)
def output_folder_under_a_file(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    (ws.root / "blocker").write_text("a file, not a folder\n", encoding="utf-8")
    return ["make", "demo", "--out-dir", "blocker/sub"], [
        "cannot create output folder 'blocker/sub'"]


@case(EXIT_OUTPUT)
def output_file_is_the_content_file(ws: DemoWorkspace) -> tuple[list[str], list[str]]:
    return ["make", "demo", "-o", "content/demo/en.yaml"], ["inside the workspace's sources"]


# ---------------------------------------------------------------- the checks


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file under the workspace except the content and layouts we wrote on purpose."""
    return {str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(root.rglob("*"))
            if p.parts[len(root.parts)] not in ("content", "layouts")}


def prepare(ws: DemoWorkspace, name: str) -> tuple[int, list[str], list[str],
                                                   dict[str, bytes | None]]:
    code, setup = CASES[name]
    ws.output.mkdir()
    ws.pdf.write_bytes(KEEP)
    (ws.output / "nk-cells.pdf").write_bytes(KEEP)
    args, expected = setup(ws)
    return code, args, expected, snapshot(ws.root)


def check(run: Run, ws: DemoWorkspace, code: int, expected: list[str],
          before: dict[str, bytes | None]) -> None:
    assert run.code == code, run.err
    assert run.err.startswith(("error: ", "Usage: ")), run.err
    for text in expected:
        assert text in run.err, f"{text!r} not in:\n{run.err}"
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    assert run.out == "", "nothing is reported as made"
    assert snapshot(ws.root) == before, "a failed run must not create or change any file"


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN_BUGS[name], strict=True))
    if name in KNOWN_BUGS else name for name in sorted(CASES)])
def test_bad_input_is_one_clear_message_and_nothing_is_written(
        name: str, cli: Callable[..., Run], demo_ws: DemoWorkspace) -> None:
    code, args, expected, before = prepare(demo_ws, name)
    check(cli(*args, cwd=demo_ws.root), demo_ws, code, expected, before)


@pytest.mark.parametrize("name", ["malformed_yaml", "unknown_key_with_suggestion",
                                  "unknown_slug_suggests_nearest", "template_syntax_error",
                                  "character_the_font_cannot_draw",
                                  "output_folder_under_a_file", "unknown_paper"])
def test_bad_input_in_a_new_process_has_no_traceback(name: str,
                                                     demo_ws: DemoWorkspace) -> None:
    code, args, expected, before = prepare(demo_ws, name)
    check(run_module(*args, cwd=demo_ws.root), demo_ws, code, expected, before)


def test_there_are_at_least_fifteen_bad_input_cases() -> None:
    assert len(set(CASES) - set(KNOWN_BUGS)) >= 15
    assert set(KNOWN_BUGS) <= set(CASES)


def test_all_problems_of_a_file_are_reported_at_once(cli: Callable[..., Run],
                                                      demo_ws: DemoWorkspace) -> None:
    demo_ws.replace('version: "2.1"', "version: 2.1")
    demo_ws.replace("reviewed: 2026-03-02", "reviewed: 2026-02-30")
    demo_ws.replace("keywords: [back pain, exercise]", "keywords: [back pain]\ncolour: blue")
    run = cli("make", "demo", cwd=demo_ws.root)
    assert run.code == EXIT_CONTENT
    ws = demo_ws
    assert problems(run) == [
        f"{at(ws, '2.1')}: expected text, got a number (2.1); put it in quotes",
        f"{at(ws, '2026-02-30')}: '2026-02-30' is not a real date",
        f"{at(ws, 'colour')}: unknown key 'colour'",
    ]
    assert run.err.rstrip().endswith("3 problems in content; nothing was written.")
    assert not demo_ws.output.exists()


def test_rules_across_fields_are_checked_in_the_same_run(cli: Callable[..., Run],
                                                        demo_ws: DemoWorkspace) -> None:
    demo_ws.replace("review_by: 2027-03-02", "review_by: 2025-01-01")
    demo_ws.replace("keywords: [back pain, exercise]", "keywords: [back pain]\ncolour: blue")
    run = cli("make", "demo", cwd=demo_ws.root)
    assert run.code == EXIT_CONTENT
    assert problems(run) == [
        f"{at(demo_ws, '2025-01-01')}: 'review_by' (2025-01-01) must be after 'reviewed' "
        "(2026-03-02)",
        f"{at(demo_ws, 'colour')}: unknown key 'colour'",
    ]


def test_problems_in_nested_records_are_all_reported(cli: Callable[..., Run],
                                                      demo_ws: DemoWorkspace) -> None:
    demo_ws.replace("year: 2020", "year: 1066")
    demo_ws.replace("    meaning: A stretched or torn muscle.\n", "")
    demo_ws.replace("sources: [S1]", "sources: [S3]")
    run = cli("make", "demo", cwd=demo_ws.root)
    assert run.code == EXIT_CONTENT
    ws = demo_ws
    found = problems(run)
    assert f"{at(ws, '1066')}: 'year' must be between 1900 and 2100, got 1066" in found
    assert f"{at(ws, 'term: Strain')}: missing required key 'meaning'" in found
    assert len(found) == 2, "a record already invalid is not cross-checked (no 3rd problem)"


def test_alias_problem_points_at_the_alias_or_its_anchor(cli: Callable[..., Run],
                                                         demo_ws: DemoWorkspace) -> None:
    CASES["yaml_alias"][1](demo_ws)
    run = cli("make", "demo", cwd=demo_ws.root)
    assert run.code == EXIT_CONTENT
    line = problems(run)[0].split(": ")[0]
    assert line in (at(demo_ws, "*kw"), at(demo_ws, "&kw"))


def test_alias_problem_points_at_the_alias(cli: Callable[..., Run],
                                           demo_ws: DemoWorkspace) -> None:
    CASES["yaml_alias"][1](demo_ws)
    run = cli("make", "demo", cwd=demo_ws.root)
    alias_line = where(demo_ws.text, "*kw")[0]
    assert problems(run)[0].startswith(f"{FILE}:{alias_line}:")


def test_a_key_that_is_not_text_is_an_error(cli: Callable[..., Run],
                                            demo_ws: DemoWorkspace) -> None:
    demo_ws.content.write_text(demo_ws.text + "? [colour, size]\n: blue\n", encoding="utf-8")
    run = cli("make", "demo", cwd=demo_ws.root)
    assert run.code == EXIT_CONTENT, "an unknown (non-text) key must not vanish silently"
    assert f"{FILE}:{where(demo_ws.text, '[colour')[0]}:" in run.err
    assert not demo_ws.pdf.exists()


def test_unwritable_output_folder(cli: Callable[..., Run], demo_ws: DemoWorkspace) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: folder permissions do not stop writes "
                    "(the 'output_folder_under_a_file' case covers unwritable output)")
    locked = demo_ws.root / "locked"
    locked.mkdir()
    (locked / "demo.pdf").write_bytes(KEEP)
    locked.chmod(0o500)
    try:
        run = cli("make", "demo", "--out-dir", "locked", cwd=demo_ws.root)
        assert run.code == EXIT_OUTPUT
        assert "cannot write" in run.err and "Traceback" not in run.err
        assert (locked / "demo.pdf").read_bytes() == KEEP
        assert [p.name for p in locked.iterdir()] == ["demo.pdf"]
    finally:
        locked.chmod(0o700)


def test_debug_shows_the_traceback_of_a_user_error(demo_ws: DemoWorkspace) -> None:
    run = run_module("--debug", "make", "dem", cwd=demo_ws.root)
    assert run.code == EXIT_USAGE
    assert "Traceback" in run.err and "no handout named 'dem'" in run.err


def test_output_to_a_special_file_does_not_replace_it(demo_ws: DemoWorkspace) -> None:
    import stat

    fifo = demo_ws.root / "pipe.pdf"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # so writing into it cannot block
    try:
        run = run_module("make", "demo", "-o", fifo, cwd=demo_ws.root, timeout=30)
    finally:
        os.close(reader)
    assert "Traceback" not in run.err
    assert run.code in (0, EXIT_OUTPUT), run.err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a regular file"
