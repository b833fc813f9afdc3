"""SoftmaxExplorer: three logits, their softmax, the cross-entropy and its gradient p - y."""

from __future__ import annotations

import operator
from typing import Any, Sequence

import numpy as np
import traitlets

import lossbook as lb

from ._base import LossWidget, esm_source

__all__ = ["SoftmaxExplorer"]

NUM_CLASSES = 3


class SoftmaxExplorer(LossWidget):
    """Sliders for three logits and a choice of true class.

    The view shows the softmax probabilities as bars, the cross-entropy loss, and the gradient
    of the loss with respect to the logits, softmax(z) - one_hot(target), as signed bars.

    Parameters
    ----------
    logits : sequence of 3 floats, default [5.0, 4.0, 2.0]
        The scores of the three classes (any finite reals).
    target : int, default 0
        The true class: 0, 1 or 2.

    Attributes
    ----------
    loss : float
        Cross-entropy in nats (read-only).
    probabilities : list of float
        softmax(logits) (read-only).
    gradient : list of float
        softmax(logits) - one_hot(target) (read-only).

    Raises
    ------
    traitlets.TraitError
        If ``logits`` does not hold exactly 3 finite numbers or ``target`` is not 0, 1 or 2.

    Examples
    --------
    >>> w = SoftmaxExplorer(logits=[0.0, 0.0, 0.0], target=2)
    >>> round(w.loss, 6)  # ln 3
    1.098612
    >>> [round(g, 4) for g in w.gradient]
    [0.3333, 0.3333, -0.6667]
    """

    _esm = esm_source("softmax_explorer.js")
    _inputs = ("logits", "target")

    logits = traitlets.List(traitlets.Float(), default_value=[5.0, 4.0, 2.0]).tag(sync=True)
    target = traitlets.Int(0).tag(sync=True)
    probabilities = traitlets.List(traitlets.Float(), read_only=True)
    gradient = traitlets.List(traitlets.Float(), read_only=True)

    def __init__(self, logits: Sequence[float] = (5.0, 4.0, 2.0), target: int = 0, **kwargs: Any) -> None:
        try:
            target = operator.index(target)  # accepts numpy integers, refuses 1.0
        except TypeError:
            raise TypeError(f"target must be an integer class index 0, 1 or 2, got {target!r}; "
                            "pass e.g. target=0") from None
        # A copy, so the caller's sequence is never changed.
        super().__init__(logits=[float(z) for z in logits], target=target, **kwargs)

    @traitlets.validate("logits")
    def _valid_logits(self, proposal: dict[str, Any]) -> list[float]:
        value = proposal["value"]
        if len(value) != NUM_CLASSES or not all(np.isfinite(value)):
            raise traitlets.TraitError(
                f"logits must be {NUM_CLASSES} finite numbers, got {value!r}; pass e.g. logits=[5.0, 4.0, 2.0]"
            )
        return list(value)

    @traitlets.validate("target")
    def _valid_target(self, proposal: dict[str, Any]) -> int:
        value: int = proposal["value"]
        if not 0 <= value < NUM_CLASSES:
            raise traitlets.TraitError(
                f"target must be a class index 0, 1 or 2, got {value!r}; pass e.g. target=0"
            )
        return value

    def _compute_loss(self) -> float:
        z, t = np.array([self.logits]), np.array([self.target])
        self.set_trait("probabilities", lb.softmax(z)[0].tolist())
        self.set_trait("gradient", lb.cross_entropy_grad(z, t, reduction="sum")[0].tolist())
        return float(lb.cross_entropy(z, t, from_logits=True))
