"""Personal fields (--for, --clinician, --note, --date): printed exactly, checked, never leaked."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from handouts.build import build_pdf, load, resolve
from handouts.cli import main
from handouts.content.personal import MAX_LENGTH, Personal, personal_fields
from handouts.errors import HandoutsError, UsageError
from handouts.workspace.finder import Workspace

NAME = "Ana <b>& López"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    captured = capsys.readouterr()
    return int(exc.value.code or 0), captured.out, captured.err


def page_one(data: bytes) -> list[str]:
    return [line.rstrip() for line in
            PdfReader(io.BytesIO(data)).pages[0].extract_text().splitlines()]


@pytest.fixture(scope="module")
def standard() -> tuple[object, object, str]:
    ws = Workspace.discover(root=Path(__file__).parent.parent)
    handout = load(ws, "nk-cells")
    layout, paper = resolve(ws, None, None)
    return handout, layout, paper


def test_make_prints_every_personal_field_on_page_one(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--root", str(tmp_path), "make", "nk-cells", "--for", NAME,
                         "--clinician", "Dr. Mehta", "--note", "Call us after your **next** scan.",
                         "--date", "2026-12-01")
    assert (code, err) == (0, "")
    (made,) = (tmp_path / "output").glob("nk-cells-personal-*.pdf")
    lines = page_one(made.read_bytes())
    # name, clinician and date in one block under the masthead, then the note (REVIEW3 B3)
    assert f"Prepared for {NAME} · From Dr. Mehta · 1 December 2026" in [s.strip() for s in lines]
    assert "Call us after your **next** scan." in lines
    # nothing personal in what the command prints, nor in any file name it wrote
    assert "Ana" not in out and "Mehta" not in out
    assert made.name in out
    assert [p.name for p in tmp_path.rglob("*")] == ["output", made.name]


def test_a_personal_copy_over_the_page_budget_is_made_with_a_warning(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A long note can push the sheet onto a third page: staff are told, not left to find
    out at the printer (the copy is still made: it is right, only longer)."""
    note = "Bring this to your next visit, with your questions written down. " * 6
    code, _, err = run(capsys, "--root", str(tmp_path), "make", "nk-cells", "--for", NAME,
                       "--note", note.strip())
    (made,) = (tmp_path / "output").glob("nk-cells-personal-*.pdf")
    assert code == 0 and len(PdfReader(made).pages) == 3
    assert "has 3 pages, over the standard layout's 2 on letter" in err
    assert "shorten the personal note" in err
    code, _, err = run(capsys, "--root", str(tmp_path), "make", "nk-cells", "--for", NAME)
    assert (code, err) == (0, "")  # a short note keeps to the sheet: no warning


