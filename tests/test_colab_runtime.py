"""Run every reader notebook the way a reader does on Colab, in two fresh virtual environments.

- ``colab``: the versions Colab ships (googlecolab/backend-info pip-freeze, August 2026), among
  them ipywidgets 7, with anywidget preinstalled as it is there. Installing the package must
  change none of them: a reader's install cell must not upgrade Colab's runtime.
- ``newest``: the newest releases of the same packages, so the course keeps up with them.

Each environment gets `pip install` of the package as a reader's install cell would, from a copy
outside the repository. Each `.ipynb` is executed from a temporary folder, so no relative path,
data file or `sys.path` entry of the repository can help.
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
# What Colab runs today, as pip names them (keep in step with Colab; the note in README says how).
COLAB_PINS = {"ipywidgets": "7.7.1", "ipykernel": "6.17.1", "ipython": "7.34.0",
              "jupyter-client": "7.4.9", "traitlets": "5.7.1", "numpy": "2.1.3",
              "matplotlib": "3.10.0", "anywidget": "0.9.21"}
RUNTIMES = {
    "colab": [f"{name}=={version}" for name, version in COLAB_PINS.items()],
    "newest": ["numpy", "matplotlib", "ipywidgets", "ipykernel"],
}
# What installing lossbook may add to a runtime: the package, anywidget and anywidget's own
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


@pytest.fixture(scope="module", params=sorted(RUNTIMES))
def colab_like(request, tmp_path_factory):
    """A fresh venv with a runtime's packages plus lossbook installed from a copy of the checkout."""
    base = tmp_path_factory.mktemp(request.param)
    venv = base / "venv"
    run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    pip = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    run(*pip, *RUNTIMES[request.param])
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
    return {"runtime": request.param, "python": python, "before": before, "after": after,
            "jupyter_path": kernels / "share" / "jupyter", "work": base / "run"}


def test_install_adds_only_light_runtime_dependencies(colab_like):
    before, after = colab_like["before"], colab_like["after"]
    added = set(after) - set(before)
    assert "lossbook" in added and "anywidget" in after, added
    assert added <= ALLOWED_ADDITIONS, f"installing lossbook pulled in {sorted(added - ALLOWED_ADDITIONS)}"
    changed = {name for name in before if after.get(name) != before[name]}
    assert not changed, f"installing lossbook changed versions already present: {sorted(changed)}"


def test_colab_runtime_keeps_the_versions_colab_ships(colab_like):
    if colab_like["runtime"] != "colab":
        pytest.skip("the newest-versions runtime pins nothing")
    after = colab_like["after"]
    differ = {name: after.get(name) for name, version in COLAB_PINS.items() if after.get(name) != version}
    assert not differ, f"after installing lossbook these differ from Colab's {COLAB_PINS}: {differ}"


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
    # Each build-it-yourself check shows its result as a note (its _repr_html_ under this IPython).
    for cell in nb.cells:
        if cell.cell_type == "code" and "checks." in cell.source:
            shown = "".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)
            assert 'class="lossbook-check"' in shown, f"{notebook.name}: no check result from\n{cell.source}"
