"""Build a one-page Sphinx site from an already executed notebook, with the book's own extensions.

The extensions in _ext/ that act on widget state are tested this way: no kernel runs (the
notebook carries its outputs and widget state, as an executed chapter does), and warnings are
errors, as in `make book`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_site(source: Path, extensions: list[str], widget_state: dict, shown: str,
               extra_conf: str = "") -> subprocess.CompletedProcess:
    """Build ``source/out`` from a notebook whose kernel made ``widget_state`` and displayed model ``shown``."""
    (source / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / '_ext')!r})\n"
        f"extensions = {['myst_nb', *extensions]!r}\nnb_execution_mode = 'off'\n{extra_conf}", encoding="utf-8")
    view = {"version_major": 2, "version_minor": 0, "model_id": shown}
    notebook = {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "widgets": {"application/vnd.jupyter.widget-state+json": {
                "version_major": 2, "version_minor": 0, "state": widget_state}},
        },
        "cells": [
            {"cell_type": "markdown", "id": "t", "metadata": {}, "source": "# A page"},
            {"cell_type": "code", "id": "c", "metadata": {}, "execution_count": 1, "source": "widget",
             "outputs": [{"output_type": "execute_result", "execution_count": 1, "metadata": {},
                          "data": {"text/plain": "widget", "application/vnd.jupyter.widget-view+json": view}}]},
        ],
    }
    (source / "index.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(source), str(source / "out")],
                          capture_output=True, text=True, timeout=120)
