"""`handouts check`: each check passes good content and fails bad content, with exact messages.

Fixtures: tests/fixtures/check/content/<slug>/en.yaml, one handout per way of failing, and
``good`` which passes everything. The clock is fixed with --today.
"""

from __future__ import annotations

import datetime
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from handouts.check.runner import run
from handouts.check.sources import _url_problem
from handouts.workspace.finder import Workspace

FIX = Path(__file__).resolve().parent / "fixtures" / "check"
TODAY = "2026-06-01"


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    def lines(self, check: str) -> list[str]:
        """The lines of one check in a text report: its own line, findings and hint."""
        found, inside = [], False
        for line in self.out.splitlines():
            if not line.startswith("  "):
                inside = False
            elif not line.startswith("        "):
                inside = line.split()[1] == check
            if inside:
                found.append(line.strip())
        return found


@pytest.fixture
def handouts(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
             ) -> Callable[..., Result]:
    """Run the CLI in this process with the fixture workspace: ``handouts("check", "good")``."""
    from handouts.cli import main

    monkeypatch.delenv("HANDOUTS_ROOT", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)

    def call(*args: str, root: Path = FIX) -> Result:
        monkeypatch.chdir(root)
        capsys.readouterr()
        try:
            main(["--root", str(root), *args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return call


@pytest.fixture
def variant(tmp_path: Path) -> Callable[..., Path]:
    """A workspace holding a copy of a fixture handout with some text replaced."""

    def make(slug: str, *replacements: tuple[str, str], lang: str = "en") -> Path:
        text = (FIX / "content" / slug / "en.yaml").read_text("utf-8")
        for old, new in replacements:
            assert old in text, old
            text = text.replace(old, new)
        folder = tmp_path / "content" / slug
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{lang}.yaml").write_text(text, "utf-8")
        return tmp_path

    return make


# --- good content ------------------------------------------------------------------------


def test_good_handout_passes_every_check(handouts: Callable[..., Result]) -> None:
    result = handouts("check", "good", "--today", TODAY)
    assert result.code == 0, result.out
    assert result.out.splitlines()[0] == "good (en)  content/good/en.yaml  PASS"
    statuses = [line.split()[:2] for line in result.out.splitlines()[1:9]]
    assert statuses == [["PASS", "schema"], ["PASS", "reading-level"], ["PASS", "jargon"],
                        ["PASS", "review-dates"], ["PASS", "sources"], ["PASS", "layout-fit"],
                        ["PASS", "structure"], ["PASS", "translation"]]
    assert result.lines("layout-fit") == [
        "PASS  layout-fit     standard letter: 1/2 pages, body 12 pt; standard a4: 1/2 pages, "
        "body 12 pt"]
    assert result.out.endswith("\n1 handout checked: 1 passed.\n")
    assert "hard sentence" not in result.out  # notes of passing checks need --verbose


def test_verbose_lists_the_hardest_sentences_even_when_passing(
        handouts: Callable[..., Result]) -> None:
    result = handouts("check", "good", "--today", TODAY, "--verbose")
    assert result.code == 0
    assert ('content/good/en.yaml:26:12: note: hard sentence, FK grade 9.6, 10 words; '
            'long words: Organization, WHO: "The World Health Organization (WHO) says clean '
            'hands save lives."') in result.lines("reading-level")


# --- schema ------------------------------------------------------------------------------


def test_schema_failure_lists_every_problem_and_skips_the_other_checks(
        handouts: Callable[..., Result]) -> None:
    result = handouts("check", "schema-bad", "--today", TODAY)
    assert result.code == 1
    assert result.lines("schema") == [
        "FAIL  schema         3 problems",
        "content/schema-bad/en.yaml:2:1: unknown key 'titel' (did you mean 'title'?)",
        "content/schema-bad/en.yaml:2:1: missing required key 'title'",
        "content/schema-bad/en.yaml:2:1: missing required key 'disclaimer'",
        "hint: fix each problem at the file:line:column shown; 'handouts schema' lists every "
        "field",
    ]
    for name in ("reading-level", "jargon", "review-dates", "sources", "layout-fit",
                 "structure"):
        assert result.lines(name) == [f"SKIP  {name:<13}  skipped: fix the schema first"]


# --- reading level -----------------------------------------------------------------------


def test_hard_text_fails_the_reading_level_and_names_the_hardest_sentences(
        handouts: Callable[..., Result]) -> None:
    result = handouts("check", "hard-reading", "--today", TODAY)
    assert result.code == 1
    lines = result.lines("reading-level")
    assert lines[0] == ("FAIL  reading-level  FK grade 23.3 (max 8, aim 6), SMOG 17.3 (max 10); "
                        "10.1 words per sentence, 61% words of 3+ syllables, 71 words")
    assert len([line for line in lines if "hard sentence" in line]) == 5
    assert lines[1].startswith(
        "content/hard-reading/en.yaml:18:12: note: hard sentence, FK grade 33.7, 14 words; "
        "long words: Notwithstanding, modifications, communication,")
    assert lines[1].endswith('"Notwithstanding these modifications, communication regarding '
                             'availability will continue, particularly concerning '
                             'unanticipated difficulties affecting scheduling."')
    assert lines[-1].startswith("hint: shorten the sentences listed")
    for name in ("schema", "jargon", "review-dates", "sources", "layout-fit", "structure"):
        assert result.lines(name)[0].startswith("PASS")


@pytest.mark.parametrize(("limits", "status", "code", "strict_code"), [
    ("fk_max: 8\n  smog_max: 10\n  fk_warn: 6", "PASS", 0, 0),
    ("fk_max: 8\n  smog_max: 10\n  fk_warn: 1", "WARN", 0, 1),  # FK 1.2 > 1
    ("fk_max: 1\n  smog_max: 10\n  fk_warn: 1", "FAIL", 1, 1),
    ("fk_max: 8\n  smog_max: 5\n  fk_warn: 6", "FAIL", 1, 1),  # SMOG 5.4 > 5
])
def test_reading_level_limits_come_from_the_content(
        handouts: Callable[..., Result], variant: Callable[..., Path], limits: str, status: str,
        code: int, strict_code: int) -> None:
    root = variant("good", ("fk_max: 8\n  smog_max: 10\n  fk_warn: 6", limits))
    result = handouts("check", "good", "--today", TODAY, root=root)
    assert result.lines("reading-level")[0].split()[0] == status
    assert result.code == code
    assert handouts("check", "good", "--today", TODAY, "--strict", root=root).code == strict_code


def test_reading_level_default_limits(variant: Callable[..., Path]) -> None:
    root = variant("good", ("reading_level:\n  fk_max: 8\n  smog_max: 10\n  fk_warn: 6\n", ""))
    report = run(Workspace.discover(root=root), ["good"], today=_date(TODAY))
    assert report.handouts[0].check("reading-level").limits == {
        "fk_max": 8.0, "smog_max": 10.0, "fk_warn": 6.0}


# --- jargon ------------------------------------------------------------------------------


def test_unexplained_medical_word_fails_and_unexplained_abbreviation_warns(
        handouts: Callable[..., Result]) -> None:
    result = handouts("check", "jargon-bad", "--today", TODAY)
    assert result.code == 1
    assert result.lines("jargon")[:3] == [
        "FAIL  jargon         4 medical words, 1 unexplained; 2 abbreviations, 1 unexplained",
        "content/jargon-bad/en.yaml:12:5: medical word 'endometrium' (key point) is not in "
        "'words to know' and not explained where first used",
        "content/jargon-bad/en.yaml:19:12: warn: abbreviation 'RCOG' (paragraph) is not "
        "spelled out or explained where first used",
    ]


def test_a_glossary_entry_explains_a_medical_word(
        handouts: Callable[..., Result], variant: Callable[..., Path]) -> None:
    root = variant("jargon-bad", (
        "questions:", "glossary:\n  - term: Endometrium\n    meaning: The lining of the womb."
                      "\nquestions:"))
    result = handouts("check", "jargon-bad", "--today", TODAY, root=root)
    assert result.lines("jargon")[0] == ("WARN  jargon         4 medical words, 0 unexplained; "
                                         "2 abbreviations, 1 unexplained")
    assert result.code == 0
    assert handouts("check", "jargon-bad", "--today", TODAY, "--strict", root=root).code == 1


# --- review dates ------------------------------------------------------------------------


@pytest.mark.parametrize(("today", "lines"), [
    ("2026-06-01", ["PASS  review-dates   reviewed 2026-01-15, next review by 2027-01-15 "
                    "(228 days left)"]),
    ("2026-11-16", ["WARN  review-dates   reviewed 2026-01-15, next review by 2027-01-15 "
                    "(60 days left)",
                    "content/good/en.yaml:7:12: review is due on 2027-01-15, in 60 days"]),
    ("2026-11-15", ["PASS  review-dates   reviewed 2026-01-15, next review by 2027-01-15 "
                    "(61 days left)"]),
    ("2027-01-16", ["FAIL  review-dates   review overdue since 2027-01-15 (1 day)",
                    "content/good/en.yaml:7:12: review was due on 2027-01-15, 1 day ago: this "
                    "content must be reviewed before it is given out"]),
    ("2026-01-14", ["FAIL  review-dates   reviewed 2026-01-15, next review by 2027-01-15 "
                    "(366 days left); 'reviewed' 2026-01-15 is after today",
                    "content/good/en.yaml:6:11: 'reviewed' (2026-01-15) is in the future "
                    "(today is 2026-01-14)"]),
])
def test_review_dates_against_an_injected_today(
        handouts: Callable[..., Result], today: str, lines: list[str]) -> None:
    result = handouts("check", "good", "--today", today)
    assert [line for line in result.lines("review-dates")
            if not line.startswith("hint:")] == lines
    assert result.code == (1 if lines[0].startswith("FAIL") else 0)


# --- sources -----------------------------------------------------------------------------


def test_sources_unresolved_citation_future_year_uncited_section_and_http(
        handouts: Callable[..., Result]) -> None:
    result = handouts("check", "sources-bad", "--today", TODAY)
    assert result.code == 1
    assert result.lines("sources")[:6] == [
        "FAIL  sources        2 sources, 1 cited; 1 section without a source",
        "content/sources-bad/en.yaml:27:83: warn: source 'S1' web address "
        "'http://example.org/eat' uses http://, not https://",
        "content/sources-bad/en.yaml:28:80: source 'S2' is dated 2099, in the future",
        "content/sources-bad/en.yaml:12:5: citation [S9] (key point) is not in the sources list",
        "content/sources-bad/en.yaml:19:14: warn: section 'What about salt?' cites no source: "
        "add 'sources: [S1]' so every claim can be traced",
        "content/sources-bad/en.yaml:28:10: note: source 'S2' is listed but no section cites it",
    ]


@pytest.mark.parametrize(("url", "problem"), [
    ("https://example.org/page", None),
    ("example.org", None),  # fine in print; the schema allows it
    ("http://example.org", ("warn", "uses http://, not https://")),
    ("https://exa mple.org", ("fail", "contains a space")),
    ("ftp://example.org", ("fail", "is not a web address such as https://example.org/page")),
    ("https://localhost/x", ("fail", "is not a web address such as https://example.org/page")),
])
def test_url_problems(url: str, problem: tuple[str, str] | None) -> None:
    assert _url_problem(url) == problem


# --- layout fit --------------------------------------------------------------------------


def test_too_long_for_the_page_budget_fails_on_each_paper(
        handouts: Callable[..., Result]) -> None:
    result = handouts("check", "too-long", "--today", TODAY)
    assert result.code == 1
    assert result.lines("layout-fit") == [
        "FAIL  layout-fit     standard letter: 4/2 pages, body 12 pt; standard a4: 3/2 pages, "
        "body 12 pt",
        "content/too-long/en.yaml:1:1: layout 'standard' on letter: 4 pages, the layout "
        "allows 2",
        "content/too-long/en.yaml:1:1: layout 'standard' on A4: 3 pages, the layout allows 2",
        "hint: shorten the text (fewer or shorter sections, paragraphs and lists) until it "
        "fits the page budget",
    ]


def test_a_character_the_fonts_cannot_draw_fails_at_its_line(
        handouts: Callable[..., Result]) -> None:
    result = handouts("check", "missing-glyph", "--today", TODAY)
    assert result.code == 1
    lines = result.lines("layout-fit")
    assert lines[0] == ("FAIL  layout-fit     standard letter: not rendered; "
                        "standard a4: not rendered")
    assert lines[1].startswith("content/missing-glyph/en.yaml:12:5: layout 'standard' on "
                               "letter: the character '漢' (U+6F22")
    assert lines[2].startswith("content/missing-glyph/en.yaml:12:5: layout 'standard' on A4: ")
    assert lines[3] == "hint: replace the character, or use a layout whose fonts can draw it"


def test_layout_fit_measures_pages_and_type_sizes_in_the_pdf(
        handouts: Callable[..., Result]) -> None:
    data = json.loads(handouts("check", "good", "--today", TODAY, "--format", "json").out)
    fit = next(c for c in data["handouts"][0]["checks"] if c["name"] == "layout-fit")
    assert fit["limits"] == {"body_font_size_min": {"standard": 12.0}}
    assert fit["measured"]["renders"] == [
        {"layout": "standard", "paper": "letter", "pages": 1, "page_budget": 2,
         "body_font_size": 12.0, "smallest_font_size": 9.0},
        {"layout": "standard", "paper": "a4", "pages": 1, "page_budget": 2,
         "body_font_size": 12.0, "smallest_font_size": 9.0},
    ]


def test_body_text_under_the_layouts_own_minimum_fails(
        variant: Callable[..., Path], handouts: Callable[..., Result]) -> None:
    """Each layout promises its own body size (tri-fold 11 pt, large print 18): check holds a
    handout to the minimum of the layout it is rendered on."""
    root = variant("good")
    strict = root / "layouts" / "strict"
    strict.mkdir(parents=True)
    (strict / "layout.yaml").write_text("extends: standard\nmin_body_size: 13\n", "utf-8")
    result = handouts("check", "good", "--layout", "strict", "--layout", "trifold",
                      "--today", TODAY, "--format", "json", root=root)
    fit = next(c for c in json.loads(result.out)["handouts"][0]["checks"]
               if c["name"] == "layout-fit")
    assert result.code == 1 and fit["status"] == "fail"
    assert fit["limits"] == {"body_font_size_min": {"strict": 13.0, "trifold": 11.0}}
    assert [f["message"] for f in fit["findings"]] == [
        f"layout 'strict' on {paper}: body text is 12 pt, below the layout's minimum of 13 pt"
        for paper in ("letter", "A4")]


def test_unknown_layout_is_a_usage_error(handouts: Callable[..., Result]) -> None:
    result = handouts("check", "good", "--layout", "nope", "--today", TODAY)
    assert result.code == 2
    assert "no layout named 'nope'" in result.err


# --- structure ---------------------------------------------------------------------------


def test_structure_long_heading_long_paragraph_capitals_and_missing_help(
        handouts: Callable[..., Result]) -> None:
    result = handouts("check", "structure-bad", "--today", TODAY)
    assert result.code == 1
    assert result.lines("structure") == [
        "FAIL  structure      3 key points, 2 sections, longest heading 10 words, longest "
        "paragraph 64 words, 1 question",
        'content/structure-bad/en.yaml:15:14: heading has 10 words (max 8): "What should you '
        'do if you forget to take them?"',
        'content/structure-bad/en.yaml:19:14: warn: heading is not a question: "Side effects"',
        "content/structure-bad/en.yaml:18:12: paragraph has 64 words (max 60); split it",
        'content/structure-bad/en.yaml:12:5: key point is written in capitals: "DO NOT STOP '
        'TAKING THEM."',
        "content/structure-bad/en.yaml:3:1: warn: no 'when_to_get_help': tell readers when to "
        "call a doctor",
        "hint: keep 3 to 5 key points; make headings short plain questions; split long "
        "paragraphs and lists; write in sentence case, never in capitals",
    ]
    assert result.lines("jargon")[0].startswith("PASS")  # capitals are not abbreviations


# --- the report --------------------------------------------------------------------------


def test_json_report_shape(handouts: Callable[..., Result]) -> None:
    result = handouts("check", "good", "sources-bad", "--today", TODAY, "--format", "json")
    assert result.code == 1
    data = json.loads(result.out)
    assert list(data) == ["version", "handouts_version", "today", "strict", "status",
                          "exit_code", "counts", "handouts"]
    assert (data["version"], data["today"], data["strict"], data["status"],
            data["exit_code"]) == (1, TODAY, False, "fail", 1)
    assert data["counts"] == {"pass": 17, "warn": 0, "fail": 1, "skip": 0}
    assert [(h["slug"], h["language"], h["file"], h["status"]) for h in data["handouts"]] == [
        ("good", "en", "content/good/en.yaml", "pass"),
        ("sources-bad", "en", "content/sources-bad/en.yaml", "fail")]
    for handout in data["handouts"]:
        assert list(handout) == ["slug", "language", "file", "status", "checks"]
        assert [c["name"] for c in handout["checks"]] == [
            "schema", "reading-level", "jargon", "review-dates", "sources", "layout-fit",
            "structure", "translation", "accessibility"]
        for check in handout["checks"]:
            assert list(check) == ["name", "status", "summary", "measured", "limits", "hint",
                                   "findings"]
            assert check["status"] in ("pass", "warn", "fail", "skip")
            for finding in check["findings"]:
                assert list(finding) == ["level", "message", "file", "line", "column",
                                         "subject"]
                assert finding["level"] in ("fail", "warn", "info")
    reading = data["handouts"][0]["checks"][1]["measured"]
    assert list(reading) == ["fk_grade", "smog_grade", "words", "sentences", "syllables",
                             "words_per_sentence", "long_words", "long_words_percent"]
    cited = data["handouts"][1]["checks"][4]["findings"][2]
    assert cited == {"level": "fail", "message": "citation [S9] (key point) is not in the "
                     "sources list", "file": "content/sources-bad/en.yaml", "line": 12,
                     "column": 5, "subject": "S9"}


def test_several_handouts_and_every_language(
        handouts: Callable[..., Result], variant: Callable[..., Path]) -> None:
    variant("good")
    root = variant("good", ("language: en", "language: es"), lang="es")
    result = handouts("check", "good", "--today", TODAY, root=root)
    assert result.code == 0
    assert [line for line in result.out.splitlines() if line and not line[0].isspace()] == [
        "good (en)  content/good/en.yaml  PASS",
        "good (es)  content/good/es.yaml  PASS",
        "2 handouts checked: 2 passed.",
    ]
    assert "PASS  reading-level  Szigriszt-Pazos " in result.out  # Spanish formulas for 'es'

    only = handouts("check", "good", "--lang", "es", "--today", TODAY, root=root)
    assert only.out.splitlines()[0] == "good (es)  content/good/es.yaml  PASS"


@pytest.mark.parametrize(("args", "message"), [
    (("check", "nope"), "error: no handout named 'nope'"),
    (("check",), "error: which handout? give a name such as nk-cells, or --all"),
    (("check", "good", "--today", "2026-02-30"),
     "error: --today must be a date as YYYY-MM-DD, got '2026-02-30'"),
    (("check", "good", "--lang", "fr"), "error: handout 'good' has no 'fr' edition"),
])
def test_usage_errors_exit_2(handouts: Callable[..., Result], args: tuple[str, ...],
                             message: str) -> None:
    result = handouts(*args)
    assert result.code == 2
    assert result.err.startswith(message)


def test_all_checks_every_handout_of_the_workspace(tmp_path: Path) -> None:
    for slug in ("good", "overdue"):
        shutil.copytree(FIX / "content" / slug, tmp_path / "content" / slug)
    ws = Workspace.discover(root=tmp_path)
    report = run(ws, [s for s in ws.handouts() if s in ("good", "overdue")],
                 today=_date(TODAY), only=("schema", "review-dates"))
    assert [(h.slug, h.status) for h in report.handouts] == [("good", "pass"),
                                                             ("overdue", "fail")]
    assert [c.name for c in report.handouts[0].checks] == ["schema", "review-dates"]
    assert report.exit_code == 1


# --- make --------------------------------------------------------------------------------


def test_make_warns_in_one_line_when_a_quick_check_fails(
        handouts: Callable[..., Result], tmp_path: Path) -> None:
    result = handouts("make", "overdue", "--out-dir", str(tmp_path))
    assert result.code == 0
    assert (tmp_path / "overdue.pdf").is_file()
    warning = result.err.splitlines()
    assert len(warning) == 1
    assert warning[0].startswith("warning: overdue: review-dates failed: review was due on "
                                 "2001-01-01, ")
    assert warning[0].endswith("run 'handouts check overdue' (use --force to skip this check)")


def test_make_force_skips_the_quick_checks(handouts: Callable[..., Result],
                                           tmp_path: Path) -> None:
    result = handouts("make", "overdue", "--out-dir", str(tmp_path), "--force")
    assert (result.code, result.err) == (0, "")
    assert (tmp_path / "overdue.pdf").is_file()


def test_make_is_quiet_for_good_content_and_refuses_invalid_content(
        handouts: Callable[..., Result], tmp_path: Path) -> None:
    good = handouts("make", "good", "--out-dir", str(tmp_path))
    assert (good.code, good.err) == (0, "")
    bad = handouts("make", "schema-bad", "--out-dir", str(tmp_path))
    assert bad.code == 1
    assert "unknown key 'titel'" in bad.err
    assert not (tmp_path / "schema-bad.pdf").exists()


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)
