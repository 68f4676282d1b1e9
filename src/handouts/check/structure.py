"""The structure check: key points, headings, paragraph length, questions, no shouting."""

from __future__ import annotations

import re

from handouts.check.report import CheckResult, Finding, worst
from handouts.check.subject import Subject, plural

HEADING_WORDS_MAX = 8
PARAGRAPH_WORDS_MAX = 60
KEY_POINTS = (3, 5)
_WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
_CAPS_WORD = re.compile(r"^[A-Z][A-Z'\u2019\-]*[A-Z]$")


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _shouting(text: str) -> bool:
    """Three or more words in a row in capitals (not counting one-letter words)."""
    run = 0
    for word in _WORD.findall(text):
        if len(word) < 2:
            continue
        run = run + 1 if _CAPS_WORD.match(word) and any(c.isalpha() for c in word) else 0
        if run >= 3:
            return True
    return False


def check_structure(s: Subject) -> CheckResult:
    """What a program can see of PEMAT-P: key points, headings, paragraphs, actions, caps."""
    h = s.handout
    findings: list[Finding] = []
    lo, hi = KEY_POINTS
    if not lo <= len(h.key_points) <= hi:
        findings.append(s.at(("key_points",), "fail",
                             f"{plural(len(h.key_points), 'key point')}: give {lo} to {hi}"))
    if not h.sections:
        findings.append(s.at(("sections",), "fail", "no sections with headings"))
    longest_heading = 0
    for i, section in enumerate(h.sections):
        n = _word_count(section.heading)
        longest_heading = max(longest_heading, n)
        if n > HEADING_WORDS_MAX:
            findings.append(s.at(("sections", i, "heading"), "fail",
                                 f"heading has {n} words (max {HEADING_WORDS_MAX}): "
                                 f"\"{section.heading}\"", subject=section.heading))
        elif not section.heading.rstrip().endswith("?"):
            findings.append(s.at(("sections", i, "heading"), "warn",
                                 f"heading is not a question: \"{section.heading}\"",
                                 subject=section.heading))
    longest = 0
    for unit in s.units:
        if unit.kind in ("title", "subtitle", "heading"):
            continue
        n = _word_count(unit.text)
        longest = max(longest, n)
        if n > PARAGRAPH_WORDS_MAX:
            findings.append(s.at(unit.path, "fail",
                                 f"{unit.kind} has {n} words (max {PARAGRAPH_WORDS_MAX}); "
                                 "split it", subject=unit.text))
    shouting = 0
    for unit in s.units:
        if _shouting(unit.text):
            shouting += 1
            findings.append(s.at(unit.path, "fail",
                                 f"{unit.kind} is written in capitals: \"{unit.text}\"",
                                 subject=unit.text))
    if not h.questions.items:
        findings.append(s.at(("questions",), "fail",
                             "no questions for the reader to ask: give at least one"))
    if not h.when_to_get_help:
        findings.append(s.at(("when_to_get_help",), "warn",
                             "no 'when_to_get_help': tell readers when to call a doctor"))
    status = worst(f.level for f in findings)
    measured = {"key_points": len(h.key_points), "sections": len(h.sections),
                "longest_heading_words": longest_heading, "longest_paragraph_words": longest,
                "questions": len(h.questions.items),
                "when_to_get_help": len(h.when_to_get_help), "all_caps": shouting}
    limits = {"key_points_min": lo, "key_points_max": hi, "heading_words_max": HEADING_WORDS_MAX,
              "paragraph_words_max": PARAGRAPH_WORDS_MAX, "questions_min": 1}
    summary = (f"{plural(len(h.key_points), 'key point')}, "
               f"{plural(len(h.sections), 'section')}, longest heading "
               f"{plural(longest_heading, 'word')}, longest paragraph "
               f"{plural(longest, 'word')}, {plural(len(h.questions.items), 'question')}")
    hint = ("keep 3 to 5 key points; make headings short plain questions; split long "
            "paragraphs and lists; write in sentence case, never in capitals")
    return CheckResult("structure", status, summary, measured, limits, hint, findings)
