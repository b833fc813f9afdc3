"""Sphinx extension: accessible names and roles fixed in the HTML the theme writes, not after load.

Each fix keeps what a sighted reader sees and makes what a screen reader announces agree with it:

1. The sidebar's search field button shows "Search Ctrl+K" but is labelled just "Search"
   (WCAG 2.5.3, label in name): without the label, its visible text is its name.
2. Citations in a ``role="list"`` carry the retired ``doc-biblioentry`` role, so the list has no
   items: each becomes a list item.
3. Every code block and table container can take focus (``tabindex="0"``), so one wider than the
   page can be scrolled from the keyboard (WCAG 2.1.1). ``assets/scrollable-focus.js`` takes
   focus away again from each one that fits, once it is near the screen; the theme's own version
   measured every box at load (see _ext/site_cleanup.py).

The colour-mode button's icons carried titles ("Light", "Dark", ...) that counted as text missing
from its label "Color mode"; _ext/inline_icons.py writes them as hidden SVG without titles.
Fixing these when the page is written means no load ever shows the page before the fix.
"""

from __future__ import annotations

import re
from typing import Any

from sphinx.application import Sphinx

from page_html import after_render

SEARCH_FIELD_LABEL = re.compile(r'(<button class="[^"]*\bsearch-button-field\b[^"]*"[^>]*?)\s+aria-label="[^"]*"')
CITATION_ROLE = re.compile(r'(<div class="citation" id="[^"]*") role="doc-biblioentry"')
SCROLLABLE_BOX = re.compile(r'<pre>|<div class="pst-scrollable-table-container">')


def fix_markup(html: str) -> str:
    html = SEARCH_FIELD_LABEL.sub(r"\1", html)
    html = CITATION_ROLE.sub(r'\1 role="listitem"', html)
    return SCROLLABLE_BOX.sub(lambda match: match.group(0)[:-1] + ' tabindex="0">', html)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", lambda app: after_render(app, fix_markup))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
