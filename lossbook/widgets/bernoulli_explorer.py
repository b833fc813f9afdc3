"""BernoulliExplorer: likelihood and binary cross-entropy of one prediction and one label."""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

import lossbook as lb

from ._base import LossWidget, check_unit_interval, esm_source

__all__ = ["BernoulliExplorer"]


class BernoulliExplorer(LossWidget):
    """Sliders for a predicted probability p (or its logit) and a label y in [0, 1].

    The view shows the likelihood p^y (1-p)^(1-y), the binary cross-entropy, and both of its
    branches, -ln p (for y = 1) and -ln(1-p) (for y = 0), with the current mixture of the two.
    Soft labels (0 < y < 1) are allowed.

    Parameters
    ----------
    p : float, default 0.7
        Predicted probability of the positive class, in [0, 1].
    y : float, default 1.0
        The label, in [0, 1].

    Attributes
    ----------
    loss : float
        Binary cross-entropy in nats (read-only).
    likelihood : float
        p^y (1-p)^(1-y) (read-only).

    Raises
    ------
    traitlets.TraitError
        If ``p`` or ``y`` is outside [0, 1].

    Examples
    --------
    >>> w = BernoulliExplorer(p=0.7, y=0.0)
    >>> round(w.likelihood, 6), round(w.loss, 6)
    (0.3, 1.203973)
    """

    _esm = esm_source("bernoulli_explorer.js")
    _inputs = ("p", "y")

    p = traitlets.Float(0.7).tag(sync=True)
    y = traitlets.Float(1.0).tag(sync=True)
    likelihood = traitlets.Float(read_only=True)

    def __init__(self, p: float = 0.7, y: float = 1.0, **kwargs: Any) -> None:
        super().__init__(p=p, y=y, **kwargs)

    @traitlets.validate("p")
    def _valid_p(self, proposal: dict[str, Any]) -> float:
        return check_unit_interval("p", proposal["value"], "a probability such as p=0.7")

    @traitlets.validate("y")
    def _valid_y(self, proposal: dict[str, Any]) -> float:
        return check_unit_interval("y", proposal["value"], "a label such as y=1.0 (soft labels like 0.8 are fine)")

    def _compute_loss(self) -> float:
        p, y = np.array([self.p]), np.array([self.y])
        self.set_trait("likelihood", float(lb.bernoulli_likelihood(p, y)[0]))
        return float(lb.binary_cross_entropy(p, y))
