"""The package is typed: ``mypy --strict`` finds nothing in ``lossbook/``.

Run from a temporary folder with its own cache, so the check reads the package's files as they
are and leaves nothing in the repository.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "lossbook"


def test_mypy_strict_finds_no_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), str(PACKAGE)],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
