"""The L2 weight penalty that regularization adds to a data loss, and its gradient."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import as_float_array, as_non_negative_number


#: How to fix a bad strength, shared by the penalty and its gradient.
STRENGTH_HINT = "pass the regularization strength lambda, e.g. strength=1e-3 (0 switches it off)"


def l2_penalty(weights: ArrayLike, strength: float) -> np.float64:
    r"""The L2 (weight decay) penalty :math:`\lambda \lVert W \rVert^2 = \lambda \sum W^2`.

    Added to a data loss it prefers small weights.  Only weights are meant to be passed:
    penalised biases would pull the model's base rates towards equal classes and make the fit
    depend on where the inputs are centred, and biases do not set how fast the outputs change
    with the inputs, which is what the penalty is meant to limit.

    Parameters
    ----------
    weights : array_like
        The weights, of any shape; every entry is squared and summed.
    strength : float
        The regularization strength :math:`\lambda \ge 0`.

    Returns
    -------
    float64
        :math:`\lambda \sum_{ij} W_{ij}^2`.

    Raises
    ------
    TypeError
        If ``weights`` is not numeric or ``strength`` is not a real number.
    ValueError
        If ``weights`` holds NaN, or ``strength`` is negative or not finite.

    Examples
    --------
    >>> float(l2_penalty([[1.0, -2.0], [0.5, 0.0]], strength=0.1))
    0.525
    >>> float(l2_penalty([3.0, 4.0], strength=0.0))
    0.0
    """
    lam = as_non_negative_number("strength", strength, STRENGTH_HINT)
    w = as_float_array("weights", weights)
    if lam == 0:
        return np.float64(0.0)  # switched off, even for weights whose squares overflow
    largest = float(np.max(np.abs(w))) if w.size else 0.0
    if largest == 0 or not np.isfinite(largest):
        return np.float64(lam * np.sum(w * w))
    # Square the weights divided by a power of two near the largest, which is exact, and scale
    # back: 1e155 squared overflows, but 1e-12 times it squared is 1e298. The strength comes
    # last unless the sum itself overflows, so that a tiny strength does not underflow first.
    scale = np.ldexp(1.0, np.frexp(largest)[1])
    squares = np.sum((w / scale) ** 2)
    with np.errstate(over="ignore"):  # a penalty beyond the float range is inf
        total = squares * scale * scale
        return np.float64(lam * total if np.isfinite(total) else lam * squares * scale * scale)


def l2_penalty_grad(weights: ArrayLike, strength: float) -> NDArray[np.float64]:
    r"""Gradient of :func:`l2_penalty` with respect to the weights: :math:`2 \lambda W`.

    Gradient descent with it shrinks every weight by the factor :math:`1 - 2\eta\lambda` before
    the data loss moves it, hence the name weight decay.

    Parameters
    ----------
    weights, strength
        As in :func:`l2_penalty`.

    Returns
    -------
    ndarray of float64
        :math:`2 \lambda W`, a new array of the shape of ``weights``.

    Raises
    ------
    TypeError, ValueError
        As :func:`l2_penalty`.

    Examples
    --------
    >>> l2_penalty_grad([[1.0, -2.0], [0.5, 0.0]], strength=0.1)
    array([[ 0.2, -0.4],
           [ 0.1,  0. ]])
    """
    lam = as_non_negative_number("strength", strength, STRENGTH_HINT)
    w = as_float_array("weights", weights)
    return 2.0 * lam * w
