#!/usr/bin/env python3
"""Make the Serbian Cyrillic catalogue (locale/sr) from the Serbian Latin one (locale/sr_Latn).

    python scripts/make_cyrillic_catalogue.py          # write sr/LC_MESSAGES/django.po and .mo
    python scripts/make_cyrillic_catalogue.py --check  # exit 1 if they are out of date

Run it after every change to the sr_Latn catalogue (the translation pass does); the test
tests/test_cyrillic_catalogue.py fails while the committed files differ from a fresh
transliteration. Each message is transliterated by citywatch.web.cyrillic.to_cyrillic
(placeholders, markup, addresses and foreign words stay as they are); the .mo file is
compiled by GNU msgfmt, as for the other catalogues. Needs polib (a development dependency).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "src" / "citywatch" / "locale"
LATIN = LOCALE / "sr_Latn" / "LC_MESSAGES" / "django.po"
CYRILLIC = LOCALE / "sr" / "LC_MESSAGES" / "django.po"
# Both gettext domains: the pages' (django) and the map script's (djangojs).
DOMAINS = ("django", "djangojs")


def cyrillic_catalogue(latin_file: Path = LATIN) -> str:
    """The text of the Cyrillic .po file made from the Latin one."""
    sys.path.insert(0, str(LOCALE.parent.parent))
    from citywatch.web.cyrillic import to_cyrillic

    catalogue = polib.pofile(str(latin_file), wrapwidth=0)
    catalogue.metadata["Language"] = "sr"
    catalogue.header = (
        "Serbian (Cyrillic) messages of CityWatch, made from the Serbian (Latin) catalogue by\n"
        "scripts/make_cyrillic_catalogue.py. Do not edit: translate in sr_Latn and run it."
    )
    for entry in catalogue:
        if entry.msgstr:
            entry.msgstr = to_cyrillic(entry.msgstr)
        for index, text in entry.msgstr_plural.items():
            entry.msgstr_plural[index] = to_cyrillic(text) if text else text
    return str(catalogue) + "\n"


def compile_mo(po_file: Path) -> bytes:
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "-", str(po_file)], capture_output=True, check=True
    )
    return result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check, write nothing")
    options = parser.parse_args()
    stale = []
    for domain in DOMAINS:
        latin = LATIN.with_name(f"{domain}.po")
        cyrillic = CYRILLIC.with_name(f"{domain}.po")
        if not latin.exists():
            continue
        text = cyrillic_catalogue(latin)
        mo_file = cyrillic.with_suffix(".mo")
        if options.check:
            fresh = cyrillic.exists() and cyrillic.read_text(encoding="utf-8") == text
            if not fresh or not mo_file.exists() or mo_file.read_bytes() != compile_mo(cyrillic):
                stale.append(domain)
            continue
        cyrillic.parent.mkdir(parents=True, exist_ok=True)
        cyrillic.write_text(text, encoding="utf-8")
        mo_file.write_bytes(compile_mo(cyrillic))
        print(f"Wrote {cyrillic} and {mo_file.name}")
    if stale:
        print(f"The sr catalogue ({', '.join(stale)}) is out of date: run {__file__}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
