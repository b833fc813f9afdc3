"""The build refuses a page that displays a widget the static site cannot run (_ext/anywidget_check.py).

Each case builds a one-page Sphinx project from an already executed notebook (no kernel), with
the book's own extension, warnings as errors, as `make book` does.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from executed_notebook_site import build_site

SLIDER = {"model_module": "@jupyter-widgets/controls", "model_name": "IntSliderModel",
          "model_module_version": "2.0.0", "state": {"value": 3}}
ANYWIDGET = {"model_module": "anywidget", "model_name": "AnyModel", "model_module_version": "~0.11.*",
             "state": {"_esm": "export default { render() {} };", "_css": ""}}
REMOTE = {**ANYWIDGET, "state": {"_esm": "https://example.org/widget.js"}}


def build(tmp_path: Path, model: dict) -> subprocess.CompletedProcess:
    return build_site(tmp_path, ["anywidget_check"], {"w1": model}, shown="w1")


@pytest.mark.parametrize("model, reason", [
    (SLIDER, "@jupyter-widgets/controls.IntSliderModel is not an anywidget"),
    (REMOTE, "outside the site"),
], ids=["ipywidgets-slider", "anywidget-from-a-url"])
def test_a_page_with_a_widget_the_site_cannot_run_fails_the_build(tmp_path, model, reason):
    result = build(tmp_path, model)
    assert result.returncode != 0, result.stderr
    assert "index.ipynb" in result.stderr and reason in result.stderr, result.stderr


def test_a_page_with_an_anywidget_builds(tmp_path):
    result = build(tmp_path, ANYWIDGET)
    assert result.returncode == 0, result.stderr
