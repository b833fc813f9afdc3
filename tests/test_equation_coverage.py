"""Every labelled equation in the chapters has a formula test named after its label.

A test named ``test_eq_softmax_def_<what it checks>`` covers the equation labelled
``eq-softmax-def``. A test belongs to the longest label it starts with, so the tests of
``eq-smx-lse-grad`` do not count for ``eq-smx-lse``.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABEL = re.compile(r"^\$\$ \((eq-[a-z0-9-]+)\)$", flags=re.MULTILINE)
# Every tests/test_chapter_formulas*.py counts, so a new chapter's formula file needs no edit here.
FORMULA_MODULES = [importlib.import_module(path.stem)
                   for path in sorted(Path(__file__).parent.glob("test_chapter_formulas*.py"))]
FORMULA_TESTS = [name for module in FORMULA_MODULES
                 for name in vars(module) if name.startswith("test_eq_")]


def test_every_labelled_equation_in_the_chapters_has_a_test_named_after_it():
    labels = {label for chapter in (ROOT / "chapters").glob("*.md")
              for label in LABEL.findall(chapter.read_text(encoding="utf-8"))}
    assert len(labels) >= 40, f"found only {sorted(labels)}: has the equation syntax changed?"
    prefixes = {label: "test_" + label.replace("-", "_") + "_" for label in labels}

    def owner(test_name: str) -> str | None:
        matching = [label for label, prefix in prefixes.items() if test_name.startswith(prefix)]
        return max(matching, key=len) if matching else None

    untested = sorted(labels - {owner(name) for name in FORMULA_TESTS})
    assert not untested, (
        f"equations without a test named after them: {untested}; in a tests/test_chapter_formulas*.py "
        "file, add a test named after the label, test_eq_<label with - as _>_<what it checks> "
        f"(e.g. {prefixes[untested[0]]}matches_finite_differences), that checks the formula numerically")
