"""The book's pages as `_toc.yml` lists them, for the tests that must cover every chapter.

A chapter an author adds to the table of contents is then checked like the others, with no list
in a test to update.
"""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def toc_docnames() -> list[str]:
    """Every page of the book in reading order, the root first: "chapters/intro", ..."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    parts = toc.get("parts", [{"chapters": toc.get("chapters", [])}])
    return [toc["root"]] + [entry["file"] for part in parts for entry in part["chapters"]]


def teaching_chapters() -> list[str]:
    """The names of the chapters after the introduction that run code ("one_hot", ...): the ones
    with exercises and self-check questions."""
    docnames = toc_docnames()[1:]
    return [d.rsplit("/", 1)[-1] for d in docnames
            if "kernelspec:" in (ROOT / f"{d}.md").read_text(encoding="utf-8")]
