"""The build-it-yourself exercises as readers meet them.

In the reader notebooks (Colab, Jupyter): every chapter but the introduction has at least two
starter cells (a signature and `raise NotImplementedError  # TODO`), each editable, outside any
collapsed section and followed by a cell that calls `checks.`; every solution sits under a
heading that starts collapsed in JupyterLab, Notebook 7 and Colab. In the executed build: the
check under each starter answered "not written yet", and every solution's check answered ✓.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXECUTED = ROOT / "_build" / "jupyter_execute" / "chapters"
STARTER = "raise NotImplementedError  # TODO"
# The introduction has no exercises of this kind; every other chapter has at least two.
CHAPTERS = sorted(p for p in (ROOT / "chapters").glob("*.ipynb") if p.stem != "intro")
HEADING = re.compile(r"^(#{1,6}) ", re.M)


def sections(notebook: dict) -> list[tuple[dict, bool]]:
    """Each cell with whether it sits in a section that starts collapsed."""
    out, collapsed_level = [], None
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        heading = HEADING.match(source) if cell["cell_type"] == "markdown" else None
        if heading:
            level = len(heading.group(1))
            if collapsed_level is not None and level <= collapsed_level:
                collapsed_level = None
            if cell["metadata"].get("jp-MarkdownHeadingCollapsed"):
                collapsed_level = level
        out.append((cell, collapsed_level is not None))
    return out


def code(cell: dict) -> str:
    return "".join(cell["source"]) if cell["cell_type"] == "code" else ""


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_starters_are_editable_and_visible_and_solutions_collapsed(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = sections(notebook)
    starters = [i for i, (cell, _) in enumerate(cells) if STARTER in code(cell)]
    assert len(starters) >= 2, (f"{path.name}: {len(starters)} build-it-yourself starter cells, need 2; "
                                "see the README, 'Build-it-yourself exercises and lossbook.checks'")
    for i in starters:
        cell, hidden = cells[i]
        assert not hidden, f"{path.name}: a starter cell sits in a collapsed section:\n{code(cell)}"
        meta = cell["metadata"]
        assert meta.get("editable", True) and not meta.get("tags"), f"{path.name}: {meta}"
        following = next(c for c, _ in cells[i + 1:] if c["cell_type"] == "code")
        assert "checks." in code(following), f"{path.name}: no check after\n{code(cell)}"
    visible_checks = [c for c, hidden in cells if "checks." in code(c) and not hidden]
    assert len(visible_checks) >= 2, f"{path.name}: fewer than two cells call checks."
    solutions = [c for c, hidden in cells if "checks." in code(c) and hidden]
    assert len(solutions) >= 2, f"{path.name}: fewer than two collapsed solutions call checks."
    assert all(STARTER not in code(c) for c in solutions)
    collapsed_ids = [c["id"] for c, _ in cells if c["metadata"].get("jp-MarkdownHeadingCollapsed")]
    assert collapsed_ids == notebook["metadata"]["colab"]["collapsed_sections"]


def check_outputs(cell: dict) -> list[str]:
    """The states (pass, fail, todo) of the check results a cell displayed or printed."""
    states = []
    for output in cell.get("outputs", []):
        html = "".join(output.get("data", {}).get("text/html", ""))
        states += re.findall(r'data-check-result="(\w+)"', html)
        text = "".join(output.get("text", ""))
        states += [{"✓": "pass", "✗": "fail", "…": "todo"}[line[0]]
                   for line in text.splitlines() if line[:1] in ("✓", "✗", "…")]
    return states


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_build_shows_not_written_yet_under_starters_and_a_pass_in_solutions(path):
    executed = EXECUTED / path.name
    if not executed.exists():
        pytest.fail(f"no executed {executed.name} in {EXECUTED}: run `make book`")
    cells = [c for c in json.loads(executed.read_text(encoding="utf-8"))["cells"]
             if c["cell_type"] == "code" and "checks." in code(c)]
    solutions = [c for c in cells if re.search(r"^def \w+\(", code(c), re.M)]
    starter_checks = [c for c in cells if c not in solutions]
    assert len(starter_checks) >= 2 and len(solutions) >= 2, (
        f"{path.name}: {len(starter_checks)} checks under starter cells and {len(solutions)} in solutions, "
        "need 2 of each; see the README, 'Build-it-yourself exercises and lossbook.checks'")
    for cell in starter_checks:
        assert set(check_outputs(cell)) == {"todo"}, (code(cell), cell.get("outputs"))
    for cell in solutions:
        assert check_outputs(cell) and set(check_outputs(cell)) == {"pass"}, code(cell)
