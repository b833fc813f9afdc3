"""The live widgets on the built website, driven in a real browser with no kernel.

Each chapter page embeds its widget's state; the page's own scripts must render it, every slider
must change the loss, and the loss the page shows (the root element's ``data-loss``) must agree
with lossbook, computed here in Python for the same inputs, to 1e-12 relative, and with an
independent high-precision reference (mpmath). Sliders are moved three ways a reader's browser
can: Playwright's fill, setting the value and dispatching an ``input`` event, and the keyboard.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import mpmath
import numpy as np
import pytest

import lossbook as lb
from embedded_widgets import STATE_SCRIPT
from widget_pages import DESKTOP, PHONE, reveal

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "widgets"
REL_TOL = 1e-12
mpmath.mp.dps = 40


@dataclass(frozen=True)
class Widget:
    name: str
    page: str  # the chapter that displays it, relative to the site root
    css: str  # the class on the widget's root element
    sliders: tuple[str, ...]  # accessible names, in page order, matched as substrings


CONFIDENCE = Widget("ConfidenceSlider", "chapters/cross_entropy.html", "lossbook-confidence", ("true class",))
BERNOULLI = Widget("BernoulliExplorer", "chapters/bernoulli.html", "lossbook-bernoulli",
                   ("Predicted probability", "logit", "Label"))
SOFTMAX = Widget("SoftmaxExplorer", "chapters/softmax.html", "lossbook-softmax",
                 ("class 0", "class 1", "class 2"))
FOCAL = Widget("FocalLossExplorer", "chapters/imbalance.html", "lossbook-focal",
               ("Focusing parameter", "Class weight", "true class"))
WIDGETS = (CONFIDENCE, BERNOULLI, SOFTMAX, FOCAL)


# --- what the loss should be, from the inputs the page reports on data-* attributes -------------

def lossbook_loss(widget: Widget, data: dict[str, str]) -> float:
    if widget is CONFIDENCE:
        p = float(data["p"])
        return float(lb.cross_entropy(np.array([[p, 1.0 - p]]), np.array([0])))
    if widget is BERNOULLI:
        return float(lb.binary_cross_entropy(np.array([float(data["p"])]), np.array([float(data["y"])])))
    if widget is FOCAL:
        from lossbook.widgets import FocalLossExplorer

        return FocalLossExplorer(gamma=float(data["gamma"]), alpha=float(data["alpha"]), p_t=float(data["pT"])).loss
    logits = np.array([json.loads(data["logits"])], dtype=float)
    return float(lb.cross_entropy(logits, np.array([int(data["target"])]), from_logits=True))


def reference_loss(widget: Widget, data: dict[str, str]) -> mpmath.mpf:
    """The same loss from its definition, in 40-digit arithmetic."""
    if widget is CONFIDENCE:
        p = mpmath.mpf(data["p"])
        return mpmath.inf if p == 0 else -mpmath.log(p)
    if widget is BERNOULLI:
        p, y = mpmath.mpf(data["p"]), mpmath.mpf(data["y"])
        terms = [w * -mpmath.log(q) for w, q in ((y, p), (1 - y, 1 - p)) if w != 0]
        return mpmath.fsum(terms)
    if widget is FOCAL:
        p, gamma, alpha = (mpmath.mpf(data[k]) for k in ("pT", "gamma", "alpha"))
        weight = alpha * (1 - p) ** gamma
        return mpmath.mpf(0) if weight == 0 else weight * (mpmath.inf if p == 0 else -mpmath.log(p))
    z = [mpmath.mpf(v) for v in json.loads(data["logits"])]
    return mpmath.log(mpmath.fsum(mpmath.exp(v) for v in z)) - z[int(data["target"])]


def assert_agrees(widget: Widget, data: dict[str, str]) -> None:
    shown = float(data["loss"])  # the page's String(number): "Infinity" parses, "NaN" must not appear
    assert data["loss"] != "NaN", f"{widget.name} shows NaN for {data}"
    expected = lossbook_loss(widget, data)
    reference = reference_loss(widget, data)
    assert math.isclose(shown, expected, rel_tol=REL_TOL, abs_tol=0.0), \
        f"{widget.name}: page {shown!r} vs lossbook {expected!r} for {data}"
    assert math.isclose(shown, float(reference), rel_tol=REL_TOL, abs_tol=0.0), \
        f"{widget.name}: page {shown!r} vs mpmath {mpmath.nstr(reference, 20)} for {data}"


# --- driving the page -----------------------------------------------------------------------------

@pytest.fixture
def open_widget(open_widget_page):
    """open_widget(widget, viewport=DESKTOP) -> (page, root locator, problems)."""
    return lambda widget, viewport=DESKTOP: open_widget_page(widget.page, widget.css, viewport)


def dataset(root) -> dict[str, str]:
    return root.evaluate("el => ({...el.dataset})")


def slider(root, name: str):
    return root.get_by_role("slider", name=name)


def set_by_fill(control, value: str) -> None:
    control.fill(value)


def set_by_input_event(control, value: str) -> None:
    control.evaluate("(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }", value)


# Values on each slider's step grid, including both ends, each different from the last, and
# ending a few steps away from either end.
MOVES = {
    (CONFIDENCE, "true class"): ["0.5", "0.001", "1", "0.999", "0.013", "0.37", "0.9"],
    (BERNOULLI, "Predicted probability"): ["0.001", "0.999", "0.5", "0.123", "0.7"],
    (BERNOULLI, "logit"): ["-7", "7", "0", "-2.35", "4.56"],
    (BERNOULLI, "Label"): ["0", "0.5", "1", "0.01", "0.99", "0.8"],
    (SOFTMAX, "class 0"): ["-10", "10", "0", "4.9", "-3.3"],
    (SOFTMAX, "class 1"): ["10", "-10", "5", "4.1", "0"],
    (SOFTMAX, "class 2"): ["10", "-10", "5", "1.9", "0.3"],
    (FOCAL, "Focusing parameter"): ["0", "5", "0.5", "1", "3.7", "2"],
    (FOCAL, "Class weight"): ["1", "0", "0.5", "0.01", "0.99", "0.25"],
    (FOCAL, "true class"): ["0.001", "1", "0.5", "0.999", "0.05", "0.3"],
}


def test_every_widget_renders_on_its_chapter_page_with_the_loss_lossbook_gives(open_widget):
    for widget in WIDGETS:
        page, root, problems = open_widget(widget)
        data = dataset(root)
        assert_agrees(widget, data)
        for name in widget.sliders:
            assert slider(root, name).count() == 1, f"{widget.name}: no slider named like {name!r}"
        assert root.locator("svg").count() >= 1, f"{widget.name}: no chart"
        assert root.inner_text().strip(), f"{widget.name}: renders no text"
        assert not problems, "\n".join(problems)


@pytest.mark.parametrize("how", [set_by_fill, set_by_input_event], ids=["fill", "input-event"])
@pytest.mark.parametrize("widget, name", list(MOVES), ids=[f"{w.name}-{n}" for w, n in MOVES])
def test_moving_a_slider_changes_the_loss_and_it_agrees_with_lossbook(open_widget, widget, name, how):
    page, root, problems = open_widget(widget)
    control = slider(root, name)
    previous = dataset(root)["loss"]
    for value in MOVES[widget, name]:
        how(control, value)
        assert control.input_value() == value, f"the slider snapped {value} to {control.input_value()}"
        data = dataset(root)
        assert data["loss"] != previous, f"{widget.name}: moving {name!r} to {value} left data-loss at {previous}"
        assert_agrees(widget, data)
        previous = data["loss"]
    assert not problems, "\n".join(problems)


def test_the_logit_slider_sets_p_to_the_sigmoid_of_the_logit(open_widget):
    page, root, problems = open_widget(BERNOULLI)
    for z in ("-7", "-1.5", "0", "2.25", "7"):
        set_by_input_event(slider(root, "logit"), z)
        p = float(dataset(root)["p"])
        assert math.isclose(p, float(lb.sigmoid(np.array([float(z)]))[0]), rel_tol=1e-15)
        # the probability slider follows, to its 0.001 grid
        assert abs(float(slider(root, "Predicted probability").input_value()) - p) <= 0.0005 + 1e-12
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("widget, name", list(MOVES), ids=[f"{w.name}-{n}" for w, n in MOVES])
def test_arrow_keys_move_every_slider_by_one_step(open_widget, widget, name):
    page, root, problems = open_widget(widget)
    control = slider(root, name)
    step = float(control.get_attribute("step"))
    set_by_input_event(control, MOVES[widget, name][-1])  # each list ends inside the range, away from both ends
    start = float(control.input_value())
    control.focus()
    for key, direction in (("ArrowRight", 1), ("ArrowRight", 2), ("ArrowLeft", 1)):
        before = dataset(root)["loss"]
        page.keyboard.press(key)
        assert math.isclose(float(control.input_value()), start + direction * step, abs_tol=1e-9)
        data = dataset(root)
        assert data["loss"] != before, f"{widget.name}: {key} on {name!r} did not change data-loss"
        assert_agrees(widget, data)
    assert not problems, "\n".join(problems)


def test_choosing_the_true_class_changes_the_softmax_loss(open_widget):
    page, root, problems = open_widget(SOFTMAX)
    losses = {}
    for k in (2, 1, 0):
        root.get_by_role("radio", name=f"class {k}").check()
        data = dataset(root)
        assert data["target"] == str(k)
        assert_agrees(SOFTMAX, data)
        losses[k] = float(data["loss"])
    assert len(set(losses.values())) == 3, losses
    # The gradient bars' labels: p - y is negative exactly for the true class.
    labels = root.locator("svg text.lossbook-small").all_text_contents()
    gradients = [float(t) for t in labels[1::2]]
    assert [g < 0 for g in gradients] == [True, False, False], labels
    assert not problems, "\n".join(problems)


def test_sliders_have_accessible_names_and_are_range_inputs(open_widget):
    for widget in WIDGETS:
        page, root, problems = open_widget(widget)
        unnamed = root.evaluate(
            """el => [...el.querySelectorAll('input')].filter(i =>
                   !(i.labels && i.labels.length && i.labels[0].textContent.trim()) && !i.getAttribute('aria-label'))
                 .map(i => i.outerHTML)""")
        assert not unnamed, f"{widget.name}: inputs without an accessible name: {unnamed}"
        kinds = root.evaluate("el => [...el.querySelectorAll('[role=slider], input')].map(i => i.type)")
        assert set(kinds) <= {"range", "radio"}, kinds


def relative_luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    la, lb_ = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb_ + 0.05)


COLOURS_JS = """el => {
  const rgb = (s) => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  let bgEl = el;
  while (bgEl && getComputedStyle(bgEl).backgroundColor.match(/rgba\\(.*, 0\\)|transparent/)) bgEl = bgEl.parentElement;
  const background = rgb(getComputedStyle(bgEl || document.body).backgroundColor);
  const marks = [...el.querySelectorAll('.lossbook-curve, .lossbook-bar')];
  return {
    text: rgb(getComputedStyle(el).color),
    svgText: rgb(getComputedStyle(el.querySelector('svg text')).fill),
    marks: marks.map(m => rgb(getComputedStyle(m)[m.tagName === 'path' ? 'stroke' : 'fill'])),
    background,
  };
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_widgets_are_readable_in_both_themes_and_fit_a_phone(open_widget, theme, viewport):
    """Writes a screenshot of each widget to test-artifacts/widgets/ for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for widget in WIDGETS:
        page, root, problems = open_widget(widget, viewport=viewport)
        page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
        root.scroll_into_view_if_needed()
        colours = root.evaluate(COLOURS_JS)
        assert contrast(colours["text"], colours["background"]) >= 4.5, (theme, colours)
        assert contrast(colours["svgText"], colours["background"]) >= 4.5, (theme, colours)
        for mark in colours["marks"]:
            assert contrast(mark, colours["background"]) >= 3.0, (theme, mark, colours["background"])
        box = root.bounding_box()
        width = page.evaluate("window.innerWidth")
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{widget.name} overflows {width}px: {box}"
        inner = root.evaluate("el => el.scrollWidth - el.clientWidth")
        assert inner <= 0, f"{widget.name} has content {inner}px wider than itself at {width}px"
        root.screenshot(path=str(ARTIFACTS / f"{widget.name}-{theme}-{viewport['width']}.png"))
        assert not problems, "\n".join(problems)


def with_state(html: str, widget: Widget, **traits) -> str:
    """The page's HTML with the embedded state of its ``widget`` changed, as if built with ``traits``."""
    def edit(match: re.Match) -> str:
        state = json.loads(match.group(2))
        models = [m for m in state["state"].values()
                  if m["state"].get("_anywidget_id", "").endswith("." + widget.name)]
        assert models, f"no {widget.name} in the page's widget state"
        for model in models:
            model["state"].update(traits)
        return match.group(1) + json.dumps(state).replace("</", "<\\/") + match.group(3)

    edited, count = STATE_SCRIPT.subn(edit, html)
    assert count == 1, "expected one embedded widget state"
    return edited


def open_with_state(browser, base_url, watch, widget: Widget, traits: dict):
    """Open ``widget``'s page served as if the chapter had been built with ``traits``:
    returns (browser context, the widget's root locator, problems)."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    problems = watch(page)
    url = f"{base_url}/{widget.page}"

    def serve_edited(route) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=with_state(response.text(), widget, **traits))

    page.route(url, serve_edited)
    page.goto(url, wait_until="load")
    root = page.locator(f".{widget.css}[data-loss]").first
    root.wait_for(timeout=20_000)
    reveal(page, root)
    return context, root, problems


@pytest.mark.parametrize("widget, traits, loss", [
    (CONFIDENCE, {"p": 0.0}, "Infinity"),
    (CONFIDENCE, {"p": 1.0}, "0"),
    (BERNOULLI, {"p": 0.0, "y": 1.0}, "Infinity"),
    (BERNOULLI, {"p": 0.0, "y": 0.0}, "0"),
    (BERNOULLI, {"p": 1.0, "y": 0.5}, "Infinity"),
    (SOFTMAX, {"logits": [700.0, -700.0, 0.0], "target": 1}, "1400"),
    (FOCAL, {"p_t": 0.0}, "Infinity"),
    (FOCAL, {"p_t": 0.0, "alpha": 0.0}, "0"),
    (FOCAL, {"p_t": 1.0, "gamma": 0.0}, "0"),
], ids=["p0", "p1", "p0-y1", "p0-y0", "p1-soft", "huge-logits", "focal-p0", "focal-p0-alpha0", "focal-p1-gamma0"])
def test_edge_values_set_from_python_show_infinity_or_zero_never_nan(browser, base_url, watch, widget, traits, loss):
    """Values the sliders cannot reach but Python can set, served as if the chapter had been built with them."""
    context, root, problems = open_with_state(browser, base_url, watch, widget, traits)
    data = dataset(root)
    assert data["loss"] == loss, data
    if loss == "Infinity":
        assert "∞" in root.inner_text()
    else:
        assert_agrees(widget, data)
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page, name", [*((w.page, w.name) for w in WIDGETS), ("chapters/training.html", "TrainingPlayground")],
                         ids=[*(w.name for w in WIDGETS), "TrainingPlayground"])
def test_the_site_was_built_with_the_current_widget_code(embedded_widget_code, page, name):
    """A cached build keeps each chapter's executed widget state, browser code included, so edits
    to lossbook/widgets/*.js or *.css reach the site only when the chapters execute again."""
    import lossbook.widgets

    cls = getattr(lossbook.widgets, name)
    for esm, css in embedded_widget_code(page, name):
        assert esm == str(cls._esm) and css == str(cls._css), (
            f"{page} carries old widget code: run `.venv/bin/jupyter-book clean --all .` and `make book`")
