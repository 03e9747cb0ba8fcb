"""collectstatic keeps only what pages serve from the npm packages.

nhsuk-frontend ships thousands of source files (Sass, Nunjucks, ES modules, maps);
copying them all slows every start of WhiteNoise for nothing.
"""

from django.contrib.staticfiles.apps import StaticFilesConfig


class LinkworkStaticFilesConfig(StaticFilesConfig):
    ignore_patterns = [
        *StaticFilesConfig.ignore_patterns,
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
