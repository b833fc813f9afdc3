"""Sphinx extension: an equation label in a code comment reads as the equation's number.

Code cannot use the ``{eq}`` role, so a chapter's code names the equation it computes by its
label, which survives renumbering: ``# equation (eq-pairs-clip)``. On the page this writes the
number the reader sees beside the equation, ``# equation (10.5)``, in every code block; the reader
notebooks do the same (``scripts/reader_notebook.py``). A label that names no equation of the
page stops the build (it builds with ``-W``), so a renamed equation cannot leave a stale label.
"""

from __future__ import annotations

import re
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from lean_code import CODE_BLOCK
from page_html import after_render

logger = logging.getLogger(__name__)
# The number Sphinx writes beside each labelled equation, and the label its link carries.
NUMBERED = re.compile(r'class="eqno">(\([^)<]+\))<a class="headerlink" href="#equation-([^"]+)"')
LABEL_IN_CODE = re.compile(r"\((eq-[A-Za-z0-9_-]+)\)")


def number_labels(html: str) -> str:
    """``html`` with each ``(eq-label)`` inside a code block replaced by that equation's number.

    Examples
    --------
    >>> page = ('<span class="eqno">(10.5)<a class="headerlink" href="#equation-eq-clip">#</a></span>'
    ...         '<div class="highlight"><pre>clip = 1  # equation (eq-clip)</pre></div>')
    >>> number_labels(page).endswith('<pre>clip = 1  # equation (10.5)</pre></div>')
    True
    """
    numbers = {m.group(2): m.group(1) for m in NUMBERED.finditer(html)}

    def in_block(block: re.Match[str]) -> str:
        def one(label: re.Match[str]) -> str:
            if label.group(1) not in numbers:
                logger.warning(f"a code comment names ({label.group(1)}), which is no equation of this page: "
                               "use the label of an equation the page numbers")
                return label.group(0)
            return numbers[label.group(1)]

        return block.group(1) + LABEL_IN_CODE.sub(one, block.group(2)) + block.group(3)

    return CODE_BLOCK.sub(in_block, html)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", lambda app: after_render(app, number_labels))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
