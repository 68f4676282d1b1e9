"""The language checks: reading level (English: Flesch-Kincaid, SMOG; Spanish:
Szigriszt-Pazos on the INFLESZ scale, and Fernández-Huerta) and jargon (per-language lists)."""

from __future__ import annotations

from handouts.check.report import CheckResult
from handouts.check.subject import Subject, plural, rounded

HARDEST = 5


def _spanish(s: Subject) -> bool:
    return s.handout.language.split("-")[0].lower() == "es"


def check_reading_level(s: Subject) -> CheckResult:
    """Flesch-Kincaid and SMOG grade of the reading text, and its hardest sentences."""
    if _spanish(s):
        return check_spanish_reading_level(s)
    from handouts.check.readability import analyse, hardest

    level = s.handout.reading_level
    measures, found = analyse((u.text, u.path) for u in s.units if u.reading)
    fk, smog = rounded(measures.fk_grade), rounded(measures.smog_grade)
    measured = {
        "fk_grade": fk, "smog_grade": smog, "words": measures.words,
        "sentences": measures.sentences, "syllables": measures.syllables,
        "words_per_sentence": rounded(measures.words_per_sentence),
        "long_words": measures.long_words,
        "long_words_percent": rounded(measures.long_word_share),
    }
    limits = {"fk_max": level.fk_max, "smog_max": level.smog_max, "fk_warn": level.fk_warn}
    over = []
    if fk > level.fk_max:
        over.append(f"FK grade {fk:g} is above {level.fk_max:g}")
    if smog > level.smog_max:
        over.append(f"SMOG grade {smog:g} is above {level.smog_max:g}")
    status = "fail" if over else ("warn" if fk > level.fk_warn else "pass")
    figures = (f"FK grade {fk:g} (max {level.fk_max:g}, aim {level.fk_warn:g}), "
               f"SMOG {smog:g} (max {level.smog_max:g}); "
               f"{measures.words_per_sentence:.1f} words per sentence, "
               f"{measures.long_word_share:.0f}% words of 3+ syllables, "
               f"{measures.words} words")
    findings = []
    for sentence in hardest(found, HARDEST):
        long = f"; long words: {', '.join(sentence.long_words)}" if sentence.long_words else ""
        findings.append(s.at(sentence.origin, "info",
                             f"hard sentence, FK grade {sentence.fk_grade:.1f}, "
                             f"{sentence.words} words{long}: \"{sentence.text}\"",
                             subject=sentence.text))
    hint = ("shorten the sentences listed (aim for 15 words or fewer, one idea each) and use "
            "everyday words of one or two syllables; explain a medical word once in "
            "'words to know' rather than in every sentence")
    return CheckResult("reading-level", status, figures, measured, limits, hint, findings)


def check_spanish_reading_level(s: Subject) -> CheckResult:
    """Szigriszt-Pazos (INFLESZ scale) and Fernández-Huerta of Spanish text."""
    from handouts.check.spanish import analyse, hardest, inflesz_band

    level = s.handout.reading_level
    measures, found = analyse((u.text, u.path) for u in s.units if u.reading)
    score, fh = rounded(measures.szigriszt), rounded(measures.fernandez_huerta)
    measured = {
        "szigriszt_pazos": score, "inflesz": measures.inflesz, "fernandez_huerta": fh,
        "words": measures.words, "sentences": measures.sentences,
        "syllables": measures.syllables,
        "words_per_sentence": rounded(measures.words_per_sentence),
        "syllables_per_word": rounded(measures.syllables_per_word, 2),
    }
    limits = {"inflesz_min": level.inflesz_min, "inflesz_warn": level.inflesz_warn}
    if score < level.inflesz_min:
        status = "fail"
    else:
        status = "warn" if score < level.inflesz_warn else "pass"
    figures = (f"Szigriszt-Pazos {score:g}, INFLESZ '{measures.inflesz}' (min "
               f"{level.inflesz_min:g}, aim {level.inflesz_warn:g} "
               f"'{inflesz_band(level.inflesz_warn)}'), Fernández-Huerta {fh:g}; "
               f"{measures.words_per_sentence:.1f} words per sentence, "
               f"{measures.syllables_per_word:.2f} syllables per word, {measures.words} words")
    findings = [s.at(sentence.origin, "info",
                     f"hard sentence, Szigriszt-Pazos {sentence.szigriszt:.1f}, "
                     f"{sentence.words} words: \"{sentence.text}\"", subject=sentence.text)
                for sentence in hardest(found, HARDEST)]
    hint = ("acorte las frases señaladas (unas 15 palabras o menos, una idea cada una) y use "
            "palabras cotidianas y cortas; explique una palabra médica una vez en 'palabras "
            "que debe conocer' (shorten the sentences listed; use short everyday words)")
    return CheckResult("reading-level", status, figures, measured, limits, hint, findings)


def check_jargon(s: Subject) -> CheckResult:
    """Medical words and abbreviations used without a glossary entry or an explanation."""
    from handouts.check.jargon import scan

    jargon, abbreviations = scan(s.units, [entry.term for entry in s.handout.glossary],
                                 language=s.handout.language)
    findings = []
    for use in jargon:
        if use.explained is None:
            findings.append(s.at(use.unit.path, "fail",
                                 f"medical word '{use.written}' ({use.unit.kind}) is not in "
                                 "'words to know' and not explained where first used",
                                 subject=use.term))
    for use in abbreviations:
        if use.explained is None:
            findings.append(s.at(use.unit.path, "warn",
                                 f"abbreviation '{use.written}' ({use.unit.kind}) is not "
                                 "spelled out or explained where first used",
                                 subject=use.term))
    missing = [f for f in findings if f.level == "fail"]
    unclear = [f for f in findings if f.level == "warn"]
    measured = {"medical_words": len(jargon), "unexplained": len(missing),
                "abbreviations": len(abbreviations), "abbreviations_unexplained": len(unclear),
                "unexplained_words": [f.subject for f in missing],
                "unexplained_abbreviations": [f.subject for f in unclear]}
    status = "fail" if missing else ("warn" if unclear else "pass")
    summary = (f"{plural(len(jargon), 'medical word')}, {len(missing)} unexplained; "
               f"{plural(len(abbreviations), 'abbreviation')}, {len(unclear)} unexplained")
    hint = ("add each word to 'glossary' (words to know), or explain it where it is first "
            "used, e.g. 'heparin, a medicine that stops blood clots'; spell out an "
            "abbreviation first, e.g. 'the Royal College of Obstetricians and Gynaecologists "
            "(RCOG)'")
    return CheckResult("jargon", status, summary, measured, {"unexplained_max": 0}, hint,
                       findings)
