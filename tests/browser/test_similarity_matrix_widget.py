"""SimilarityMatrix on the built website, in headless Chromium with no kernel: the loss the page
shows (``data-loss``, in nats) must equal the one Python's widget computes for the same settings
(lossbook.clip_loss or lossbook.siglip_loss) to 1e-12, and a 50-digit reference from the
similarities the page holds; every cell must show what Python's widget would. The temperature,
the bias and the CLIP/SigLIP switch are driven by fill, by input events and by the keyboard.
Screenshots of both themes at desktop and phone width land in test-artifacts/widgets/.
"""

from __future__ import annotations

import json
import math

import mpmath
import pytest
from test_widgets import (  # noqa: F401 - open_widget is a fixture
    ARTIFACTS, Widget, contrast, dataset, open_widget, open_with_state,
    set_by_fill, set_by_input_event, slider,
)
from widget_pages import DESKTOP, PHONE, reveal

from lossbook.widgets import SimilarityMatrix

MATRIX = Widget("SimilarityMatrix", "chapters/pairs.html", "lossbook-similarity", ("Temperature", "bias"))
REL_TOL = 1e-12
mpmath.mp.dps = 50


def python_widget(data: dict[str, str]) -> SimilarityMatrix:
    return SimilarityMatrix(temperature=float(data["temperature"]), mode=data["mode"], bias=float(data["bias"]))


def reference_loss(data: dict[str, str]) -> mpmath.mpf:
    tau, bias = mpmath.mpf(data["temperature"]), mpmath.mpf(data["bias"])
    S = [[mpmath.mpf(v) / tau for v in row] for row in json.loads(data["similarities"])]
    n = len(S)
    if data["mode"] == "clip":
        def ce(row, k):
            return mpmath.log(mpmath.fsum(mpmath.exp(v) for v in row)) - row[k]
        return (mpmath.fsum(ce(S[i], i) for i in range(n)) + mpmath.fsum(ce([r[i] for r in S], i) for i in range(n))) / (2 * n)
    return mpmath.fsum(mpmath.log1p(mpmath.exp(-(1 if i == j else -1) * (S[i][j] + bias)))
                       for i in range(n) for j in range(n)) / n


def assert_agrees(root) -> None:
    data = dataset(root)
    assert data["loss"] not in ("NaN", "Infinity"), data
    shown = float(data["loss"])
    widget = python_widget(data)
    assert json.loads(data["similarities"]) == widget.similarities, "the page's similarities are not Python's"
    assert math.isclose(shown, widget.loss, rel_tol=REL_TOL), f"page {shown!r} vs Python {widget.loss!r} for {data}"
    reference = float(reference_loss(data))
    assert math.isclose(shown, reference, rel_tol=REL_TOL), f"page {shown!r} vs mpmath {reference!r}"
    cells = [float(t) for t in root.locator("td").all_text_contents()]
    expected = [round(p, 3) for row in widget.probabilities for p in row]
    assert all(abs(c - e) <= 0.0005 + 1e-12 for c, e in zip(cells, expected, strict=True)), (cells, expected)


def choose(root, mode: str) -> None:
    root.get_by_role("radio", name="SigLIP" if mode == "siglip" else "CLIP").check()
    assert dataset(root)["mode"] == mode


def test_renders_with_the_loss_python_computes_and_a_table_for_screen_readers(open_widget):
    page, root, problems = open_widget(MATRIX)
    data = dataset(root)
    assert (data["mode"], data["temperature"], data["bias"]) == ("clip", "0.1", "-10")
    assert_agrees(root)
    assert root.locator("table caption").inner_text().startswith("Probability that image i goes with text j")
    assert root.locator("th[scope=col]").count() == 6 and root.locator("th[scope=row]").count() == 5
    assert root.locator("td.lossbook-pair").count() == 5
    assert slider(root, "bias").is_disabled(), "the bias slider must be off while CLIP is shown"
    unnamed = root.evaluate("""el => [...el.querySelectorAll('input')].filter(i =>
        !(i.labels && i.labels.length && i.labels[0].textContent.trim())).map(i => i.outerHTML)""")
    assert not unnamed, unnamed
    assert not problems, "\n".join(problems)


MOVES = {
    ("clip", "Temperature"): ["0.01", "1", "0.07", "0.5", "0.23"],
    ("siglip", "Temperature"): ["0.01", "1", "0.1", "0.37"],
    ("siglip", "bias"): ["-15", "5", "0", "-1.5", "-10", "-4.5"],
}


