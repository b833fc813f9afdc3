"""_ext/executed_notebooks.py: a page taken from myst-nb's execution cache still leaves its executed
notebook, with outputs, in _build/jupyter_execute (myst-nb alone writes it without any)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PAGE = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
---

# A page

{prose}

```{{code-cell}} ipython3
print(6 * 7)
```
"""


def outputs(build: Path) -> list:
    notebook = json.loads((build / "jupyter_execute" / "page.ipynb").read_text(encoding="utf-8"))
    return [o for c in notebook["cells"] if c["cell_type"] == "code" for o in c["outputs"]]


def test_an_edit_to_the_prose_keeps_the_cached_outputs_in_the_executed_notebook(tmp_path):
    extensions = ["myst_nb", "executed_notebooks"]
    (tmp_path / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / '_ext')!r})\nextensions = {extensions!r}\n"
        "nb_execution_mode = 'cache'\nroot_doc = 'page'\nexclude_patterns = ['_build']\n", encoding="utf-8")
    build = tmp_path / "_build"
    command = [BIN / "sphinx-build", "-W", "-q", "-b", "html", tmp_path, build / "html"]
    for prose in ("First words.", "Other words: the cells are unchanged, so the cache answers."):
        (tmp_path / "page.md").write_text(PAGE.format(prose=prose), encoding="utf-8")
        result = subprocess.run(command, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert ["".join(o.get("text", "")) for o in outputs(build)] == ["42\n"], prose
