"""Sphinx extension: small fixes to what stock Jupyter Book 1 puts on every page.

1. sphinx-thebe (always loaded by Jupyter Book 1) adds its inline configuration script twice, so
every page throws "Identifier 'THEBE_JS_URL' has already been declared", and it points at a CDN.
This book has no live-code (Thebe) button, so its scripts and stylesheet are dropped from
every page rather than patched.

2. The page's "download .ipynb" button links to `_sources/<page>.ipynb`, which myst-nb writes
from the executed MyST file. Where the repository has a paired notebook (the one Colab opens),
that file is served there instead, so both buttons hand the reader the same notebook.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

THEBE_MARKERS = ("THEBE_JS_URL", "sphinx-thebe", "thebe@")


def _is_thebe(asset: Any) -> bool:
    body = getattr(asset, "attributes", {}).get("body", "") or ""
    filename = getattr(asset, "filename", None) or str(asset)
    return any(marker in body or marker in filename for marker in THEBE_MARKERS)


def drop_thebe(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not _is_thebe(asset)]


def note_paired_notebook(app: Sphinx, docname: str, source: list[str]) -> None:
    # The theme's Colab button links to the paired notebook only when it exists, so a page
    # must be rebuilt when its pair appears or changes.
    paired = Path(app.srcdir, docname + ".ipynb")
    if paired.is_file():
        app.env.note_dependency(str(paired))


def serve_paired_notebooks(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for docname in app.env.found_docs:
        paired = Path(app.srcdir, docname + ".ipynb")
        if paired.is_file():
            target = Path(app.outdir, "_sources", docname + ".ipynb")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(paired, target)


def setup(app: Sphinx) -> dict[str, Any]:
    # After sphinx-thebe and the theme have added their files (default priority 500).
    app.connect("html-page-context", drop_thebe, priority=900)
    app.connect("source-read", note_paired_notebook)
    app.connect("build-finished", serve_paired_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
