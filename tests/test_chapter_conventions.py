"""What every chapter an author adds must do, beyond what the build itself enforces."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from book_chapters import toc_docnames

ROOT = Path(__file__).resolve().parent.parent
CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.M | re.S)


def test_the_course_map_in_the_introduction_names_every_chapter():
    root, *rest = toc_docnames()
    intro = (ROOT / f"{root}.md").read_text(encoding="utf-8")
    missing = [d for d in rest if d != "chapters/references" and f"{{doc}}`{d.rsplit('/', 1)[-1]}`" not in intro]
    assert not missing, (f"the course map in {root}.md ('A map of the course') does not list {missing}; "
                         "add a numbered item that links the chapter with {doc}`<name>`")


@pytest.mark.parametrize("docname", toc_docnames(), ids=lambda d: d.rsplit("/", 1)[-1])
def test_no_code_cell_ends_with_a_glue_call_that_would_print_its_value(docname):
    """glue() returns its value, so as a cell's last line it shows that value on the page."""
    cells = CODE_CELL.findall((ROOT / f"{docname}.md").read_text(encoding="utf-8"))
    lines = [cell.strip().splitlines()[-1] for cell in cells if cell.strip()]
    printing = [line for line in lines if line.startswith("glue(") and not line.rstrip().endswith(";")]
    assert not printing, (f"{docname}.md: a cell ends with {printing[0]!r}, which shows the value on the page; "
                          "end the line with ';'")
