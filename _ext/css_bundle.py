"""Sphinx extension: every page loads its stylesheets as one file, not eleven.

The theme and the extensions each link their own stylesheet: eleven requests on every page,
one of which (theme.css) ``@import``s a twelfth, and a browser talking HTTP/1.1 fetches at most
six at a time. Nothing on the page is drawn, and no script after them runs, until all have
arrived: on localhost that wait was a fifth of the time before a chapter was usable.

When a page is written, the run of stylesheet links every page shares (the same files, in the
same order) is replaced by one link to ``_static/styles/lossbook-bundle.css``. After the build
that file is made from those stylesheets, in that order, so the cascade is unchanged: ``@import``
is inlined, and every relative ``url()`` is rewritten to point from the bundle's folder to the
same file as before. Its ``?v=`` is the hash of its content, written into every page, so a
browser never pairs a page with an older bundle. A page whose stylesheets differ from the shared
run (a page-specific one inserted in the middle) keeps its links, with a build warning.

The bundle then keeps only the rules some page can use (``css_prune``): of the theme's 460 KB,
the Font Awesome icon rules for fonts this site does not load (its few icons are inline SVG,
_ext/inline_icons.py) and the Bootstrap components no page shows included. Its first line names
the stylesheets it was made from, so tests can rebuild the unpruned bundle and compare.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from css_prune import prune
from page_html import after_render

logger = logging.getLogger(__name__)

BUNDLE = "_static/styles/lossbook-bundle.css"
UNWRITTEN = "0"  # the ?v= a page is written with; the bundle's hash replaces it once the bundle exists
PAGE_OWN = "_static/widgets/"  # stylesheets only some pages link (_ext/widget_state.py)
# A stylesheet link Sphinx or the theme writes: rel and href in either order, href relative.
LINK = re.compile(r'[ \t]*<link (?=[^>]*\brel="stylesheet")[^>]*\bhref="(?P<href>[^"]+)"[^>]*/?>\n?')
URL = re.compile(r"""url\(\s*(?P<quote>["']?)(?P<url>[^"')]+)(?P=quote)\s*\)""")
# @import url("x.css"); or @import "x.css";
IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?["']?(?P<url>[^"')\s;]+)["']?\s*\)?\s*;""")
SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=[^*]*\*/")
MEMBERS_NOTE = "bundled from:"
SITE_SCRIPTS_SKIPPED = {"searchindex.js"}  # the search index holds every word of the book, not page markup


def local_path(href: str) -> str | None:
    """``_static/...`` path of a stylesheet link, from any page depth, or None if not local.

    The 404 page links from the site's root path, as it is served at any depth:

    >>> local_path("/lossbook/_static/a.css?v=1"), local_path("../_static/a.css"), local_path("//cdn/_static/a.css")
    ('_static/a.css', '_static/a.css', None)
    """
    path = href.split("?", 1)[0]
    while path.startswith("../"):
        path = path[3:]
    if path.startswith("/") and not path.startswith("//") and "/_static/" in path:
        path = path[path.index("/_static/") + 1:]
    return path if path.startswith("_static/") else None


def bundle_links(html: str, members: list[str], version: str) -> tuple[str, bool]:
    """``html`` with the links to ``members`` replaced by one link to the bundle; and whether it was."""
    head_end = html.find("</head>")
    links = [m for m in LINK.finditer(html, 0, head_end) if local_path(m.group("href")) is not None]
    found = [local_path(m.group("href")) for m in links]
    start = next((i for i in range(len(found)) if found[i:i + len(members)] == members), None)
    if start is None:
        return html, False
    run = links[start:start + len(members)]
    depth = run[0].group("href").split("_static/", 1)[0]
    link = f'    <link rel="stylesheet" type="text/css" href="{depth}{BUNDLE}?v={version}" />\n'
    return html[:run[0].start()] + link + html[run[-1].end():], True


def resolve(source: str, url: str) -> str:
    """The site path ``url`` points to from the stylesheet at ``source``."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), url))


def rebase_urls(css: str, source: str) -> str:
    """``css`` from the file at ``source`` (a path in the site), its relative url()s made relative to the bundle."""
    def rebase(match: re.Match[str]) -> str:
        url = match.group("url").strip()
        if re.match(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", url, re.I):
            return match.group(0)  # data:, http:, absolute or fragment: the same from anywhere
        return f'url("{posixpath.relpath(resolve(source, url), posixpath.dirname(BUNDLE))}")'
    return URL.sub(rebase, css)


def stylesheet_text(outdir: Path, path: str, seen: frozenset[str] = frozenset()) -> str:
    """The stylesheet at ``path`` with its @imports inlined, url()s relative to the bundle."""
    if path in seen:
        raise ValueError(f"css_bundle: {path} imports itself")
    css = SOURCE_MAP.sub("", (outdir / path).read_text(encoding="utf-8"))
    css = re.sub(r'^@charset "[^"]*";', "", css.lstrip("\ufeff"))

    def inline(match: re.Match[str]) -> str:
        return stylesheet_text(outdir, resolve(path, match.group("url")), seen | {path})

    return rebase_urls(IMPORT.sub(inline, css), path)


class Bundler:
    """Remembers the shared stylesheets (in the environment, for builds that write no page)."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self.written = False  # whether this build has written a page yet

    @property
    def members(self) -> list[str] | None:
        return getattr(self.app.env, "lossbook_css_bundle", None)

    def edit(self, html: str) -> str:
        head_end = html.find("</head>")
        found = [p for m in LINK.finditer(html, 0, head_end) if (p := local_path(m.group("href")))]
        # A page's own stylesheets (its widgets') are not shared; they come after the shared run.
        shared = [path for path in found if not path.startswith(PAGE_OWN)]
        if not shared:
            return html
        if not self.written:  # the first page of this build says what every page shares
            self.written = True
            self.app.env.lossbook_css_bundle = shared  # type: ignore[attr-defined]
        edited, done = bundle_links(html, self.members or shared, UNWRITTEN)
        if not done:
            title = re.search(r"<title>(.*?)</title>", html, re.S)
            logger.warning("css_bundle: %s does not link the stylesheets every page shares (%s), so it "
                           "keeps its own links", title.group(1).strip() if title else "a page", ", ".join(found),
                           type="lossbook", subtype="css")
        return edited

    def write(self, app: Sphinx, exception: Exception | None) -> None:
        if exception is not None or app.builder.format != "html" or not self.members:
            return
        outdir = Path(app.outdir)
        css = "\n".join(stylesheet_text(outdir, path) for path in self.members)
        pages = {page: page.read_text(encoding="utf-8") for page in outdir.rglob("*.html")}
        scripts = [p.read_text(encoding="utf-8", errors="replace") for p in outdir.rglob("*.js")
                   if p.name not in SITE_SCRIPTS_SKIPPED]
        css = f"/* {MEMBERS_NOTE} {' '.join(self.members)} */\n" + prune(css, [*pages.values(), *scripts])
        (outdir / BUNDLE).write_text(css, encoding="utf-8")
        version = hashlib.sha256(css.encode("utf-8")).hexdigest()[:12]
        # Pages written by earlier builds name an earlier version: every page names this one.
        for page, text in pages.items():
            updated = re.sub(r"lossbook-bundle\.css\?v=\w+", f"lossbook-bundle.css?v={version}", text)
            if updated != text:
                page.write_text(updated, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    def start(app: Sphinx) -> None:
        if app.builder.format != "html":
            return
        bundler = Bundler(app)
        after_render(app, bundler.edit)
        # After the extensions that write stylesheets when the build ends (math.css, pygments.css,
        # the widgets' styles), which run at the default priority.
        app.connect("build-finished", bundler.write, priority=900)

    app.connect("builder-inited", start)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
