"""The lean SVG the build writes for each formula draws the same pixels as MathJax's own.

_ext/math_prerender.js drops MathJax's data attributes from each formula's SVG, unwraps the groups
left bare and folds single-glyph moves into the glyph, to halve the elements a page carries. Here
MathJax typesets a set of formulas shaped like the book's (fractions, sub- and superscripts, sums,
roots, arrays, cases, text, big delimiters, accents) both ways; Chromium draws each, and the two
screenshots must be identical, in both colour themes' text colours.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "_ext" / "math_prerender.js"
COMPONENTS = ROOT / "_ext" / "vendored" / "mathjax"
FORMULAS = [
    r"H(p, q) = -\sum_{k=1}^{K} p_k \log q_k",
    r"\frac{\partial L}{\partial z_k} = \sigma(z)_k - y_k",
    r"\operatorname{softmax}(z)_k = \frac{e^{z_k}}{\sum_{j} e^{z_j}}",
    r"\ell(p, y) = -\bigl[y \log p + (1 - y) \log(1 - p)\bigr]",
    r"\hat{y} = \arg\max_k \; W x + b, \quad \|W\|_F^2 = \sum_{i,j} W_{ij}^2",
    r"\begin{aligned} a &= \sqrt{x^2 + \tfrac{1}{2}} \\ b &\approx 1.5\ \text{bits} \end{aligned}",
    r"y = \begin{cases} 1 & \text{if } z > 0 \\ 0 & \text{otherwise} \end{cases}",
    r"\left( \begin{array}{cc} 1 & 0 \\ 0 & 1 \end{array} \right) \mathbf{x} = \tilde{x}",
    r"\mathrm{FL}(p_t) = -\alpha_t (1 - p_t)^{\gamma} \log(p_t)",
]


def typeset(requests: list[dict]) -> list[dict]:
    if shutil.which("node") is None:
        pytest.fail("Node.js is needed (apt-get install nodejs); the book build needs it too")
    lines = "".join(json.dumps(request) + "\n" for request in requests)
    result = subprocess.run(["node", str(SCRIPT), str(COMPONENTS)], input=lines, capture_output=True,
                            text=True, timeout=120, check=True)
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="module")
def typeset_pairs() -> tuple[list[tuple[str, str]], str, str]:
    """([(raw html, lean html)] for each formula, inline and displayed; the glyph defs; the CSS)."""
    requests = [{"tex": tex, "display": display, "raw": raw}
                for tex in FORMULAS for display in (True, False) for raw in (True, False)]
    *formulas, defs, css = typeset([*requests, {"defs": True}, {"css": True}])
    assert all("html" in answer for answer in formulas), [a for a in formulas if "html" not in a]
    html = [answer["html"] for answer in formulas]
    return list(zip(html[::2], html[1::2], strict=True)), defs["html"], css["css"]


@pytest.mark.parametrize("colour", ["#222832", "#ced6dd"], ids=["light-text", "dark-text"])
def test_lean_svg_draws_the_same_pixels_as_mathjax(browser, typeset_pairs, colour):
    pairs, defs, css = typeset_pairs
    page = browser.new_page(viewport={"width": 1400, "height": 600})
    page.set_content(f"<!DOCTYPE html><html><head><meta charset='utf-8'><style>{css} body {{ margin: 0; color: {colour}; }}"
                     f"#formula {{ position: absolute; left: 10px; top: 10px; padding: 4px; font-size: 20px; }}</style>"
                     f"</head><body>{defs}<div id='formula'></div></body></html>")
    formula = page.locator("#formula")
    different, elements = [], [0, 0]
    for n, (raw, lean) in enumerate(pairs):
        shots = []
        for which, html in enumerate((raw, lean)):
            formula.evaluate("(el, html) => { el.innerHTML = html; }", html)
            elements[which] += formula.evaluate("el => el.querySelectorAll('svg *').length")
            shots.append(formula.screenshot())
        if shots[0] != shots[1]:
            different.append(FORMULAS[n // 2])
    page.close()
    assert not different, f"formulas drawn differently: {different}"
    assert elements[1] < 0.6 * elements[0], f"SVG elements, MathJax vs lean: {elements}"
