"""devdata is the top layer: it may import every app, and no app (nor portal) imports it."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def imported_modules(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_no_app_imports_devdata():
    apps = {p.parent for p in ROOT.glob("*/apps.py")} - {ROOT / "devdata"}
    assert ROOT / "portal" in apps
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for app in sorted(apps)
        for path in sorted(app.rglob("*.py"))
        for module in imported_modules(path)
        if module.split(".")[0] == "devdata"
    ]
    assert offenders == []
