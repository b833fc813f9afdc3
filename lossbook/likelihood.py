"""The Bernoulli likelihood of binary labels, whose negative log is binary cross-entropy."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._numerics import in_base, weighted
from ._validation import (
    BINARY_TARGET_HINT,
    as_float_array,
    check_same_shape,
    check_unit_interval,
    log_of_base,
)

_PROBABILITY_HINT = "predictions must be probabilities; apply lossbook.sigmoid to logits first"


def _checked_pair(
    y_pred: ArrayLike, y_true: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return predictions and labels as float arrays of one shape, both in [0, 1]."""
    p = as_float_array("y_pred", y_pred)
    y = as_float_array("y_true", y_true)
    check_same_shape("y_pred", p, "y_true", y)
    check_unit_interval("y_pred", p, _PROBABILITY_HINT)
    check_unit_interval("y_true", y, BINARY_TARGET_HINT)
    return p, y


def log_bernoulli(
    p: NDArray[np.float64], y: NDArray[np.float64], positive: NDArray[np.float64] | None = None
) -> NDArray[np.float64]:
    """``y log p + (1 - y) log(1 - p)`` for checked arrays, with ``0 log 0 = 0``.

    ``positive`` replaces the weight ``y`` of the first term (``pos_weight * y``) if given.
    ``log1p(-p)`` rather than ``log(1 - p)`` keeps full precision for small ``p``.
    """
    with np.errstate(divide="ignore"):  # log 0 = -inf is the intended answer
        return weighted(y if positive is None else positive, np.log(p)) + weighted(1.0 - y, np.log1p(-p))


def bernoulli_likelihood(y_pred: ArrayLike, y_true: ArrayLike) -> NDArray[np.float64]:
    """Probability ``p**y * (1 - p)**(1 - y)`` that the model assigns to each label.

    Parameters
    ----------
    y_pred : array_like
        Predicted probabilities ``p`` of the positive class, in [0, 1].
    y_true : array_like
        Labels ``y`` in [0, 1] (0 or 1, or soft), same shape as ``y_pred``.

    Returns
    -------
    ndarray of float64
        One likelihood per element; the likelihood of a whole data set is their product,
        which underflows quickly, hence :func:`bernoulli_log_likelihood`.

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        If the shapes differ, a value lies outside [0, 1], or an input contains NaN.

    Examples
    --------
    >>> bernoulli_likelihood([0.7, 0.7], [1, 0])
    array([0.7, 0.3])
    >>> float(np.prod(bernoulli_likelihood([0.9, 0.8, 0.3], [1, 1, 0])))   # 0.9 * 0.8 * 0.7
    0.504
    """
    p, y = _checked_pair(y_pred, y_true)
    return np.power(p, y) * np.power(1.0 - p, 1.0 - y)


def bernoulli_log_likelihood(
    y_pred: ArrayLike, y_true: ArrayLike, base: float | None = None
) -> NDArray[np.float64]:
    """Log of :func:`bernoulli_likelihood`, ``y log p + (1 - y) log(1 - p)``, elementwise.

    Parameters
    ----------
    y_pred : array_like
        Predicted probabilities ``p`` in [0, 1].
    y_true : array_like
        Labels ``y`` in [0, 1], same shape as ``y_pred``.
    base : float, optional
        Logarithm base: None for nats, 2 for bits.

    Returns
    -------
    ndarray of float64
        One log-likelihood (<= 0) per element; ``-inf`` where the label is impossible
        under the prediction.  Their sum does not underflow.

    Raises
    ------
    TypeError
        If an input or ``base`` is not numeric.
    ValueError
        If the shapes differ, a value lies outside [0, 1], an input contains NaN, or
        ``base <= 0`` or ``base == 1``.

    Examples
    --------
    >>> bernoulli_log_likelihood([0.5, 0.25], [1, 0], base=2)
    array([-1.       , -0.4150375])
    >>> float(bernoulli_log_likelihood(np.full(20_000, 0.9), np.ones(20_000)).sum())
    -2107.210
    """
    log_base = log_of_base(base)
    p, y = _checked_pair(y_pred, y_true)
    return in_base(log_bernoulli(p, y), log_base)
