"""Update the message catalogs from the code, and compile them.

    python scripts/catalogs.py          # write locales/handouts.pot, update every .po, compile .mo
    python scripts/catalogs.py --check  # exit 1 if a catalog is out of date (the tests run this)

The message ids are the English fixed texts (``handouts.content.catalog.message_ids``). A new
id is added to every ``.po`` with an empty translation (``handouts check`` then fails that
language until someone translates it); an id no longer used is dropped. Needs Babel.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from handouts.content.catalog import DATE_LOCALES, DATE_TABLE, DOMAIN, LOCALES, message_ids


def template() -> Catalog:
    catalog = Catalog(project="handouts", domain=DOMAIN, fuzzy=False)
    for message in message_ids():
        catalog.add(message)
    return catalog


def _po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, omit_header=False, width=96, sort_output=False,
             no_location=True, include_previous=False)
    return out.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def _fixed_dates(catalog: Catalog) -> None:
    """No dates in the headers: the files only change when a message does."""
    catalog.creation_date = catalog.revision_date = __import__("datetime").datetime(2026, 1, 1)


def date_table() -> bytes:
    """Each shipped locale's long date as a pattern ({d}, {month}, {y}) and its month names,
    from Babel's CLDR data (the run time then formats dates without importing Babel)."""
    import datetime
    import json

    from babel.dates import format_date, get_month_names

    table = {}
    for name in DATE_LOCALES:
        months = [get_month_names("wide", "format", name)[m] for m in range(1, 13)]
        sample = format_date(datetime.date(2001, 9, 23), format="long", locale=name)
        pattern = sample.replace(months[8], "{month}").replace("2001", "{y}").replace("23", "{d}")
        table[name] = {"pattern": pattern, "months": months}
    return (json.dumps(table, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def wanted() -> dict[Path, bytes]:
    """Every catalog file's bytes as they should be."""
    files: dict[Path, bytes] = {DATE_TABLE: date_table()}
    pot = template()
    _fixed_dates(pot)
    files[LOCALES / f"{DOMAIN}.pot"] = _po_bytes(pot)
    for po_path in sorted(LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        catalog.update(template(), no_fuzzy_matching=True)
        catalog.obsolete.clear()
        _fixed_dates(catalog)
        files[po_path] = _po_bytes(catalog)
        files[po_path.with_suffix(".mo")] = _mo_bytes(catalog)
    return files


def problems() -> list[str]:
    """What is out of date, compared by messages (not bytes: Babel's version is in headers)."""
    import gettext

    ids = set(message_ids())
    found = []
    if not DATE_TABLE.is_file() or DATE_TABLE.read_bytes() != date_table():
        found.append(f"{DATE_TABLE}: out of date (run scripts/catalogs.py)")
    for po_path in sorted(LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        have = {m.id for m in catalog if m.id}
        if have != ids:
            found.append(f"{po_path}: messages differ from the code (run scripts/catalogs.py)")
        mo_path = po_path.with_suffix(".mo")
        translated = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
        if not mo_path.is_file():
            found.append(f"{mo_path}: missing (run scripts/catalogs.py)")
            continue
        with mo_path.open("rb") as handle:
            compiled = {k: v for k, v in gettext.GNUTranslations(handle)._catalog.items() if k}
        if compiled != translated:
            found.append(f"{mo_path}: not compiled from {po_path.name} (run scripts/catalogs.py)")
    return found


def main(argv: list[str]) -> int:
    if "--check" in argv:
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    stale = [p for p, data in wanted().items() if not p.is_file() or p.read_bytes() != data]
    for path, data in wanted().items():
        if path in stale:
            path.write_bytes(data)
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
