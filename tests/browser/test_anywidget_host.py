"""The site's widget host (assets/anywidget-host.js) on small pages written here, opened from
file:// as a reader of the downloaded site would: the model API a widget module sees, and the
message a reader gets where a widget is not an anywidget."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = ROOT / "assets" / "anywidget-host.js"

# A widget module that records what the model API does, on the page, for the test to read.
PROBE_ESM = """
const log = (window.probeLog ??= []);
export default {
  initialize({ model }) { log.push(`initialize n=${model.get("n")}`); },
  render({ model, el }) {
    log.push(`render n=${model.get("n")}`);
    const onN = (m, value) => log.push(`change:n ${value} ${m === model}`);
    model.on("change:n change:words", onN);
    model.on("change", () => log.push("change"));
    model.on("change:n", function () { log.push(`context ${this.tag}`); }, { tag: "given" });
    const button = document.createElement("button");
    button.textContent = "step";
    button.addEventListener("click", () => {
      model.set("n", model.get("n") + 1);
      model.set("n", model.get("n"));  // unchanged: no event
      model.set("words", ["a", "b"]);  // equal to the current value: no event
      model.save_changes();
      model.send({ any: "message" });
      if (model.get("n") === 3) model.off("change:n", onN);
    });
    el.append(button);
    window.probeModel = model;
  },
};
"""

CSS = ".probe-marker { outline: 3px solid rgb(1, 2, 3); }"


def write_page(directory: Path, models: dict, views: list[str], *, host: str = "defer", after: str = "") -> Path:
    """A page with the widget state and the host in its head (loaded ``host``: defer or async), the
    views in its body, and ``after`` (more tags) at the end of the body."""
    shutil.copy(HOST, directory / "anywidget-host.js")
    state = {"version_major": 2, "version_minor": 0, "state": models}
    view_scripts = "\n".join(
        f'<div><script type="application/vnd.jupyter.widget-view+json">'
        f'{json.dumps({"version_major": 2, "version_minor": 0, "model_id": model_id})}</script></div>'
        for model_id in views
    )
    page = directory / "page.html"
    page.write_text(f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>host</title>
<script type="application/vnd.jupyter.widget-state+json">{json.dumps(state)}</script>
<script {host} src="anywidget-host.js"></script></head>
<body><main>{view_scripts}</main>{after}</body></html>""", encoding="utf-8")
    return page


def anywidget(esm: str, **traits) -> dict:
    return {"model_module": "anywidget", "model_name": "AnyModel", "model_module_version": "~0.11.*",
            "state": {"_esm": esm, "_css": CSS, "_dom_classes": ["probe-marker"], **traits}}


def open_file(browser, watch, page_file: Path):
    context = browser.new_context()
    page = context.new_page()
    problems = watch(page)
    page.goto(page_file.as_uri(), wait_until="load")
    page.wait_for_selector(".anywidget-view[data-anywidget]")
    return page, problems


def test_the_host_gives_a_widget_module_the_anywidget_model_api(browser, watch, tmp_path):
    page_file = write_page(tmp_path, {"m1": anywidget(PROBE_ESM, n=1, words=["a", "b"])}, ["m1", "m1"])
    page, problems = open_file(browser, watch, page_file)
    page.wait_for_function("document.querySelectorAll('[data-anywidget=ready]').length === 2")
    # One model for both views: initialised once, rendered twice.
    assert page.evaluate("probeLog") == ["initialize n=1", "render n=1", "render n=1"]
    page.evaluate("probeLog.length = 0")
    page.locator("button").first.click()
    # Each view's listeners hear the change once; equal values and save/send raise nothing.
    assert page.evaluate("probeLog") == ["change:n 2 true", "context given", "change:n 2 true", "context given",
                                         "change", "change"]
    page.evaluate("probeLog.length = 0")
    page.locator("button").first.click()  # n becomes 3: the first view then removes its onN, only that
    page.evaluate("probeLog.length = 0")
    page.locator("button").nth(1).click()
    assert page.evaluate("probeLog") == ["context given", "change:n 4 true", "context given", "change", "change"]
    # The stylesheet is added once and the model's DOM classes reach the view's element.
    assert page.locator("style#anywidget-css-m1").count() == 1
    assert page.locator(".anywidget-view.probe-marker").count() == 2
    assert page.evaluate("typeof probeModel.widget_manager.get_model") == "function"
    assert page.evaluate("probeModel.widget_manager.get_model('m1').then(m => m === probeModel)")
    page.context.close()
    assert not problems, "\n".join(problems)


