"""Smooth L1 (Huber-like) loss, the box-regression term of a detection head."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._numerics import reduce
from ._validation import (
    as_float_array,
    as_non_negative_number,
    check_not_empty,
    check_reduction,
    check_same_shape,
)

#: How to fix a bad beta.
BETA_HINT = "it is the distance at which the loss turns from quadratic to linear, e.g. beta=1.0"


def smooth_l1_loss(
    y_pred: ArrayLike,
    y_true: ArrayLike,
    *,
    beta: float = 1.0,
    reduction: str = "mean",
) -> NDArray[np.float64] | np.float64:
    r"""Smooth L1 loss, elementwise, then reduced, as ``torch.nn.functional.smooth_l1_loss``.

    With :math:`d = \hat y - y`, each element costs :math:`d^2 / (2\beta)` where
    :math:`|d| < \beta` and :math:`|d| - \beta/2` elsewhere: quadratic near the target, so the
    gradient fades as the prediction arrives, and linear far from it, so one badly placed box
    cannot dominate the batch as it would under squared error.

    Parameters
    ----------
    y_pred, y_true : array_like
        Predictions and targets of the same shape, e.g. ``(N, 4)`` box coordinates.
    beta : float, default 1.0
        Where the quadratic piece hands over to the linear one; ``beta > 0``.
    reduction : {"mean", "sum", "none"}, default "mean"
        Mean or sum over every element, or the elementwise losses.

    Returns
    -------
    float64 or ndarray of float64
        The reduced loss, or one loss per element for ``reduction="none"``.

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        On NaN, mismatched shapes, an empty input, ``beta <= 0`` or an unknown ``reduction``.

    Examples
    --------
    >>> smooth_l1_loss([0.5, 3.0, -1.0], [0.0, 0.0, -1.0], reduction="none")
    array([0.125, 2.5  , 0.   ])
    >>> float(smooth_l1_loss([0.5, 3.0, -1.0], [0.0, 0.0, -1.0]))
    0.875
    """
    reduction = check_reduction(reduction)
    beta = as_non_negative_number("beta", beta, BETA_HINT)
    if beta == 0:
        # torch treats beta = 0 as plain L1; lossbook asks for that loss to be written as such.
        raise ValueError(f"beta must be a finite number > 0, got {beta!r}; {BETA_HINT}")
    pred = as_float_array("y_pred", y_pred)
    target = as_float_array("y_true", y_true)
    check_same_shape("y_pred", pred, "y_true", target)
    check_not_empty("y_pred", pred)
    gap = np.abs(pred - target)
    losses = np.where(gap < beta, 0.5 * gap * gap / beta, gap - 0.5 * beta)
    return reduce(losses, reduction)
