"""Copy the map's JavaScript libraries from node_modules into static/vendor/ (``make vendor``).

Leaflet and Leaflet.markercluster are pinned in package.json; ``npm ci`` installs them and
this script copies the files the portal serves into ``static/vendor/leaflet/``, which is
committed, so a fresh clone runs (``make run``) and tests without npm and never loads them
from a CDN. After changing a version in package.json: ``make vendor`` and commit the result
(``tests/catalog/test_map.py`` checks that the copies match package.json's versions).
"""

import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "static" / "vendor" / "leaflet"

#: (package, files under the package, names in TARGET)
FILES = [
    ("leaflet", "dist/leaflet.js", "leaflet.js"),
    ("leaflet", "dist/leaflet.css", "leaflet.css"),
    ("leaflet", "LICENSE", "LICENSE-leaflet"),
    ("leaflet.markercluster", "dist/leaflet.markercluster.js", "leaflet.markercluster.js"),
    ("leaflet.markercluster", "dist/MarkerCluster.css", "MarkerCluster.css"),
    ("leaflet.markercluster", "dist/MarkerCluster.Default.css", "MarkerCluster.Default.css"),
    ("leaflet.markercluster", "MIT-LICENCE.txt", "LICENSE-markercluster"),
]


def main() -> int:
    modules = ROOT / "node_modules"
    versions = {}
    for package, source, name in FILES:
        path = modules / package / source
        if not path.exists():
            print(f"{path} is missing: run npm ci first", file=sys.stderr)
            return 1
        TARGET.mkdir(parents=True, exist_ok=True)
        text = path.read_bytes()
        # The source maps are not copied: collectstatic's manifest would look for them.
        text = re.sub(rb"\n//# sourceMappingURL=\S+\s*$", b"\n", text)
        (TARGET / name).write_bytes(text)
        versions[package] = json.loads((modules / package / "package.json").read_text())["version"]
    images = modules / "leaflet" / "dist" / "images"
    shutil.copytree(images, TARGET / "images", dirs_exist_ok=True)
    (TARGET / "VERSIONS.json").write_text(json.dumps(versions, indent=2, sort_keys=True) + "\n")
    print(f"copied {', '.join(f'{k} {v}' for k, v in sorted(versions.items()))} to {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
