"""The training playground on the built training chapter, in headless Chromium with no kernel.

The page trains in JavaScript; lossbook trains in Python. From the same seed and settings the
two must take the same trajectory: after 100 steps their losses agree to 1e-9 (relative), for
every loss. The buttons must work by keyboard, playing must advance ``data-step``, the chart
must have a text alternative, and the widget must fit a phone in both themes.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from lossbook.widgets import TrainingPlayground
from lossbook.widgets.training_playground import LOSSES
from widget_pages import DESKTOP, PHONE

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "widgets"
PAGE = "chapters/training.html"
CSS = "lossbook-playground"
PARITY = 1e-9


@pytest.fixture
def open_playground(open_widget_page):
    """open_playground(viewport=DESKTOP) -> (page, root locator, problems)."""
    return lambda viewport=DESKTOP: open_widget_page(PAGE, CSS, viewport)


def data(root) -> dict[str, str]:
    return root.evaluate("el => ({...el.dataset})")


def click_step(root, times: int) -> None:
    # Real clicks on the Step button, in one go: 100 round trips through Playwright would be slow.
    root.get_by_role("button", name="Step").evaluate("(b, n) => { for (let i = 0; i < n; i++) b.click(); }", times)


def python_loss(steps: int, **settings) -> float:
    run = TrainingPlayground(**settings)
    run.train(steps)
    return run.loss


def test_renders_at_step_0_with_the_loss_python_gives(open_playground):
    page, root, problems = open_playground()
    shown = data(root)
    assert shown["step"] == "0"
    assert math.isclose(float(shown["loss"]), TrainingPlayground().loss, rel_tol=1e-12)
    for name in ("Play", "Step", "Reset"):
        assert root.get_by_role("button", name=name).count() == 1, name
    for name in ("Learning rate", "L2 strength", "Label smoothing"):
        assert root.get_by_role("slider", name=name).count() == 1, name
    for name in ("Dataset", "Loss", "Start from"):
        assert root.get_by_role("combobox", name=name).count() == 1, name
    assert root.locator("canvas").count() == 1
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("loss", list(LOSSES))
def test_after_100_steps_the_page_and_python_agree_for_every_loss(open_playground, loss):
    page, root, problems = open_playground()
    root.get_by_role("combobox", name="Loss").select_option(loss)
    assert data(root)["step"] == "0"
    click_step(root, 100)
    shown = data(root)
    assert shown["step"] == "100"
    expected = python_loss(100, loss=loss)
    assert math.isclose(float(shown["loss"]), expected, rel_tol=PARITY), (loss, shown["loss"], expected)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("settings", [
    {"dataset": "moons", "learning_rate": 10 ** 0.5, "l2": 0.05},
    {"dataset": "imbalanced", "loss": "squared_error", "start": "wrong"},
    {"dataset": "clouds", "label_smoothing": 0.2, "learning_rate": 10 ** -1},
], ids=["moons-l2", "imbalanced-wrong-start", "smoothing"])
def test_other_settings_agree_too(open_playground, settings):
    page, root, problems = open_playground()
    for name in ("dataset", "loss", "start"):
        if name in settings:
            label = {"dataset": "Dataset", "loss": "Loss", "start": "Start from"}[name]
            root.get_by_role("combobox", name=label).select_option(settings[name])
    sliders = {"learning_rate": ("Learning rate", math.log10), "l2": ("L2 strength", None),
               "label_smoothing": ("Label smoothing", None)}
    for name, (label, to_slider) in sliders.items():
        if name in settings:
            value = settings[name] if to_slider is None else round(to_slider(settings[name]), 2)
            root.get_by_role("slider", name=label).fill(str(value))
    click_step(root, 100)
    expected = python_loss(100, **settings)
    assert math.isclose(float(data(root)["loss"]), expected, rel_tol=PARITY), (settings, data(root), expected)
    assert not problems, "\n".join(problems)


def test_buttons_work_by_keyboard_and_play_advances_the_step(open_playground):
    page, root, problems = open_playground()
    step = root.get_by_role("button", name="Step")
    step.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    assert data(root)["step"] == "2"
    root.get_by_role("button", name="Play").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("el => Number(el.dataset.step) >= 30", arg=root.element_handle(), timeout=10_000)
    pause = root.get_by_role("button", name="Pause")
    assert pause.count() == 1
    pause.focus()
    page.keyboard.press("Space")
    stopped = data(root)["step"]
    page.wait_for_timeout(300)
    assert data(root)["step"] == stopped, "the step kept changing after Pause"
    # The page's trajectory while playing is the same as Python's.
    assert math.isclose(float(data(root)["loss"]), python_loss(int(stopped)), rel_tol=PARITY)
    root.get_by_role("button", name="Reset").focus()
    page.keyboard.press("Enter")
    assert data(root)["step"] == "0"
    assert not problems, "\n".join(problems)


def test_sliders_move_by_keyboard_and_change_the_loss(open_playground):
    page, root, problems = open_playground()
    click_step(root, 20)
    l2 = root.get_by_role("slider", name="L2 strength")
    l2.focus()
    before = data(root)["loss"]
    page.keyboard.press("ArrowRight")
    assert l2.input_value() == "0.01"
    assert data(root)["loss"] != before
    run = TrainingPlayground()
    run.train(20)
    run.l2 = 0.01  # the same weights, now with the penalty in the objective
    assert math.isclose(float(data(root)["loss"]), run.loss, rel_tol=PARITY)
    rate = root.get_by_role("slider", name="Learning rate")
    rate.focus()
    page.keyboard.press("ArrowLeft")
    assert "0.447" in rate.get_attribute("aria-valuetext")  # 10 ** -0.35
    inputs = root.evaluate("el => [...el.querySelectorAll('input, select, button')].filter(i => !i.hasAttribute('data-lm-suppress-shortcuts')).length")
    assert inputs == 0, "every control must carry data-lm-suppress-shortcuts"
    assert not problems, "\n".join(problems)


def test_the_charts_have_a_text_alternative_with_loss_accuracy_and_step(open_playground):
    page, root, problems = open_playground()
    click_step(root, 7)
    shown = data(root)
    labels = root.locator("[role=img]").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert len(labels) == 2
    for label in labels:
        assert "step 7" in label and f"loss {float(shown['loss']):.4f}" in label
        assert f"accuracy {float(shown['accuracy']):.3f}" in label
    text = root.inner_text()
    assert "Step 7" in text and f"{float(shown['loss']):.4f}" in text
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_fits_a_phone_in_both_themes(open_playground, theme, viewport):
    """Writes screenshots to test-artifacts/widgets/ for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page, root, problems = open_playground(viewport=viewport)
    page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
    click_step(root, 40)
    page.wait_for_timeout(100)  # the regions are drawn on the next frame
    box = root.bounding_box()
    width = page.evaluate("window.innerWidth")
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"overflows {width}px: {box}"
    assert root.evaluate("el => el.scrollWidth - el.clientWidth") <= 0
    colours = root.evaluate("""el => {
      const rgb = (s) => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
      let bg = el;
      while (bg && getComputedStyle(bg).backgroundColor.match(/rgba\\(.*, 0\\)|transparent/)) bg = bg.parentElement;
      return {text: rgb(getComputedStyle(el).color), background: rgb(getComputedStyle(bg || document.body).backgroundColor)};
    }""")
    lum = [sum(w * ((c / 255 / 12.92) if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4)
               for w, c in zip((0.2126, 0.7152, 0.0722), rgb)) for rgb in (colours["text"], colours["background"])]
    assert (max(lum) + 0.05) / (min(lum) + 0.05) >= 4.5, colours
    root.screenshot(path=str(ARTIFACTS / f"TrainingPlayground-{theme}-{viewport['width']}.png"))
    assert not problems, "\n".join(problems)
