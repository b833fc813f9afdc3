"""The token-surprisal widget on the built language-model page, in headless Chromium, no kernel.

The loss the page shows (``data-loss``, the mean surprisal in nats) must equal lossbook's for the
same settings, computed here in Python from the text and tables embedded in the page, to 1e-12
relative; so must each character's p shown on hover and on keyboard focus. The perplexity and
bits per character printed beside it must follow from that loss.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from lossbook.widgets import SurprisalText

from embedded_widgets import widget_states
from test_widgets import ARTIFACTS, COLOURS_JS, contrast
from widget_pages import DESKTOP, PHONE

PAGE = "chapters/language_models.html"
CSS = "lossbook-surprisal"
REL_TOL = 1e-12


@pytest.fixture(scope="module")
def embedded(site_dir) -> dict:
    """The widget's traits as the page embeds them (text, alphabet, tables)."""
    html = (site_dir / PAGE).read_text(encoding="utf-8")
    models = widget_states(html)
    assert models is not None, f"{PAGE} embeds no widget state; rebuild the book (make book)"
    states = [state for state in models if state.get("_anywidget_id", "").endswith(".SurprisalText")]
    assert len(states) == 1, "expected one SurprisalText on the page"
    return states[0]


def python_widget(embedded: dict, data: dict) -> SurprisalText:
    return SurprisalText(embedded["text"], embedded["alphabet"], embedded["unigram"], embedded["bigram"],
                         model=data["model"], temperature=float(data["temperature"]))


@pytest.fixture
def opened(open_widget_page):
    """opened(viewport=DESKTOP) -> (page, root locator, problems), at the widget."""
    return lambda viewport=DESKTOP: open_widget_page(PAGE, CSS, viewport)


def dataset(root) -> dict[str, str]:
    return root.evaluate("el => ({...el.dataset})")


def assert_agrees(embedded, root) -> SurprisalText:
    data = dataset(root)
    expected = python_widget(embedded, data)
    assert math.isclose(float(data["loss"]), expected.loss, rel_tol=REL_TOL), (data, expected.loss)
    readout = root.locator(".lossbook-readout").first.inner_text()
    numbers = [float(x) for x in re.findall(r"\d+\.\d+", readout)]
    assert numbers == pytest.approx([expected.loss, math.exp(expected.loss), expected.loss / math.log(2)],
                                    abs=0.006), readout
    return expected


def test_the_widget_shows_the_loss_perplexity_and_bits_python_computes(opened, embedded):
    page, root, problems = opened()
    assert dataset(root)["model"] == "bigram" and float(dataset(root)["temperature"]) == 1.0
    assert_agrees(embedded, root)
    assert root.locator(".lossbook-token").count() == len(embedded["text"]) - 1
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("how", ["fill", "input-event", "keyboard"])
def test_the_temperature_slider_changes_the_loss_and_it_agrees(opened, embedded, how):
    page, root, problems = opened()
    slider = root.get_by_role("slider", name="Temperature")
    previous = dataset(root)["loss"]
    values = ["0.25", "3", "0.5", "1.75", "1.05"]
    for value in values if how != "keyboard" else ["ArrowRight", "ArrowRight", "ArrowLeft", "End", "Home"]:
        if how == "fill":
            slider.fill(value)
        elif how == "input-event":
            slider.evaluate("(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }", value)
        else:
            slider.press(value)
        assert dataset(root)["loss"] != previous, f"{value} left the loss at {previous}"
        assert_agrees(embedded, root)
        previous = dataset(root)["loss"]
    assert not problems, "\n".join(problems)


def test_choosing_the_unigram_model_changes_the_loss_and_it_agrees(opened, embedded):
    page, root, problems = opened()
    bigram_loss = float(dataset(root)["loss"])
    root.get_by_role("radio", name="Unigram").check()
    assert dataset(root)["model"] == "unigram"
    assert_agrees(embedded, root)
    assert float(dataset(root)["loss"]) > bigram_loss  # context helps
    root.get_by_role("radio", name="Bigram").press("ArrowDown")
    assert dataset(root)["model"] in ("unigram", "bigram")
    assert_agrees(embedded, root)
    assert not problems, "\n".join(problems)


