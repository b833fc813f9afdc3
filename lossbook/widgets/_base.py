"""What the three course widgets share: their browser code and the rules for a valid trait.

Each widget's browser code is a plain ES module with no build step. The loss formulas and the
small DOM helpers live once in ``maths.js`` and ``dom.js``; they are prepended to the widget's
own file here, so every widget ships one self-contained module without a bundler.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import anywidget
import traitlets

__all__ = ["LossWidget", "WIDGET_CSS", "esm_source", "check_unit_interval"]

_HERE = Path(__file__).parent
_SHARED_JS = ("maths.js", "dom.js")
#: The stylesheet every course widget uses (one text, so the website serves it as one file).
WIDGET_CSS = (_HERE / "widgets.css").read_text(encoding="utf-8")


def esm_source(*filenames: str) -> str:
    """The browser module for one widget: the shared files, then ``filenames`` in order.

    Parameters
    ----------
    *filenames : str
        The widget's own ``.js`` files, beside this module; the last one has the
        ``export default``.

    Returns
    -------
    str
        JavaScript source whose ``export default`` is the widget's ``{ render }``.

    Examples
    --------
    >>> "export default" in esm_source("confidence_slider.js")
    True
    """
    parts = [(_HERE / name).read_text(encoding="utf-8") for name in (*_SHARED_JS, *filenames)]
    return "\n".join(parts)


def _finite_or_none(value: float, widget: Any) -> float | None:
    # JSON has no Infinity: the widget state would not parse in the browser. The browser
    # computes the loss itself, so an infinite loss is sent as null.
    return value if math.isfinite(value) else None


def _none_as_inf(value: float | None, widget: Any) -> float:
    return math.inf if value is None else value


def check_unit_interval(name: str, value: float, example: str) -> float:
    """Return ``value`` if it lies in [0, 1], else raise a TraitError that says how to fix it.

    Parameters
    ----------
    name : str
        The trait's name, used in the message.
    value : float
        The proposed value.
    example : str
        A valid setting to suggest, e.g. ``"a probability such as p=0.9"``.

    Returns
    -------
    float
        ``value`` unchanged.

    Raises
    ------
    traitlets.TraitError
        If ``value`` is NaN or outside [0, 1].

    Examples
    --------
    >>> check_unit_interval("p", 0.25, "a probability such as p=0.9")
    0.25
    >>> check_unit_interval("p", 1.5, "a probability such as p=0.9")
    Traceback (most recent call last):
    ...
    traitlets.traitlets.TraitError: p must be in [0, 1], got 1.5; pass a probability such as p=0.9
    """
    if not 0.0 <= value <= 1.0:  # also rejects NaN
        raise traitlets.TraitError(f"{name} must be in [0, 1], got {value!r}; pass {example}")
    return value


class LossWidget(anywidget.AnyWidget):  # type: ignore[misc, unused-ignore]
    """Base class: a widget whose synced ``loss`` trait is recomputed in Python.

    Subclasses implement :meth:`_compute_loss` with lossbook functions and list the traits it
    depends on in ``_inputs``; ``loss`` then stays right with or without a browser attached.
    """

    _css = WIDGET_CSS
    _inputs: tuple[str, ...] = ()

    #: The loss for the current inputs, in nats (``inf`` when the true class has probability 0).
    loss = traitlets.Float(read_only=True).tag(sync=True, to_json=_finite_or_none, from_json=_none_as_inf)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._refresh()
        self.observe(lambda change: self._refresh(), names=list(self._inputs))

    def _refresh(self) -> None:
        self.set_trait("loss", self._compute_loss())

    def _compute_loss(self) -> float:
        raise NotImplementedError
