"""Translation catalogues: where they live, and compiling them without GNU gettext.

Each app keeps its own catalogue in ``<app>/locale/`` (so that apps can change
independently); ``locale/`` at the top holds the strings of ``portal/`` and
``templates/``. Danish is the main language; the English catalogue repeats the
English source strings so that it is complete too.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "accounts",
    "associations",
    "bookings",
    "catalog",
    "dashboard",
    "geo",
    "municipalities",
    "notifications",
    "partnerships",
    "knowledge",
    "privacy",
    "schools",
    "screening",
    "api",
    "sso",
]
LANGUAGES = ["da", "en"]


def catalogue_dirs() -> list[Path]:
    dirs = [ROOT / "locale"]
    dirs += [ROOT / app / "locale" for app in APPS if (ROOT / app).is_dir()]
    return dirs


def po_files() -> list[Path]:
    return sorted(p for d in catalogue_dirs() for p in d.glob("*/LC_MESSAGES/django.po"))
