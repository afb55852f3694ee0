"""Every message the code translates reaches the .po files.

xgettext, which ``makemessages`` runs, does not look inside f-strings: a ``gettext("…")``
written in one is never extracted, so its text stays English in Danish pages (this dropped
"%(km)s km away" once). Call gettext outside the f-string and put the result in it.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP = {"tests", "migrations", "static", "templates", "locale", "node_modules"}
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


def _called_name(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def gettext_in_fstrings(source: str, filename: str):
    """Lines of gettext calls written inside an f-string's replacement fields."""
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.JoinedStr):
            for field in node.values:
                if not isinstance(field, ast.FormattedValue):
                    continue
                for inner in ast.walk(field.value):
                    if isinstance(inner, ast.Call) and _called_name(inner) in GETTEXT:
                        yield inner.lineno


def test_the_check_finds_a_call_inside_an_f_string():
    assert list(gettext_in_fstrings("x = f\"{gettext('Grades')} 4\"\n", "x.py")) == [1]
    assert not list(gettext_in_fstrings('g = gettext("Grades")\nx = f"{g} 4"\n', "x.py"))


def test_no_gettext_inside_f_strings():
    apps = [p.parent for p in ROOT.glob("*/apps.py")] + [ROOT / "portal"]
    found = []
    for app in apps:
        for path in sorted(app.rglob("*.py")):
            relative = path.relative_to(ROOT)
            if SKIP.intersection(relative.parts[1:]):
                continue
            found += [f"{relative}:{n}" for n in gettext_in_fstrings(path.read_text(), str(path))]
    assert not found, "gettext inside an f-string (xgettext cannot see it):\n" + "\n".join(found)
