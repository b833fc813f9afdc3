"""ConfidenceSlider: how the loss -log p grows as the true class loses probability."""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

import lossbook as lb

from ._base import LossWidget, check_unit_interval, esm_source

__all__ = ["ConfidenceSlider"]


def _true_class_loss(p: float, base: float | None) -> float:
    # A two-class row [p, 1 - p] whose true class is 0: cross-entropy is then exactly -log p.
    return float(lb.cross_entropy(np.array([[p, 1.0 - p]]), np.array([0]), base=base))


class ConfidenceSlider(LossWidget):
    """A slider for the probability p of the true class, showing -ln p and -log2 p.

    The view draws the curve of the loss against p with a marker at p, and lists reference
    points from p = 0.95 down to p = 0.01. The slider spans [0.001, 1]; p = 0 may be set from
    Python and shows an infinite loss.

    Parameters
    ----------
    p : float, default 0.9
        Probability the model gives the true class, in [0, 1].

    Attributes
    ----------
    loss : float
        -ln p in nats (read-only, recomputed whenever ``p`` changes).
    bits : float
        -log2 p in bits (read-only).

    Raises
    ------
    traitlets.TraitError
        If ``p`` is outside [0, 1].

    Examples
    --------
    >>> w = ConfidenceSlider(p=0.5)
    >>> round(w.loss, 6), round(w.bits, 6)
    (0.693147, 1.0)
    >>> w.p = 0.25
    >>> round(w.bits, 6)
    2.0
    """

    _esm = esm_source("confidence_slider.js")
    _inputs = ("p",)

    p = traitlets.Float(0.9).tag(sync=True)
    bits = traitlets.Float(read_only=True)

    def __init__(self, p: float = 0.9, **kwargs: Any) -> None:
        super().__init__(p=p, **kwargs)

    @traitlets.validate("p")
    def _valid_p(self, proposal: dict[str, Any]) -> float:
        return check_unit_interval("p", proposal["value"], "a probability such as p=0.9")

    def _compute_loss(self) -> float:
        self.set_trait("bits", _true_class_loss(self.p, base=2))
        return _true_class_loss(self.p, base=None)
