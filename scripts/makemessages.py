#!/usr/bin/env python
"""Extract UI strings into the per-app and top-level catalogues, then fill English from the source.

    python scripts/makemessages.py            # every catalogue
    python scripts/makemessages.py catalog    # one app's ("." for the top-level one)

Needs GNU gettext (xgettext, msgmerge): `apt-get install gettext`. New Danish strings appear
with an empty msgstr; translate them, then `make lint` checks that none is left.
"""

import subprocess
import sys

import polib
from i18n import APPS, LANGUAGES, ROOT, po_files


def run(args, cwd):
    subprocess.run(args, cwd=cwd, check=True)  # noqa: S603


def main() -> int:
    only = sys.argv[1:]  # e.g. `makemessages.py catalog` updates just that app's catalogue
    django_admin = [
        sys.executable,
        "-m",
        "django",
        "makemessages",
        "--no-obsolete",
        "--no-location",
        "--ignore=migrations/*",
        "--ignore=tests/*",
    ]
    langs = [f"-l{lang}" for lang in LANGUAGES]
    present = [app for app in APPS if (ROOT / app).is_dir()]
    for app in present:
        if only and app not in only:
            continue
        (ROOT / app / "locale").mkdir(exist_ok=True)
        run([*django_admin, *langs], cwd=ROOT / app)
    if only and "." not in only:
        return fill_english(only)
    ignores = [f"--ignore={app}/*" for app in present]
    run(
        [
            *django_admin,
            *langs,
            *ignores,
            "--ignore=.venv/*",
            "--ignore=scripts/*",
            "--ignore=var/*",
            "--ignore=staticfiles/*",
            "--ignore=bench/*",
        ],
        cwd=ROOT,
    )
    return fill_english()


def fill_english(only=()) -> int:
    """The English catalogues repeat the (English) source strings, so they are complete."""
    for po_path in po_files():
        if po_path.parent.parent.name != "en":
            continue
        app = po_path.parents[3].name if po_path.parents[3] != ROOT else "."
        if only and app not in only:
            continue
        po = polib.pofile(str(po_path))
        for entry in po:
            # English is the source language: every msgstr is its msgid. (msgmerge's fuzzy
            # guesses, e.g. "Expires" for "Expired", must not survive.)
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            else:
                entry.msgstr = entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
