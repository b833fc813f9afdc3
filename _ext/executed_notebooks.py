"""Sphinx extension: the executed chapter notebooks in ``_build/jupyter_execute`` keep their outputs
when myst-nb takes them from its execution cache.

myst-nb 1.4 writes ``_build/jupyter_execute/<page>.ipynb`` from the notebook it parsed. When it
runs the notebook, outputs land in that object; when it takes them from the cache, they land in a
new, merged one (``core/execute/cache.py``), and the file is written without a single output. So
after an author edits a chapter's prose, the executed notebook of that chapter lost every output
that the tests of the build-it-yourself checks read (``tests/test_checks_notebooks.py``). After
each page is read, this writes the cached outputs into that file again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
from docutils import nodes
from sphinx.application import Sphinx


def _has_outputs(notebook: nbformat.NotebookNode) -> bool:
    return any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")


def _restore_outputs(app: Sphinx, doctree: nodes.document) -> None:
    config = app.env.mystnb_config
    if config.execution_mode != "cache":
        return
    # Where myst-nb keeps both (myst_nb/sphinx_ext.py): beside the HTML output folder.
    cache_path = config.execution_cache_path or Path(app.outdir).parent / ".jupyter_cache"
    written = Path(app.outdir).parent / "jupyter_execute" / f"{app.env.docname}.ipynb"
    if not written.is_file():
        return  # not a notebook page
    notebook = nbformat.read(written, as_version=4)
    if _has_outputs(notebook):
        return  # executed in this build: the outputs are there
    from jupyter_cache import get_cache
    from jupyter_cache.base import CachingError

    try:
        _, merged = get_cache(cache_path).merge_match_into_notebook(notebook)
    except (KeyError, CachingError):
        return  # no cached run of these cells: nothing to restore
    nbformat.write(merged, written)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", _restore_outputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
