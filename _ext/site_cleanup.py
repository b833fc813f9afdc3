"""Sphinx extension: small fixes to what stock Jupyter Book 1 puts on every page.

1. sphinx-thebe (always loaded by Jupyter Book 1) adds its inline configuration script twice, so
every page throws "Identifier 'THEBE_JS_URL' has already been declared", and it points at a CDN.
This book has no live-code (Thebe) button, so its scripts and stylesheet are dropped from
every page rather than patched.

2. The page's "download .ipynb" button links to `_sources/<page>.ipynb`, which myst-nb writes
from the executed MyST file. Where the repository has a paired notebook (the one Colab opens),
that file is served there instead, so both buttons hand the reader the same notebook.

3. The site's front door, `index.html`, is a bare one-line redirect (sphinx-external-toc writes
it only when no such file exists), so browsers ask for a `/favicon.ico` that does not exist
and the page has no title or language. A complete redirect page is written first.

4. Source maps (`*.map`, several MB) are for debugging the theme, not for readers; they are
not shipped.

5. pydata-sphinx-theme loads Sphinx's search scripts and the whole search index on every page,
for a search-as-you-type dialog this book does not turn on (`search_as_you_type` is off: the
dialog sends the reader to search.html). Only search.html loads them.

6. The theme's and extensions' scripts in the page head block the parser one after another;
they are deferred (run in order once the page is parsed, as they already wait for
DOMContentLoaded), except documentation_options.js, which inline scripts in the head use, and
on search.html, whose template runs the search scripts during parsing.

7. The theme's first script in the head sets ``data-theme`` to the stored theme or, on a first
visit, to "auto", which no stylesheet rule matches; pydata-sphinx-theme.js later resolves it to
"light" or "dark". That change restyles every element of the finished page (200 ms on a
chapter here) and makes a dark-mode reader's page flash light first. The head script now
resolves "auto" itself, from the same media query the theme uses, so the theme's script sets
the value the page already has.

8. pydata-sphinx-theme.js, once the page has loaded, measures every code block and table to
decide which can take focus. That lays out every section at once, the ones lossbook.css leaves
unrendered until the reader scrolls to them (content-visibility) included: a 100 ms stall. The
call is removed from the theme's script; ``assets/scrollable-focus.js`` does the same job for each
box as it comes into view.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from page_html import after_render

logger = logging.getLogger(__name__)
THEBE_MARKERS = ("THEBE_JS_URL", "sphinx-thebe", "thebe@")


def _is_thebe(asset: Any) -> bool:
    body = getattr(asset, "attributes", {}).get("body", "") or ""
    filename = getattr(asset, "filename", None) or str(asset)
    return any(marker in body or marker in filename for marker in THEBE_MARKERS)


def drop_thebe(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not _is_thebe(asset)]


SEARCH_SCRIPTS = re.compile(r'\s*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)"></script>')
PARSER_SCRIPTS_KEEP = ("documentation_options.js",)


def defer_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if pagename == "search":
        return  # its template runs searchtools.js during parsing, which needs doctools.js first

    def deferred(asset: Any) -> Any:
        attributes = getattr(asset, "attributes", None)
        filename = str(getattr(asset, "filename", None) or "")
        if (attributes is None or not filename or filename.endswith(PARSER_SCRIPTS_KEEP)
                or {"async", "defer"} & attributes.keys() or attributes.get("type") not in (None, "text/javascript")):
            return asset
        # A new asset: the theme's objects are shared by every page, search.html included.
        return type(asset)(asset.filename, priority=asset.priority, **{**attributes, "defer": "defer"})

    context["script_files"] = [deferred(asset) for asset in context.get("script_files", [])]


def drop_search_scripts(app: Sphinx) -> None:
    if app.config.html_theme_options.get("search_as_you_type"):
        return

    def edit(html: str) -> str:
        # search.html (the one page with a results element in its HTML) keeps them.
        return html if 'id="search-results"' in html else SEARCH_SCRIPTS.sub("", html)

    after_render(app, edit)


THEME_LINE = re.compile(r'document\.documentElement\.dataset\.theme = localStorage\.getItem\("theme"\) \|\| "(\w+)";')


def resolve_theme_early(app: Sphinx) -> None:
    def edit(html: str) -> str:
        match = THEME_LINE.search(html)
        if match is None:
            if "pydata-sphinx-theme" in html:
                logger.warning("site_cleanup: the theme's head script no longer sets data-theme as expected; "
                               "update THEME_LINE in _ext/site_cleanup.py", type="lossbook", subtype="theme")
            return html
        if match.group(1) != "auto":
            return html  # a fixed default theme is already one the stylesheets match
        resolved = ('document.documentElement.dataset.theme = localStorage.getItem("theme") || '
                    '(matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");')
        return html[:match.start()] + resolved + html[match.end():]

    after_render(app, edit)


# The theme's last statement: run its scrollable-box check now, or when the page has loaded.
SCROLLABLE_CHECK = '"complete"===document.readyState?I():window.addEventListener("load",I)'
SCROLLABLE_CHECK_REMOVED = "void 0/* lossbook: done by scrollable-focus.js */"


def drop_scrollable_check(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    script = Path(app.outdir, "_static", "scripts", "pydata-sphinx-theme.js")
    source = script.read_text(encoding="utf-8")
    if SCROLLABLE_CHECK in source:
        script.write_text(source.replace(SCROLLABLE_CHECK, SCROLLABLE_CHECK_REMOVED), encoding="utf-8")
    elif SCROLLABLE_CHECK_REMOVED not in source:  # not already removed by an earlier build
        logger.warning("site_cleanup: pydata-sphinx-theme.js no longer ends with its scrollable-box check; "
                       "update SCROLLABLE_CHECK in _ext/site_cleanup.py", type="lossbook", subtype="theme")


def note_paired_notebook(app: Sphinx, docname: str, source: list[str]) -> None:
    # The theme's Colab button links to the paired notebook only when it exists, so a page
    # must be rebuilt when its pair appears or changes.
    paired = Path(app.srcdir, docname + ".ipynb")
    if paired.is_file():
        app.env.note_dependency(str(paired))


def serve_paired_notebooks(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for docname in app.env.found_docs:
        paired = Path(app.srcdir, docname + ".ipynb")
        if paired.is_file():
            target = Path(app.outdir, "_sources", docname + ".ipynb")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(paired, target)


REDIRECT_PAGE = """<!DOCTYPE html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="icon" href="_static/{favicon}">
<meta http-equiv="Refresh" content="0; url={target}">
</head>
<body><p><a href="{target}">{title}</a></p></body>
</html>
"""


def write_front_door(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or app.config.root_doc == "index":
        return
    Path(app.outdir, "index.html").write_text(
        REDIRECT_PAGE.format(
            language=app.config.language or "en",
            title=app.config.html_title or app.config.project,
            favicon=Path(app.config.html_favicon or "favicon.ico").name,
            target=app.builder.get_target_uri(app.config.root_doc),
        ),
        encoding="utf-8",
    )


def drop_source_maps(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        for source_map in Path(app.outdir, "_static").rglob("*.map"):
            source_map.unlink()


def setup(app: Sphinx) -> dict[str, Any]:
    # After sphinx-thebe and the theme have added their files (default priority 500).
    app.connect("html-page-context", drop_thebe, priority=900)
    app.connect("html-page-context", defer_scripts, priority=900)
    app.connect("builder-inited", drop_search_scripts)
    app.connect("builder-inited", resolve_theme_early)
    app.connect("source-read", note_paired_notebook)
    app.connect("build-finished", serve_paired_notebooks)
    app.connect("build-finished", drop_source_maps)
    app.connect("build-finished", drop_scrollable_check)
    # Before sphinx-external-toc's own handler (priority 500), which then leaves the page be.
    app.connect("build-finished", write_front_door, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
