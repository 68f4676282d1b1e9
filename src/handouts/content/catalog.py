"""Fixed texts in the edition's language: gettext message catalogs, and dates by Babel.

The fixed texts are the labels of a handout's fixed parts (``Labels``: "Key points",
"Page {page} of {pages}", ...) and the wording of the email that carries it (``EMAIL``). Their
English text is the message id; the catalogs are
``locales/<lang>/LC_MESSAGES/handouts.po`` (compiled to ``.mo``, read with the stdlib's
``gettext``: start-up stays fast). An edition ``es-US`` looks in ``es_US`` then ``es``;
``en-US`` in ``en_US`` then ``en`` (American wording where it differs), then the English
message id. A content file's ``labels:`` override the catalog.

For a language other than English, a fixed text that neither the catalogs nor the content
translate is *untranslated*: ``handouts check`` fails the edition (never silent English).

Dates (``long_date``) follow the edition's locale: "2 December 2026" (en-GB, and a bare
``en``), "December 2, 2026" (en-US), "2 de diciembre de 2026" (es-US). For the shipped locales
the pattern and month names come from ``locales/dates.json``, written from Babel's CLDR data by
``scripts/catalogs.py`` (importing Babel and loading a locale costs about 100 ms, a third of
a cold ``make``); any other locale is formatted by Babel itself.
"""

from __future__ import annotations

import dataclasses
import datetime
import gettext
import json
from functools import lru_cache
from pathlib import Path

from handouts.content.model import Handout, Labels

DOMAIN = "handouts"
LOCALES = Path(__file__).resolve().parent.parent / "locales"
SOURCE_LANGUAGE = "en"

# The email that carries a handout (deliver.message), in English: the message ids.
EMAIL: dict[str, str] = {
    "hello": "Hello {name},",
    "hello_anon": "Hello,",
    "attached": "Your handout “{title}” is attached as a PDF file ({file}). You can read it "
                "on a phone or computer, or print it.",
    "attached_safe": "Your handout is attached as a PDF file ({file}). You can read it on a "
                     "phone or computer, or print it.",
    "from": "{clinician} asked us to send it to you.",
    "password": "The PDF is protected with a password. We will give you the password another "
                "way, by phone or in person. We never send it by email.",
    "questions": "Questions?",
    "call": "Call us: {phone}.",
    "reply": "Or reply to this email.",
    "reply_only": "Reply to this email.",
    "private": "This email is meant only for the person it was sent to. If it reached you by "
               "mistake, please delete it and let us know.",
    "subject": "Your handout: {title}",
    "subject_safe": "Your handout",
    "subject_from": "{subject} \u2013 {clinic}",
}


def label_ids() -> dict[str, str]:
    """Each label's name and its English text (the message id)."""
    return {f.name: f.default for f in dataclasses.fields(Labels)}  # type: ignore[misc]


def message_ids() -> list[str]:
    """Every fixed text's message id, labels first (what the catalog template holds)."""
    return list(dict.fromkeys([*label_ids().values(), *EMAIL.values()]))


def _chain(language: str) -> list[str]:
    """Catalog folders to look in, most specific first: es-US -> es_US, es."""
    parts = language.replace("_", "-").split("-")
    names = []
    for n in range(len(parts), 0, -1):
        head = [parts[0].lower(), *(p.upper() if len(p) == 2 else p for p in parts[1:n])]
        names.append("_".join(head))
    return names


def catalog_files(language: str) -> tuple[Path, ...]:
    """The compiled catalogs (.mo) ``language`` reads, most specific first."""
    found = (LOCALES / name / "LC_MESSAGES" / f"{DOMAIN}.mo" for name in _chain(language))
    return tuple(mo for mo in found if mo.is_file())


@lru_cache(maxsize=32)
def _catalogs(language: str) -> tuple[gettext.GNUTranslations, ...]:
    found = []
    for mo in catalog_files(language):
        with mo.open("rb") as handle:
            found.append(gettext.GNUTranslations(handle))
    return tuple(found)


def lookup(language: str, message: str) -> str | None:
    """The catalogs' translation of ``message`` for ``language``, or None when they have
    none (English message ids are their own translation)."""
    for catalog in _catalogs(language):
        text = catalog._catalog.get(message)  # type: ignore[attr-defined]
        if text:
            return str(text)
    return message if is_source_language(language) else None


def translate(language: str, message: str) -> str:
    """``message`` in ``language``; the English id when no catalog has it."""
    found = lookup(language, message)
    return message if found is None else found


def is_source_language(language: str) -> bool:
    return language.split("-")[0].lower() == SOURCE_LANGUAGE


def localise(handout: Handout) -> Handout:
    """The handout with every label the content does not set taken from the catalogs."""
    language = handout.language
    labels = handout.labels
    changes = {name: translate(language, default) for name, default in label_ids().items()
               if name not in handout.labels_given}
    return dataclasses.replace(handout, labels=dataclasses.replace(labels, **changes))


def untranslated(handout: Handout) -> list[tuple[str, str]]:
    """Fixed texts an edition would print in English: (where, English text) for each label
    neither its ``labels:`` nor the catalogs translate, and each email text the catalogs lack.
    Always empty for English."""
    language = handout.language
    if is_source_language(language):
        return []
    missing = [(f"labels.{name}", text) for name, text in label_ids().items()
               if name not in handout.labels_given and lookup(language, text) is None]
    missing += [(f"email.{name}", text) for name, text in EMAIL.items()
                if lookup(language, text) is None]
    return missing


def email_words(language: str) -> dict[str, str]:
    """The email's wording in ``language`` (English for a language without a catalog)."""
    return {key: translate(language, text) for key, text in EMAIL.items()}


# --- dates -------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def babel_locale(language: str) -> str:
    """The Babel locale for an edition: en-US -> en_US; a bare 'en' -> en_GB (25 November
    2026: day first, month in words, read the same everywhere); unknown regions -> the
    language."""
    from babel import Locale, UnknownLocaleError

    if language.lower() == "en":
        return "en_GB"
    for name in _chain(language):
        try:
            Locale.parse(name)
            return name
        except (UnknownLocaleError, ValueError):
            continue
    return "en_GB"


DATE_TABLE = LOCALES / "dates.json"
DATE_LOCALES = ("en_GB", "en_US", "es", "es_US")  # the table's locales (scripts/catalogs.py)


@lru_cache(maxsize=1)
def _date_table() -> dict[str, dict[str, object]]:
    return json.loads(DATE_TABLE.read_text("utf-8")) if DATE_TABLE.is_file() else {}


def long_date(value: datetime.date, language: str = "en") -> str:
    """A date with its month in words, in the edition's language: 2 December 2026."""
    table = _date_table()
    for name in ["en_GB"] if language.lower() == "en" else _chain(language):
        entry = table.get(name)
        if entry is not None:
            months = entry["months"]
            return str(entry["pattern"]).format(d=value.day, y=value.year,
                                                month=months[value.month - 1])  # type: ignore[index]
    from babel.dates import format_date

    return format_date(value, format="long", locale=babel_locale(language))
