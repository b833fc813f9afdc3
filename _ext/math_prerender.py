"""Sphinx extension: typeset the book's maths when it is built, so pages load no MathJax.

Every ``$...$``, ``$$...$$`` and ``{math}`` becomes inline SVG made by MathJax 3 in Node.js
(``_ext/math_prerender.js``, with MathJax's components vendored in ``_ext/vendored/mathjax/`` by
``scripts/vendor_site_js.sh``). What a reader gets is what the browser-side MathJax drew before,
without its 2 MB script:

- the SVG takes the text colour (``currentColor``), so it follows the light and dark themes;
- a MathML copy sits beside each SVG (MathJax's assistive MathML), read by screen readers and
  kept off screen by ``_static/math.css``;
- equation numbers and ``{eq}`` links are Sphinx's own HTML, as with MathJax;
- nothing is fetched, so pages work from file:// and offline.

Glyph shapes are defined once per page (MathJax's global font cache), at the end of the page's
body. TeX that MathJax cannot parse is a build warning (an error with ``-W``) at the formula.
The build needs ``node`` (Node.js 18 or newer) on the PATH.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

from page_html import after_render

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
SCRIPT = HERE / "math_prerender.js"
COMPONENTS = HERE / "vendored" / "mathjax"
STYLESHEET = "math.css"


class Typesetter:
    """One Node.js process running MathJax, started on first use and asked one line at a time."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        self.pending_glyphs = False  # formulas typeset since the glyph definitions were last taken

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        if self._process is None or self._process.poll() is not None:
            node = shutil.which("node")
            if node is None:
                raise ExtensionError("math_prerender: the book's maths is typeset at build time with Node.js, "
                                     "and `node` is not on the PATH; install Node.js 18 or newer")
            self._process = subprocess.Popen([node, str(SCRIPT), str(COMPONENTS)], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, text=True, encoding="utf-8")
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise ExtensionError(f"math_prerender: MathJax in Node.js stopped (exit code {self._process.wait()}); "
                                 f"is {COMPONENTS} complete? scripts/vendor_site_js.sh restores it")
        return dict(json.loads(line))

    def typeset(self, tex: str, display: bool, node: nodes.Node) -> str:
        answer = self.ask({"tex": tex, "display": display})
        if "error" in answer:
            logger.warning("MathJax cannot typeset %r: %s", tex, answer["error"], location=node,
                           type="lossbook", subtype="math")
            return f'<code class="math-error">{html.escape(tex)}</code>'
        self.pending_glyphs = True
        return str(answer["html"])

    def take_glyphs(self) -> str:
        if not self.pending_glyphs:
            return ""
        self.pending_glyphs = False
        return str(self.ask({"defs": True})["html"])

    def close(self) -> None:
        if self._process is not None:
            self._process.stdin.close()  # type: ignore[union-attr]
            self._process.wait(timeout=30)
            self._process = None


TYPESETTER = Typesetter()


def visit_math(self: Any, node: nodes.math) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(TYPESETTER.typeset(node.astext(), False, node) + "</span>")
    raise nodes.SkipNode


def display_tex(node: nodes.math_block) -> str:
    """The TeX of a display block, arranged as Sphinx arranges it for MathJax."""
    if node["nowrap"]:
        return node.astext()
    parts = [part for part in node.astext().split("\n\n") if part.strip()]
    parts = [rf"\begin{{split}}{part}\end{{split}}" if r"\\" in part else part for part in parts]
    if len(parts) > 1:  # several equations: one below the other, aligned
        return r"\begin{aligned}" + r"\\".join(parts) + r"\end{aligned}"
    return parts[0] if parts else ""


def visit_displaymath(self: Any, node: nodes.math_block) -> None:
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node["number"] and not node["nowrap"]:
        self.body.append(f'<span class="eqno">({get_node_equation_number(self, node)})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    self.body.append(TYPESETTER.typeset(display_tex(node), True, node) + "</div>\n")
    raise nodes.SkipNode


def add_glyphs(html: str) -> str:
    """Define the glyphs of the page's formulas, once, before </body>.

    Pages are edited after the whole template is rendered, so formulas outside the body (a
    heading's maths in the page's table of contents, say) are covered too.
    """
    head, tail = html.rsplit("</body>", 1)
    return f"{head}{TYPESETTER.take_glyphs()}\n</body>{tail}"


def on_builder_inited(app: Sphinx) -> None:
    if getattr(app.builder, "math_renderer_name", None) == "prerender":
        after_render(app, add_glyphs)


def write_stylesheet(app: Sphinx, exception: Exception | None) -> None:
    try:
        if exception is None and app.builder.format == "html":
            css = TYPESETTER.ask({"css": True})["css"]
            Path(app.outdir, "_static", STYLESHEET).write_text(
                "/* MathJax's rules for its SVG output, written by _ext/math_prerender.py */\n" + css,
                encoding="utf-8")
    finally:
        TYPESETTER.close()


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_html_math_renderer("prerender", (visit_math, None), (visit_displaymath, None))
    app.add_css_file(STYLESHEET)
    app.connect("builder-inited", on_builder_inited)
    app.connect("build-finished", write_stylesheet)
    # Each parallel writer process starts its own Node.js.
    return {"parallel_read_safe": True, "parallel_write_safe": True}
