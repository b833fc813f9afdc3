"""What a checker returns: pass, fail or not written yet, with one sentence for the reader."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Literal

Status = Literal["pass", "fail", "todo"]

_SYMBOL = {"pass": "✓", "fail": "✗", "todo": "…"}
# Border colours that read on light and dark backgrounds alike; the text keeps the page's colour.
_COLOUR = {"pass": "#2da44e", "fail": "#cf222e", "todo": "#8c959f"}
# What a screen reader says for the symbol.
_SPOKEN = {"pass": "passed", "fail": "not yet", "todo": "not written yet"}


@dataclass(frozen=True, repr=False)
class CheckResult:
    """The answer of a checker: ``bool(result)`` is True when every case passed.

    Printed, it reads "✓ ..." or "✗ <hint>"; in a notebook it shows as a short coloured note
    (``_repr_html_``, with ``_repr_markdown_`` for front ends that prefer Markdown).

    Parameters
    ----------
    task : str
        The checker's name, e.g. ``"softmax"``.
    status : {"pass", "fail", "todo"}
        "todo" when the candidate still raises ``NotImplementedError``.
    message : str
        One sentence: what passed, or which input broke the candidate and what to try.

    Examples
    --------
    >>> result = CheckResult("softmax", "fail", "your softmax returned nan for z = [1000, 0]")
    >>> bool(result), result.passed
    (False, False)
    >>> print(result)
    ✗ your softmax returned nan for z = [1000, 0]
    """

    task: str
    status: Status
    message: str

    @property
    def passed(self) -> bool:
        """Whether every case passed."""
        return self.status == "pass"

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return f"{_SYMBOL[self.status]} {self.message}"

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        return f"{_SYMBOL[self.status]} " + re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", self.message)

    def _repr_html_(self) -> str:
        return (
            f'<div class="lossbook-check" data-check-result="{self.status}" '
            f'style="border-left: 4px solid {_COLOUR[self.status]}; padding: 0.25em 0.75em">'
            f'<strong role="img" aria-label="{_SPOKEN[self.status]}">{_SYMBOL[self.status]}</strong> '
            f"{html.escape(self.message)}</div>"
        )
