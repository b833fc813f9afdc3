"""Write each chapter's install cell from `_config.yml`, and its reader notebook from the build.

Colab opens `chapters/<name>.ipynb` from the repository (the launch button points there), so the
notebooks are committed beside their MyST sources. The MyST file is the one authors edit. The
notebook is generated from the *executed* chapter (scripts/reader_notebook.py), because it shows
the build's glued values and the website's equation, figure and exercise numbers:

    python scripts/sync_notebooks.py install-cells   # before the build
    python scripts/sync_notebooks.py notebooks       # after it; also refreshes the download copy

`make book` runs both; with `--check` nothing is written and stale files are listed (exit 1),
which tests/test_notebooks.py relies on.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

import nbformat
import yaml
from book_index import BookIndex
from reader_notebook import Chapter, reader_notebook

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
BUILD = ROOT / "_build"
# The requirement string in each chapter's first code cell: "lossbook @ git+<url>@v<version>".
INSTALL_SPEC = re.compile(r'"lossbook @ git\+[^"@\s]+@[^"\s]+"')


def config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def version() -> str:
    """The package version; it lives in `pyproject.toml` alone."""
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]["version"]


def install_spec() -> str:
    """The pip requirement that installs this release of lossbook (its tag `v<version>`) from the
    repository named in `_config.yml`: a notebook opened years later still gets the code it was
    written against, not whatever the main branch holds by then."""
    return f'"lossbook @ git+{config()["repository"]["url"]}@v{version()}"'


def notebook_sources() -> list[Path]:
    """Chapter sources that are notebooks (MyST files with a kernelspec), in name order."""
    return sorted(p for p in CHAPTERS.glob("*.md") if "kernelspec:" in p.read_text(encoding="utf-8"))


def with_install_spec(text: str, path: Path) -> str:
    """``text`` with its install requirement replaced by the one `_config.yml` implies."""
    if len(INSTALL_SPEC.findall(text)) != 1:
        raise ValueError(
            f"{path.relative_to(ROOT)} must hold exactly one install requirement of the form "
            '"lossbook @ git+<url>@v<version>" in its first code cell; copy that cell from chapters/intro.md'
        )
    return INSTALL_SPEC.sub(install_spec(), text)


def generated_notebooks() -> dict[Path, str]:
    """Each chapter's reader notebook (file text), from the last build of the book."""
    sources = notebook_sources()
    docnames = [f"chapters/{p.stem}" for p in sources]
    index = BookIndex.from_build(ROOT, config()["html"]["baseurl"], docnames)
    notebooks = {}
    for source, docname in zip(sources, docnames):
        executed = nbformat.read(BUILD / "jupyter_execute" / f"{docname}.ipynb", as_version=4)
        notebook = nbformat.from_dict(reader_notebook(executed, Chapter(docname, index)))
        nbformat.validate(notebook)
        notebooks[source.with_suffix(".ipynb")] = nbformat.writes(notebook) + "\n"
    return notebooks


def placeholder_notebooks() -> dict[Path, str]:
    """A stand-in reader notebook for each chapter that has none yet, written before the build.

    The theme points a page's Colab button at the paired notebook only if that file exists when
    the page is built, and the real notebook is generated after the build; without a stand-in, a
    new chapter's first build would send Colab to its MyST file.
    """
    notebooks = {}
    for source in notebook_sources():
        if not source.with_suffix(".ipynb").exists():
            notebook = nbformat.v4.new_notebook()
            notebook.cells.append(nbformat.v4.new_markdown_cell(
                f"This notebook is generated from `chapters/{source.name}` by `make book`."))
            notebooks[source.with_suffix(".ipynb")] = nbformat.writes(notebook) + "\n"
    return notebooks


def sync(wanted: dict[Path, str], check: bool) -> list[Path]:
    """Write (unless ``check``) every file whose text differs; return those paths."""
    stale = []
    for path, text in wanted.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
            if not check:
                path.write_text(text, encoding="utf-8")
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["install-cells", "notebooks"])
    parser.add_argument("--check", action="store_true", help="report stale files without writing")
    args = parser.parse_args(argv)
    if args.step == "install-cells":
        wanted = {p: with_install_spec(p.read_text(encoding="utf-8"), p) for p in notebook_sources()}
        if not args.check:
            wanted |= placeholder_notebooks()
    else:
        wanted = generated_notebooks()
    stale = sync(wanted, args.check)
    if args.step == "notebooks" and not args.check:
        # The page's download button serves _sources/<page>.ipynb, copied from the committed
        # notebook when the site was built (_ext/site_cleanup.py), i.e. before this step ran.
        for path, text in wanted.items():
            served = BUILD / "html" / "_sources" / "chapters" / path.name
            if served.parent.is_dir():
                served.write_text(text, encoding="utf-8")
    verb = "out of date" if args.check else "written"
    for path in stale:
        print(f"{verb}: {path.relative_to(ROOT)}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
