"""Sphinx extension: every page in ``sitemap.xml``, after an incremental build too.

sphinx-sitemap lists the pages written by the current build only (its open issue
jdillard/sphinx-sitemap#13): after an author changes one chapter and builds again, the sitemap
names that chapter alone, and a deployed copy of it hides the rest of the book from search
engines. Just before sphinx-sitemap writes the file, this adds every other page of the book to
its queue, as sphinx-sitemap itself would have, so an incremental build writes the same sitemap
as a fresh one.
"""

from __future__ import annotations

import queue
from typing import Any

from sphinx.application import Sphinx


def _complete(app: Sphinx, exception: Exception | None) -> None:
    links = getattr(app.env.app, "sitemap_links", None)
    if exception is not None or links is None or app.builder.format != "html":
        return
    queued = []
    while True:  # drain the queue (a multiprocessing one, filled by parallel writers too)
        try:
            queued.append(links.get_nowait())
        except queue.Empty:
            break
    for item in queued:
        links.put(item)
    written = {link for link, _ in queued}
    from sphinx_sitemap import add_html_link

    for docname in sorted(app.env.found_docs):
        if app.builder.get_target_uri(docname) not in written:
            add_html_link(app, docname, "page.html", {}, None)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_sitemap")
    app.connect("build-finished", _complete, priority=400)  # before sphinx-sitemap writes (500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
