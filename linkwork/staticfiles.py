"""Static files: what pages serve from the npm packages, and nothing more.

nhsuk-frontend ships thousands of source files (Sass, Nunjucks, ES modules, maps);
copying them all slows every start of WhiteNoise for nothing. `make assets` copies what
pages serve into `linkwork/static_vendor/` (`python -m linkwork.staticfiles`), so an
installed wheel carries the front end without node_modules.
"""

import shutil
import sys
from pathlib import Path

from django.contrib.staticfiles.apps import StaticFilesConfig

IGNORE_PATTERNS = [
    "*.map",
    "*.mjs",
    "*.mts",
    "*.scss",
    "*.njk",
    "*.ts",
    "components",
    "macros",
    "common",
    "htmx.amd.js",
    "htmx.cjs.js",
    "htmx.esm.js",
    "leaflet-src*.js",
    # django-ninja's: /api/v1/docs uses Swagger UI, not ReDoc.
    "redoc.standalone.js",
]

PACKAGE_DIR = Path(__file__).resolve().parent
VENDOR_DIR = PACKAGE_DIR / "static_vendor"
# Prefix under /static/ -> the npm package's folder of files pages serve.
VENDORED = {
    "nhsuk": Path("nhsuk-frontend") / "dist" / "nhsuk",
    "htmx": Path("htmx.org") / "dist",
    "leaflet": Path("leaflet") / "dist",
}


class LinkworkStaticFilesConfig(StaticFilesConfig):
    ignore_patterns = [*StaticFilesConfig.ignore_patterns, *IGNORE_PATTERNS]


def vendor(node_modules: Path, into: Path = VENDOR_DIR) -> int:
    """Copy what pages serve from node_modules into the package; returns the file count."""
    if into.exists():
        shutil.rmtree(into)
    ignore = shutil.ignore_patterns(*IGNORE_PATTERNS, "*.d.*", "*.gz", "*.md")
    for prefix, source in VENDORED.items():
        shutil.copytree(node_modules / source, into / prefix, ignore=ignore)
    return sum(1 for path in into.rglob("*") if path.is_file())


if __name__ == "__main__":
    count = vendor(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("node_modules"))
    print(f"Copied {count} front-end files into {VENDOR_DIR}")
