"""The paired notebooks Colab opens: present, in sync with their MyST sources, and pointing at
the repository `_config.yml` names."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import sync_notebooks  # noqa: E402

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
SOURCES = sync_notebooks.notebook_sources()


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    parts = toc.get("parts", [{"chapters": toc.get("chapters", [])}])
    return [toc["root"]] + [entry["file"] for part in parts for entry in part["chapters"]]


def test_every_chapter_in_the_toc_is_a_notebook_with_a_pair():
    notebooks = {f"chapters/{p.stem}" for p in SOURCES}
    # The bibliography page is plain Markdown; every other page of the book runs as a notebook.
    expected = {f for f in toc_files() if f != "chapters/references"}
    assert expected <= notebooks, f"chapters without a kernelspec: {sorted(expected - notebooks)}"
    missing = [str(p.with_suffix(".ipynb").name) for p in SOURCES if not p.with_suffix(".ipynb").exists()]
    assert not missing, f"missing paired notebooks {missing}: run `make sync`"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_paired_notebook_matches_its_source(source: Path):
    wanted = sync_notebooks.paired_notebook(source.read_text(encoding="utf-8"))
    current = source.with_suffix(".ipynb").read_text(encoding="utf-8")
    assert current == wanted, f"{source.with_suffix('.ipynb').name} is out of date: run `make sync`"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_paired_notebook_has_no_outputs(source: Path):
    cells = json.loads(source.with_suffix(".ipynb").read_text(encoding="utf-8"))["cells"]
    with_outputs = [i for i, c in enumerate(cells) if c.get("outputs") or c.get("execution_count")]
    assert not with_outputs, f"cells {with_outputs} of {source.stem}.ipynb carry outputs: run `make sync`"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_first_code_cell_installs_from_the_configured_repository(source: Path):
    cells = json.loads(source.with_suffix(".ipynb").read_text(encoding="utf-8"))["cells"]
    first = "".join(next(c for c in cells if c["cell_type"] == "code")["source"])
    repo = CONFIG["repository"]
    spec = f'"lossbook @ git+{repo["url"]}@{repo["branch"]}"'
    assert spec in first, f"{source.stem}: first code cell must install {spec}; run `make sync`"
    # Installing only when the import fails keeps the cell a no-op locally and in CI.
    assert first.index("import lossbook") < first.index("pip"), first
    assert "enable_colab_widgets()" in first, f"{source.stem}: first cell must enable Colab's widget manager"


def test_install_spec_follows_the_config(tmp_path, monkeypatch):
    """Changing the URL in _config.yml changes what the script writes (the URL lives in one place)."""
    config = tmp_path / "_config.yml"
    text = (ROOT / "_config.yml").read_text(encoding="utf-8")
    config.write_text(text.replace(CONFIG["repository"]["url"], "https://github.com/someone/fork"))
    monkeypatch.setattr(sync_notebooks, "ROOT", tmp_path)
    assert sync_notebooks.install_spec() == '"lossbook @ git+https://github.com/someone/fork@main"'


def test_a_chapter_without_the_install_cell_is_refused():
    with pytest.raises(ValueError, match="exactly one install requirement"):
        sync_notebooks.with_install_spec("# A page\n\nno install cell here\n", ROOT / "chapters" / "x.md")
