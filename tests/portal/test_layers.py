"""The apps depend one way: the layers drawn in docs/ARCHITECTURE.md are the rule.

The test reads the ``layers`` block of the architecture notes (lowest layer first; apps on one
line are siblings) and every import in the apps' code, at module level or inside a function.
An app may import itself and apps on lower lines, nothing else. Tests, migrations and tool
folders are left out; ``ALLOWED`` lists the exceptions, each with its reason.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP = {"tests", "migrations", "static", "templates", "locale"}

#: (importing module, imported app): why this one import may go upwards or sideways.
ALLOWED: dict[tuple[str, str], str] = {}


def layers() -> list[list[str]]:
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text()
    block = re.search(r"```layers\n(.*?)```", text, re.S)
    assert block, "docs/ARCHITECTURE.md has no ```layers block"
    return [line.replace("|", " ").split() for line in block.group(1).splitlines() if line.strip()]


def imports(path: Path):
    """(line, top-level module) of every absolute import in a file, wherever it stands."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module.split(".")[0]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]


def test_every_app_has_a_layer():
    drawn = {app for line in layers() for app in line}
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")} | {"portal"}
    assert apps == drawn, f"not drawn: {apps - drawn}; drawn but gone: {drawn - apps}"


def test_apps_import_only_lower_layers():
    level = {app: n for n, line in enumerate(layers()) for app in line}
    wrong = []
    for app in level:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if SKIP.intersection(relative.parts[1:]):
                continue
            for line, target in imports(path):
                if target not in level or target == app or level[target] < level[app]:
                    continue
                if (str(relative), target) in ALLOWED:
                    continue
                wrong.append(f"{relative}:{line} {app} -> {target}")
    assert not wrong, "imports against the layers of docs/ARCHITECTURE.md:\n" + "\n".join(wrong)


def test_every_allowed_exception_is_still_needed():
    """An exception nobody uses any more is removed from ALLOWED, so the list stays true."""
    for module, target in ALLOWED:
        found = {t for _line, t in imports(ROOT / module)}
        assert target in found, f"{module} no longer imports {target}: drop it from ALLOWED"
