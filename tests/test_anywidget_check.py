"""The build refuses a page that displays a widget the static site cannot run (_ext/anywidget_check.py).

Each case builds a one-page Sphinx project from an already executed notebook (no kernel), with
the book's own extension, warnings as errors, as `make book` does.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CONF = f"""
import sys
sys.path.insert(0, {str(ROOT / "_ext")!r})
extensions = ["myst_nb", "anywidget_check"]
nb_execution_mode = "off"
"""

SLIDER = {"model_module": "@jupyter-widgets/controls", "model_name": "IntSliderModel",
          "model_module_version": "2.0.0", "state": {"value": 3}}
ANYWIDGET = {"model_module": "anywidget", "model_name": "AnyModel", "model_module_version": "~0.11.*",
             "state": {"_esm": "export default { render() {} };", "_css": ""}}
REMOTE = {**ANYWIDGET, "state": {"_esm": "https://example.org/widget.js"}}


def build(tmp_path: Path, model: dict) -> subprocess.CompletedProcess:
    (tmp_path / "conf.py").write_text(CONF, encoding="utf-8")
    view = {"version_major": 2, "version_minor": 0, "model_id": "w1"}
    notebook = {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "widgets": {"application/vnd.jupyter.widget-state+json": {
                "version_major": 2, "version_minor": 0, "state": {"w1": model}}},
        },
        "cells": [
            {"cell_type": "markdown", "id": "t", "metadata": {}, "source": "# A page"},
            {"cell_type": "code", "id": "c", "metadata": {}, "execution_count": 1, "source": "widget",
             "outputs": [{"output_type": "execute_result", "execution_count": 1, "metadata": {},
                          "data": {"text/plain": "widget", "application/vnd.jupyter.widget-view+json": view}}]},
        ],
    }
    (tmp_path / "index.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(tmp_path), str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=120)


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
