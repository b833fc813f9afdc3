"""The values the built frameworks chapter shows its readers, for the tests that compare them with
what each framework returns.

myst-nb writes the values a page glued beside its executed notebook; `make test` builds the book
before running pytest, so a missing file is a failure, as in tests/test_notebooks.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

GLUED = Path(__file__).resolve().parent.parent / "_build" / "jupyter_execute" / "chapters" / "frameworks.glue.json"


def glued(name: str) -> float:
    """The number the frameworks chapter glued under ``name``."""
    if not GLUED.is_file():
        pytest.fail(f"{GLUED} is missing: build the book first (make book; make test builds it)")
    return float(json.loads(GLUED.read_text(encoding="utf-8"))[name]["data"]["text/plain"])