def test_a_widget_that_is_not_an_anywidget_is_refused_with_a_visible_message(browser, watch, tmp_path):
    slider = {"model_module": "@jupyter-widgets/controls", "model_name": "IntSliderModel",
              "model_module_version": "2.0.0", "state": {"value": 3}}
    page_file = write_page(tmp_path, {"s1": slider, "m1": anywidget(PROBE_ESM, n=1, words=[])}, ["s1", "m1"])
    page, problems = open_file(browser, watch, page_file)
    page.wait_for_function("document.querySelectorAll('.anywidget-view[data-anywidget]').length === 2")
    message = page.locator(".anywidget-refused")
    assert message.count() == 1 and message.is_visible()
    assert "@jupyter-widgets/controls.IntSliderModel is not an anywidget" in message.inner_text()
    assert "notebook" in message.inner_text()  # tells the reader where the widget does work
    # The anywidget beside it still runs.
    assert page.locator("[data-anywidget=ready]").count() == 1
    page.context.close()
    assert problems == ["console error: anywidget-host: @jupyter-widgets/controls.IntSliderModel is not an anywidget"]


def test_a_shared_module_that_arrives_after_the_async_host_still_runs(browser, watch, tmp_path):
    """The build moves each module into a shared file (_ext/widget_state.py) loaded async, like the host:
    whichever runs first, the widget must start. Here the file is added only once the host has placed
    the view and waits for the module."""
    sys.path.insert(0, str(ROOT / "_ext"))
    from widget_state import SHARED, module_script

    (tmp_path / "probe-0.js").write_text(module_script("probe-0.js", PROBE_ESM), encoding="utf-8")
    page_file = write_page(tmp_path, {"m1": anywidget(SHARED + "probe-0.js", n=1, words=[])}, ["m1"],
                           host="async", after='<script>new MutationObserver((records, observer) => {'
                           ' if (!document.querySelector(".anywidget-view")) return; observer.disconnect();'
                           ' window.hostWaited = true;'
                           ' document.body.append(Object.assign(document.createElement("script"), {src: "probe-0.js"}));'
                           ' }).observe(document.body, {childList: true, subtree: true});</script>')
    page, problems = open_file(browser, watch, page_file)
    page.wait_for_function("document.querySelectorAll('[data-anywidget=ready]').length === 1")
    assert page.evaluate("probeLog") == ["initialize n=1", "render n=1"]
    assert page.evaluate("window.hostWaited") is True, "the host had not started before the module arrived"
    page.context.close()
    assert not problems, "\n".join(problems)


def test_a_shared_module_that_never_loads_is_a_visible_message(browser, watch, tmp_path):
    sys.path.insert(0, str(ROOT / "_ext"))
    from widget_state import SHARED

    page_file = write_page(tmp_path, {"m1": anywidget(SHARED + "missing-0.js", n=1, words=[])}, ["m1"], host="async")
    page, problems = open_file(browser, watch, page_file)
    message = page.locator(".anywidget-refused")
    assert message.is_visible() and "_static/widgets/missing-0.js did not load" in message.inner_text()
    page.context.close()
    assert problems == ["console error: anywidget-host: it failed to start: Error: its module "
                        "_static/widgets/missing-0.js did not load"]
