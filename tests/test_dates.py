"""Dates in the edition's language: the shipped table (locales/dates.json) gives exactly what
Babel gives, for every shipped locale and month; other locales go to Babel itself."""

from __future__ import annotations

import datetime
import subprocess
import sys

import pytest
from babel.dates import format_date

from handouts.content.catalog import DATE_LOCALES, babel_locale, long_date

EDITIONS = {"en_GB": "en-GB", "en_US": "en-US", "es": "es", "es_US": "es-US"}


@pytest.mark.parametrize("name", DATE_LOCALES)
def test_the_table_matches_babel_for_every_month(name: str) -> None:
    for month in range(1, 13):
        for day in (1, 9, 23, 31 if month in (1, 3, 5, 7, 8, 10, 12) else 28):
            date = datetime.date(2026, month, day)
            assert long_date(date, EDITIONS[name]) == format_date(date, "long", locale=name)


def test_a_locale_outside_the_table_is_formatted_by_babel() -> None:
    date = datetime.date(2026, 12, 2)
    assert long_date(date, "fr") == format_date(date, "long", locale=babel_locale("fr"))
    assert long_date(date, "fr") == "2 décembre 2026"
    assert long_date(date, "en") == "2 December 2026"  # a bare en reads day-first


def test_formatting_a_shipped_locale_does_not_import_babel() -> None:
    code = ("import datetime, sys\nfrom handouts.content.catalog import long_date\n"
            "print(long_date(datetime.date(2026, 12, 2), 'es-US'))\n"
            "print('babel' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out == ["2 de diciembre de 2026", "False"]
