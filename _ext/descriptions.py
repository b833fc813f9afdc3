"""Sphinx extension: each page's meta description and Open Graph description, written by its author.

Search engines show a page's meta description under its title, and link previews show its
``og:description``. sphinxext-opengraph would take both from the first paragraph, which on these
pages holds TeX (``-\\ln \\hat y_c``) and citation brackets that a search result shows raw. So every
chapter names its own in its front matter::

    ---
    description: "One plain sentence, at most 160 characters, no maths."
    ---

and this extension writes it as both tags. A chapter without one, or with one that is too long or
holds TeX, stops the build (the book builds with ``-W``) and says how to fix it.
"""

from __future__ import annotations

import html
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)
MAX_LENGTH = 160  # what a search result shows before it cuts the text


def _problem(description: Any) -> str | None:
    if not isinstance(description, str) or not description.strip():
        return f"has no description (got {description!r})"
    if len(description) > MAX_LENGTH:
        return f"has a description of {len(description)} characters, more than {MAX_LENGTH}"
    if any(c in description for c in "\\$`"):
        return "has maths or markup in its description, which a search result would show raw"
    return None


def _describe(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if doctree is None:  # generated pages (search, index): see _ext/edition.py
        return
    fields = dict(context.get("meta") or {})  # a copy: the original is the saved environment's
    problem = _problem(fields.get("description"))
    if problem:
        logger.warning(f"{app.env.doc2path(pagename)} {problem}: put one plain sentence of at most "
                       f"{MAX_LENGTH} characters, no maths, as `description:` in its front matter",
                       location=pagename)
        return
    text = " ".join(fields["description"].split())
    # Read by sphinxext-opengraph, whose handler runs after this one: a page-level "og:" field
    # overrides its og:description (it escapes only quotes, so escape the rest here), and an
    # existing meta description stops it adding its own.
    fields["og:description"] = html.escape(text, quote=False)
    context["meta"] = fields
    escaped = html.escape(text, quote=True)
    context["metatags"] = f'{context.get("metatags", "")}\n<meta name="description" content="{escaped}" />'


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _describe, priority=400)  # before sphinxext-opengraph (500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