def test_personal_copy_never_replaces_the_shared_handout(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--root", str(tmp_path), "make", "nk-cells")[0] == 0
    shared = (tmp_path / "output" / "nk-cells.pdf").read_bytes()
    assert run(capsys, "--root", str(tmp_path), "make", "nk-cells", "--for", "Ana López")[0] == 0
    assert (tmp_path / "output" / "nk-cells.pdf").read_bytes() == shared
    assert not any("Prepared for" in line for line in page_one(shared))


def test_output_path_chosen_by_the_user_is_used(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "Ana López.pdf"
    code, _, _ = run(capsys, "--root", str(tmp_path), "make", "nk-cells", "--for", "Ana López",
                     "-o", str(target))
    assert code == 0
    assert any("Prepared for Ana López" in line for line in page_one(target.read_bytes()))


def test_date_alone_is_printed(standard: tuple[object, object, str]) -> None:
    handout, layout, paper = standard
    pdf = build_pdf(handout, layout, paper, personal=personal_fields(date="2026-12-01"))
    assert any(line.endswith("1 December 2026") for line in page_one(pdf.data))


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--for", "Ana\r\nBcc: victim@example.org", "must be one line"),
    ("--for", "Ana\nLópez", "must be one line"),
    ("--clinician", "Dr.\tMehta", "control character (U+0009"),
    ("--note", "Call us\u2028now", "must be one line"),
    ("--for", "Ana\u202eLópez", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("--for", "Ana\u00adLópez", "U+00AD SOFT HYPHEN"),
    ("--for", "A" * (MAX_LENGTH["name"] + 1), "the limit is 100"),
    ("--note", "x" * (MAX_LENGTH["note"] + 1), "the limit is 500"),
    ("--date", "1/12/2026", "YYYY-MM-DD"),
    ("--date", "2026-02-30", "YYYY-MM-DD"),
])
def test_bad_personal_fields_are_usage_errors_that_do_not_echo_the_value(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str,
        message: str) -> None:
    code, out, err = run(capsys, "--root", str(tmp_path), "make", "nk-cells", option, value)
    assert code == 2 and out == ""
    assert message in err
    assert "Traceback" not in err
    assert value not in err and "Ana" not in err and "Mehta" not in err
    assert not (tmp_path / "output").exists()


def test_a_character_the_fonts_cannot_draw_names_the_field_not_the_patient(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--root", str(tmp_path), "make", "nk-cells", "--for",
                       "Ana 中 López")
    assert code == 2
    assert "the patient name (--for) contains '中' (U+4E2D" in err
    assert "Ana" not in err and "López" not in err
    assert not (tmp_path / "output").exists()


def test_spaces_are_tidied_and_text_is_nfc() -> None:
    fields = personal_fields("  Ana\u00a0\u00a0Lo\u0301pez  ", " ", None, datetime.date(2026, 1, 2))
    assert fields.name == "Ana López"
    assert fields.clinician is None
    assert fields.date == datetime.date(2026, 1, 2)
    assert not personal_fields()


def test_personal_details_stay_out_of_repr_and_errors() -> None:
    fields = personal_fields("Ana López", "Dr. Mehta", "secret note")
    assert "Ana" not in repr(fields) and "secret" not in repr(fields)
    assert "Ana" not in f"{[fields]}"
    with pytest.raises(UsageError) as exc:
        personal_fields("Ana López\r\n")
    assert "Ana" not in str(exc.value)


# Text a clinic might type, from plain ASCII to any Unicode at all (most of which the fonts
# cannot draw, and some of which is refused: controls, line breaks, invisible characters).
_typed = st.one_of(
    st.text(alphabet=st.characters(max_codepoint=0x52F), min_size=1, max_size=28),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=28),
    st.sampled_from(["Ana <b>& Co", "&amp; &lt;", "**x** _y_ [z](http://e.org)", "<br/>",
                     "{{ 7*7 }}", "\\", "Nǐ hǎo Ζωή Олег"]),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(name=_typed, clinician=_typed)
def test_any_personal_text_prints_exactly_or_is_refused_clearly(
        standard: tuple[object, object, str], name: str, clinician: str) -> None:
    handout, layout, paper = standard
    try:
        fields = personal_fields(name, clinician)
        pdf = build_pdf(handout, layout, paper, personal=fields)
    except HandoutsError as exc:
        assert isinstance(exc, UsageError)
        assert str(exc).startswith("the ")
        return
    text = " ".join(" ".join(page_one(pdf.data)).split())  # header or box, lines joined
    if fields.name:
        assert f"Prepared for {fields.name}" in text
    if fields.clinician:
        assert f"From {fields.clinician}" in text


def test_personal_fields_are_frozen() -> None:
    fields = Personal(name="Ana")
    with pytest.raises(AttributeError):
        fields.name = "Bob"  # type: ignore[misc]


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("clinic", [None, "example-clinic"])
def test_a_personal_copy_keeps_the_two_page_budget(paper: str, clinic: str | None) -> None:
    from handouts.content.clinic import resolve_clinic

    ws = Workspace.discover(root=Path(__file__).parent.parent)
    handout = load(ws, "nk-cells")
    layout, _ = resolve(ws, None, paper)
    fields = personal_fields("Ana López", "Dr. Mehta", "Call us after your next scan.",
                             "2026-12-01")
    pdf = build_pdf(handout, layout, paper, resolve_clinic(ws, clinic) if clinic else None,
                    personal=fields)
    assert pdf.pages == 2
    text = " ".join(" ".join(page_one(pdf.data)).split())
    assert "Prepared for Ana López · From Dr. Mehta · 1 December 2026" in text
    assert "Call us after your next scan." in text
