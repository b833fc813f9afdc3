"""The build ships each page only the widgets it shows, with their code in shared files (_ext/widget_state.py).

A one-page Sphinx project is built from an executed notebook (no kernel) with the book's own
extensions: its kernel made two widgets and a layout, and one cell displays the first. The
written page must embed only that widget and its layout, name a shared module file instead of
carrying the module text, load that file before the host, and link the shared stylesheet; the
file, run by Node.js as the browser would, must hand the host the module text unchanged.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from executed_notebook_site import build_site

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))

from widget_state import SHARED, needed_models  # noqa: E402

# Text a naive writer would break: quotes, a backslash, a closing script tag, non-ASCII, U+2028.
ESM = 'export default { render({ el }) { el.textContent = "p \\u2264 1 </script> \\\\ \u2028 é"; } };\n'
CSS = ".shown { color: red; }\n"
STATE = {
    "shown": {"model_module": "anywidget", "model_name": "AnyModel", "model_module_version": "~0.11.*",
              "state": {"_esm": ESM, "_css": CSS, "_anywidget_id": "pkg.widgets.Shown", "layout": "IPY_MODEL_layout1",
                        "value": 0.25}},
    "layout1": {"model_module": "@jupyter-widgets/base", "model_name": "LayoutModel",
                "model_module_version": "2.0.0", "state": {}},
    "unshown": {"model_module": "anywidget", "model_name": "AnyModel", "model_module_version": "~0.11.*",
                "state": {"_esm": "export default {};", "_css": "", "_anywidget_id": "pkg.widgets.Unshown"}},
}
STATE_SCRIPT = re.compile(r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("book")
    result = build_site(source, ["anywidget_check", "widget_state"], STATE, shown="shown",
                        extra_conf='nb_ipywidgets_js = {"host.js": {"defer": "defer"}}\n')
    assert result.returncode == 0, result.stderr
    return source / "out"


def page_state(built: Path) -> dict:
    match = STATE_SCRIPT.search((built / "index.html").read_text(encoding="utf-8"))
    assert match, "the page embeds no widget state"
    return json.loads(match.group(1).replace("<\\/", "</"))["state"]


def test_the_page_embeds_only_the_shown_widget_and_what_it_refers_to(built):
    state = page_state(built)
    assert sorted(state) == ["layout1", "shown"]
    assert state["shown"]["state"]["value"] == 0.25 and state["shown"]["state"]["layout"] == "IPY_MODEL_layout1"


def test_the_module_is_a_shared_file_loaded_before_the_host_and_returns_the_text_unchanged(built):
    if shutil.which("node") is None:
        pytest.fail("Node.js is needed (apt-get install nodejs); the build itself needs it too")
    esm = page_state(built)["shown"]["state"]["_esm"]
    assert esm.startswith(SHARED)
    name = esm.removeprefix(SHARED)
    assert re.fullmatch(r"shown-[0-9a-f]{12}\.js", name), name
    html = (built / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script [^>]*\bsrc="_static/([^"?]+)', html)
    assert scripts.index(f"widgets/{name}") < scripts.index("host.js"), scripts
    assert f'<script async="async" fetchpriority="high" src="_static/widgets/{name}">' in html
    file = built / "_static" / "widgets" / name
    program = ("globalThis.self = new EventTarget(); let announced = null;"
               "self.addEventListener('lossbook-widget-module', (event) => { announced = event.detail; });"
               f"{file.read_text(encoding='utf-8')};"
               f"process.stdout.write(JSON.stringify([self.lossbookWidgetModules[{json.dumps(name)}], announced]));")
    result = subprocess.run(["node", "-e", program], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [ESM, name]


def test_the_stylesheet_is_a_shared_file_linked_from_the_head(built):
    assert page_state(built)["shown"]["state"]["_css"] == ""
    head = (built / "index.html").read_text(encoding="utf-8").split("</head>")[0]
    links = re.findall(r'<link rel="stylesheet" type="text/css" href="_static/widgets/([^"?]+)', head)
    assert len(links) == 1 and re.fullmatch(r"widgets-[0-9a-f]{12}\.css", links[0]), links
    assert (built / "_static" / "widgets" / links[0]).read_text(encoding="utf-8") == CSS


def test_no_file_is_written_for_a_widget_no_page_shows(built):
    assert sorted(p.name.split("-")[0] for p in (built / "_static" / "widgets").iterdir()) == ["shown", "widgets"]


def test_needed_models_follows_references_through_chains_and_cycles():
    states = {"a": {"state": {"child": "IPY_MODEL_b"}}, "b": {"state": {"items": ["IPY_MODEL_c", "IPY_MODEL_a"]}},
              "c": {"state": {}}, "d": {"state": {"ref": "IPY_MODEL_c"}}, "e": {"state": {"ref": "IPY_MODEL_gone"}}}
    assert needed_models(states, ["a"]) == {"a", "b", "c"}
    assert needed_models(states, ["e", "missing"]) == {"e"}
    assert needed_models(states, []) == set()
