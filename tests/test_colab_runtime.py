"""Run every paired notebook the way a reader does on Colab.

A fresh virtual environment gets only what a bare Colab runtime is sure to have for this course
(numpy, matplotlib, ipywidgets, ipykernel), then `pip install` of the package as a reader's
install cell would, from a copy outside the repository. Each `.ipynb` is executed from a
temporary folder, so no relative path, data file or `sys.path` entry of the repository can help.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
COLAB_BASE = ["numpy", "matplotlib", "ipywidgets", "ipykernel"]
# What installing lossbook may add to that base: the package, anywidget and anywidget's own
# small dependencies. Anything else (scipy, sphinx, torch…) would be a needless download on Colab.
ALLOWED_ADDITIONS = {"lossbook", "anywidget", "psygnal", "psutil", "typing-extensions"}


def run(*command) -> str:
    """Run a command quietly; on failure, raise with everything it printed."""
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(map(str, command))} exited {done.returncode}:\n"
                           f"{done.stdout}\n{done.stderr}")
    return done.stdout


def distributions(python: Path) -> dict[str, str]:
    listing = run(python, "-m", "pip", "list", "--format=json")
    return {d["name"].lower().replace("_", "-"): d["version"] for d in json.loads(listing)}


@pytest.fixture(scope="module")
def colab_like(tmp_path_factory):
    """A fresh venv with Colab's base packages plus lossbook installed from a copy of the checkout."""
    base = tmp_path_factory.mktemp("colab")
    venv = base / "venv"
    run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    pip = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    run(*pip, *COLAB_BASE)
    before = distributions(python)

    package = base / "package"
    package.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, package / name)
    shutil.copytree(ROOT / "lossbook", package / "lossbook",
                    ignore=shutil.ignore_patterns("__pycache__"))
    run(*pip, package)
    after = distributions(python)

    kernels = base / "kernels"
    run(python, "-m", "ipykernel", "install", "--prefix", kernels, "--name", "colab-like")
    return {"python": python, "before": before, "after": after,
            "jupyter_path": kernels / "share" / "jupyter", "work": base / "run"}


def test_install_adds_only_light_runtime_dependencies(colab_like):
    before, after = colab_like["before"], colab_like["after"]
    added = set(after) - set(before)
    assert "lossbook" in added and "anywidget" in added, added
    assert added <= ALLOWED_ADDITIONS, f"installing lossbook pulled in {sorted(added - ALLOWED_ADDITIONS)}"
    changed = {name for name in before if after.get(name) != before[name]}
    assert not changed, f"installing lossbook changed versions already present: {sorted(changed)}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(colab_like, notebook, monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", str(colab_like["jupyter_path"]))
    monkeypatch.delenv("PYTHONPATH", raising=False)
    work = colab_like["work"] / notebook.stem
    work.mkdir(parents=True)
    copy = work / notebook.name
    shutil.copy(notebook, copy)
    nb = nbformat.read(copy, as_version=4)
    client = NotebookClient(nb, kernel_name="colab-like", timeout=300,
                            resources={"metadata": {"path": str(work)}})
    client.execute()  # raises CellExecutionError, naming the cell, on the first failure

    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    widget_views = [o for o in outputs
                    if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    widget_cells = [c for c in nb.cells if c.cell_type == "code" and "lossbook.widgets" in c.source]
    if widget_cells:
        assert widget_views, f"{notebook.name} imports widgets but displayed none"
