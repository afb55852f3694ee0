"""`pip install -e .` installs every app: the package list in pyproject.toml names them all."""

import tomllib
from pathlib import Path

from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[2]


def test_every_app_is_in_the_package_list():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    found = set(find_packages(where=str(ROOT), include=include))
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")} | {"portal"}
    assert apps <= found, f"add to [tool.setuptools.packages.find] include: {apps - found}"
    assert not {p for p in found if p.split(".")[0] in {"tests", "bench", "scripts"}}
