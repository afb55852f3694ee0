#!/usr/bin/env python
"""Compile every django.po to django.mo with polib (no GNU gettext needed on a fresh machine)."""

import sys

import polib
from i18n import po_files


def main() -> int:
    for po_path in po_files():
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