def test_hover_and_arrow_keys_show_each_characters_p_and_surprisal(opened, embedded):
    page, root, problems = opened()
    expected = python_widget(embedded, dataset(root)).surprisals()
    tokens = root.locator(".lossbook-token")
    tokens.nth(9).hover()
    data = dataset(root)
    assert data["active"] == "10"
    assert math.isclose(float(data["activeP"]), math.exp(-expected[9]), rel_tol=1e-12)
    detail = root.locator("[aria-live]").inner_text()
    assert "Character 10 of" in detail and f"{expected[9]:.3f}" in detail, detail
    passage = root.locator(".lossbook-passage")
    passage.focus()
    for key, active in (("ArrowRight", 11), ("ArrowRight", 12), ("ArrowLeft", 11), ("End", len(expected)),
                        ("Home", 1)):
        passage.press(key)
        data = dataset(root)
        assert data["active"] == str(active), (key, data["active"])
        assert math.isclose(float(data["activeP"]), math.exp(-expected[active - 1]), rel_tol=1e-12)
        assert passage.evaluate("el => document.activeElement === el"), f"{key} moved focus away"
    assert passage.get_attribute("data-lm-suppress-shortcuts") is not None
    assert not problems, "\n".join(problems)


def test_the_text_alternative_lists_the_most_surprising_characters(opened, embedded):
    page, root, problems = opened()
    expected = python_widget(embedded, dataset(root)).surprisals()
    root.locator("summary").click()
    items = root.locator(".lossbook-worst li").all_inner_texts()
    assert len(items) == 5
    shown = [float(re.search(r"−ln p = (\d+\.\d+)", item).group(1)) for item in items]
    assert shown == pytest.approx(sorted(expected, reverse=True)[:5], abs=0.0006)
    assert root.locator(".lossbook-passage").get_attribute("aria-label")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_readable_in_both_themes_and_fits_a_phone(opened, theme, viewport):
    """Writes screenshots to test-artifacts/widgets/ for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page, root, problems = opened(viewport)
    page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
    root.get_by_role("slider", name="Temperature").fill("2.5")  # darker shading: the hardest contrast
    colours = root.evaluate(COLOURS_JS.replace("el.querySelector('svg text')", "el"))
    assert contrast(colours["text"], colours["background"]) >= 4.5, (theme, colours)
    darkest = root.evaluate("""el => {
      // color-mix() computes to "color(srgb r g b / a)" with channels in [0, 1]; rgb() in [0, 255].
      const rgb = (s) => { const v = s.match(/[\\d.]+/g).map(Number);
                           return s.startsWith("color(") ? [...v.slice(0, 3).map((c) => 255 * c), ...v.slice(3)] : v; };
      const spans = [...el.querySelectorAll('.lossbook-token')];
      const worst = spans.reduce((a, b) => Number(getComputedStyle(a).getPropertyValue('--shade')) >=
                                          Number(getComputedStyle(b).getPropertyValue('--shade')) ? a : b);
      return {text: rgb(getComputedStyle(worst).color), shade: rgb(getComputedStyle(worst).backgroundColor)};
    }""")
    # The shade is drawn over the widget's background: blend it to compare text and shade.
    alpha = darkest["shade"][3] if len(darkest["shade"]) > 3 else 1.0
    blended = tuple(alpha * s + (1 - alpha) * b for s, b in zip(darkest["shade"][:3], colours["background"]))
    assert contrast(darkest["text"], blended) >= 4.5, (theme, darkest, blended)
    box = root.bounding_box()
    width = page.evaluate("window.innerWidth")
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"overflows {width}px: {box}"
    assert root.evaluate("el => el.scrollWidth - el.clientWidth") <= 0
    root.screenshot(path=str(ARTIFACTS / f"SurprisalText-{theme}-{viewport['width']}.png"))
    assert not problems, "\n".join(problems)


def test_the_site_was_built_with_the_current_widget_code(embedded_widget_code):
    for esm, css in embedded_widget_code(PAGE, "SurprisalText"):
        assert esm == str(SurprisalText._esm) and css == str(SurprisalText._css), (
            f"{PAGE} carries old widget code: run `.venv/bin/jupyter-book clean --all .` and `make book`")
