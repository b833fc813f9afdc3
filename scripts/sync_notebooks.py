"""Write each chapter's install cell from `_config.yml` and its paired, output-free `.ipynb`.

Colab opens `chapters/<name>.ipynb` from the repository (the launch button points there), so the
notebooks are committed beside their MyST sources. The MyST file is the one authors edit; this
script regenerates the notebook from it. Run it as `make sync` after editing a chapter;
tests/test_notebooks.py fails when a pair is out of date.

Usage: python scripts/sync_notebooks.py [--check]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import jupytext
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
# The requirement string in each chapter's first code cell: "lossbook @ git+<url>@<branch>".
INSTALL_SPEC = re.compile(r'"lossbook @ git\+[^"@\s]+@[^"\s]+"')


def install_spec() -> str:
    """The pip requirement that installs lossbook from the repository named in `_config.yml`."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    repo = config["repository"]
    return f'"lossbook @ git+{repo["url"]}@{repo["branch"]}"'


def notebook_sources() -> list[Path]:
    """Chapter sources that are notebooks (MyST files with a kernelspec), in name order."""
    return sorted(p for p in CHAPTERS.glob("*.md") if "kernelspec:" in p.read_text(encoding="utf-8"))


def with_install_spec(text: str, path: Path) -> str:
    """``text`` with its install requirement replaced by the one `_config.yml` implies."""
    if len(INSTALL_SPEC.findall(text)) != 1:
        raise ValueError(
            f"{path.relative_to(ROOT)} must hold exactly one install requirement of the form "
            '"lossbook @ git+<url>@<branch>" in its first code cell; copy that cell from chapters/intro.md'
        )
    return INSTALL_SPEC.sub(install_spec(), text)


def paired_notebook(text: str) -> str:
    """The `.ipynb` text for a MyST chapter: same cells, no outputs."""
    notebook = jupytext.reads(text, fmt="md:myst")
    # nbformat draws cell ids at random; numbered ids keep the file identical from run to run.
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{number:03d}"
    return jupytext.writes(notebook, fmt="ipynb")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale files without writing")
    args = parser.parse_args(argv)
    stale = []
    for source in notebook_sources():
        text = source.read_text(encoding="utf-8")
        wanted_text = with_install_spec(text, source)
        notebook = source.with_suffix(".ipynb")
        wanted_nb = paired_notebook(wanted_text)
        current_nb = notebook.read_text(encoding="utf-8") if notebook.exists() else None
        for path, current, wanted in ((source, text, wanted_text), (notebook, current_nb, wanted_nb)):
            if current != wanted:
                stale.append(path.relative_to(ROOT))
                if not args.check:
                    path.write_text(wanted, encoding="utf-8")
    verb = "out of date" if args.check else "written"
    for path in stale:
        print(f"{verb}: {path}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
