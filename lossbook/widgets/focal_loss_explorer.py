"""FocalLossExplorer: how the focal loss's γ and α reshape -ln p_t."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import traitlets

import lossbook as lb

from ._base import LossWidget, check_unit_interval, esm_source

__all__ = ["FocalLossExplorer"]


class FocalLossExplorer(LossWidget):
    """Sliders for the focal loss's γ and α and the probability p_t of the true class.

    The view draws the focal loss -α (1 - p_t)^γ ln p_t against p_t (Lin et al., 2017), with
    plain cross-entropy -ln p_t dashed beside it, and marks the current p_t. The sliders span
    γ in [0, 5], α in [0, 1] and p_t in [0.001, 1]; Python may also set p_t = 0 (an infinite
    loss unless α = 0) and any finite γ >= 0.

    α is the weight of the example's own class, α_t in the paper: the example shown is a
    positive of :func:`lossbook.sigmoid_focal_loss`, whose positives carry α and negatives
    1 - α. With γ = 0 and α = 1 the loss is cross-entropy.

    Parameters
    ----------
    gamma : float, default 2.0
        Focusing parameter γ >= 0; larger values discount well-classified examples more.
    alpha : float, default 0.25
        Weight α of the example's class, in [0, 1].
    p_t : float, default 0.3
        Probability the model gives the true class, in [0, 1].

    Attributes
    ----------
    loss : float
        The focal loss in nats (read-only, recomputed whenever an input changes).

    Raises
    ------
    traitlets.TraitError
        If ``gamma`` is negative or not finite, or ``alpha`` or ``p_t`` is outside [0, 1].

    Examples
    --------
    >>> w = FocalLossExplorer(gamma=0.0, alpha=1.0, p_t=0.5)
    >>> round(w.loss, 6)  # cross-entropy: ln 2
    0.693147
    >>> w.gamma, w.alpha = 2.0, 0.25
    >>> round(w.loss, 6)  # 0.25 * 0.5**2 * ln 2
    0.043322
    """

    _esm = esm_source("focal_loss_explorer.js")
    _inputs = ("gamma", "alpha", "p_t")

    gamma = traitlets.Float(2.0).tag(sync=True)
    alpha = traitlets.Float(0.25).tag(sync=True)
    p_t = traitlets.Float(0.3).tag(sync=True)

    def __init__(self, gamma: float = 2.0, alpha: float = 0.25, p_t: float = 0.3, **kwargs: Any) -> None:
        super().__init__(gamma=gamma, alpha=alpha, p_t=p_t, **kwargs)

    @traitlets.validate("gamma")
    def _valid_gamma(self, proposal: dict[str, Any]) -> float:
        value = proposal["value"]
        if not (math.isfinite(value) and value >= 0.0):
            raise traitlets.TraitError(
                f"gamma must be a finite number >= 0, got {value!r}; pass e.g. gamma=2.0 (0 gives cross-entropy)")
        return float(value)

    @traitlets.validate("alpha")
    def _valid_alpha(self, proposal: dict[str, Any]) -> float:
        return check_unit_interval("alpha", proposal["value"], "a class weight such as alpha=0.25")

    @traitlets.validate("p_t")
    def _valid_p_t(self, proposal: dict[str, Any]) -> float:
        return check_unit_interval("p_t", proposal["value"], "a probability such as p_t=0.3")

    def _compute_loss(self) -> float:
        # A positive example (label 1) whose logit ln(p_t / (1 - p_t)) gives it probability p_t;
        # p_t = 0 and 1 become logits of -inf and +inf, which the focal loss takes as limits.
        with np.errstate(divide="ignore"):
            logit = np.log(self.p_t) - np.log1p(-self.p_t)
        loss = lb.sigmoid_focal_loss(np.array([logit]), np.array([1.0]), gamma=self.gamma, alpha=self.alpha)
        return float(loss)
