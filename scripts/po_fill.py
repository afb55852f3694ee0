#!/usr/bin/env python
"""Developer aid: list untranslated Danish strings, or fill them from a JSON file {msgid: msgstr}.

    python scripts/po_fill.py list associations            # print untranslated msgids as JSON
    python scripts/po_fill.py fill associations da.json    # write translations from the file
Use "." for the top-level catalogue. Context-marked strings use "context\\x04msgid" as key.
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def key(entry):
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def main(argv):
    command, app = argv[1], argv[2]
    po_path = ROOT / app / "locale" / "da" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    if command == "list":
        missing = {key(e): "" for e in po if not e.translated() or "fuzzy" in e.flags}
        print(json.dumps(missing, ensure_ascii=False, indent=1))
        return 0
    translations = json.loads(Path(argv[3]).read_text(encoding="utf-8"))
    for entry in po:
        value = translations.get(key(entry))
        if value is None:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = (
                {0: value[0], 1: value[1]} if isinstance(value, list) else {0: value, 1: value}
            )
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()
    left = [key(e) for e in po if not e.translated()]
    print(f"{po_path}: {len(left)} untranslated left")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