@pytest.mark.parametrize("how", [set_by_fill, set_by_input_event], ids=["fill", "input-event"])
@pytest.mark.parametrize("mode, name", list(MOVES), ids=[f"{m}-{n}" for m, n in MOVES])
def test_moving_a_slider_changes_the_loss_and_it_agrees_with_python(open_widget, mode, name, how):
    page, root, problems = open_widget(MATRIX)
    choose(root, mode)
    control = slider(root, name)
    previous = dataset(root)["loss"]
    for value in MOVES[mode, name]:
        how(control, value)
        assert control.input_value() == value
        data = dataset(root)
        assert data["loss"] != previous, f"moving {name!r} to {value} left data-loss at {previous}"
        assert_agrees(root)
        previous = data["loss"]
    assert not problems, "\n".join(problems)


def test_switching_between_clip_and_siglip_changes_the_loss_and_the_cells(open_widget):
    page, root, problems = open_widget(MATRIX)
    clip = dataset(root)["loss"]
    row_sums = [sum(float(t) for t in root.locator("tr").nth(i + 1).locator("td").all_text_contents()) for i in range(5)]
    assert all(abs(s - 1) <= 0.003 for s in row_sums), row_sums        # softmax rows sum to 1
    choose(root, "siglip")
    assert dataset(root)["loss"] != clip and slider(root, "bias").is_enabled()
    assert "σ(similarity / τ + b)" in root.locator("table caption").inner_text()
    assert_agrees(root)
    choose(root, "clip")
    assert dataset(root)["loss"] == clip
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("mode, name", list(MOVES), ids=[f"{m}-{n}" for m, n in MOVES])
def test_arrow_keys_move_each_slider_by_one_step_and_the_mode_by_one_choice(open_widget, mode, name):
    page, root, problems = open_widget(MATRIX)
    if mode == "siglip":  # by keyboard: from the checked CLIP radio, ArrowRight picks SigLIP
        root.get_by_role("radio", name="CLIP").focus()
        page.keyboard.press("ArrowRight")
        assert dataset(root)["mode"] == "siglip"
    control = slider(root, name)
    set_by_input_event(control, MOVES[mode, name][-1])
    step, start = float(control.get_attribute("step")), float(control.input_value())
    control.focus()
    for key, direction in (("ArrowRight", 1), ("ArrowRight", 2), ("ArrowLeft", 1)):
        before = dataset(root)["loss"]
        page.keyboard.press(key)
        assert math.isclose(float(control.input_value()), start + direction * step, abs_tol=1e-9)
        assert dataset(root)["loss"] != before
        assert_agrees(root)
    assert not problems, "\n".join(problems)


COLOURS_JS = """el => {
  const rgb = (s) => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  let bgEl = el;
  while (bgEl && getComputedStyle(bgEl).backgroundColor.match(/rgba\\(.*, 0\\)|transparent/)) bgEl = bgEl.parentElement;
  const cell = el.querySelector('td.lossbook-pair');
  return {
    text: rgb(getComputedStyle(el).color),
    cellText: rgb(getComputedStyle(cell).color),
    outline: rgb(getComputedStyle(cell).outlineColor),
    bar: rgb(getComputedStyle(cell).backgroundImage),
    background: rgb(getComputedStyle(bgEl || document.body).backgroundColor),
  };
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_readable_in_both_themes_and_fits_a_phone(open_widget, theme, viewport):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page, root, problems = open_widget(MATRIX, viewport=viewport)
    page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
    choose(root, "siglip")
    set_by_input_event(slider(root, "bias"), "-1.5")
    reveal(page, root)
    colours = root.evaluate(COLOURS_JS)
    for part in ("text", "cellText"):
        assert contrast(colours[part], colours["background"]) >= 4.5, (theme, part, colours)
    for part in ("outline", "bar"):
        assert contrast(colours[part], colours["background"]) >= 3.0, (theme, part, colours)
    box = root.bounding_box()
    width = page.evaluate("window.innerWidth")
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"overflows {width}px: {box}"
    assert root.evaluate("el => el.scrollWidth - el.clientWidth") <= 0
    root.screenshot(path=str(ARTIFACTS / f"SimilarityMatrix-{theme}-{viewport['width']}.png"))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("traits", [
    {"temperature": 0.0001},
    {"temperature": 0.0001, "mode": "siglip", "bias": 5.0},
    {"temperature": 50.0, "mode": "siglip", "bias": -1000.0},
], ids=["clip-tiny-tau", "siglip-tiny-tau", "siglip-huge-bias"])
def test_settings_beyond_the_sliders_set_from_python_stay_finite_and_exact(browser, base_url, watch, traits):
    """Values Python can set but the sliders cannot reach, served as if the chapter had been built with them."""
    context, root, problems = open_with_state(browser, base_url, watch, MATRIX, traits)
    assert_agrees(root)
    context.close()
    assert not problems, "\n".join(problems)


def test_the_site_was_built_with_the_current_widget_code(embedded_widget_code):
    for esm, css in embedded_widget_code(MATRIX.page, MATRIX.name):
        assert esm == str(SimilarityMatrix._esm) and css == str(SimilarityMatrix._css), (
            f"{MATRIX.page} carries old widget code: run `.venv/bin/jupyter-book clean --all .` and `make book`")
