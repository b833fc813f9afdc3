"""Entropy and Kullback-Leibler divergence of discrete distributions.

Cross-entropy splits as ``H(p, q) = H(p) + KL(p || q)``: the entropy is the part of the loss
no model can remove, the divergence the part a better model can.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._numerics import in_base, weighted, xlogy
from ._validation import (
    as_axis,
    as_float_array,
    check_distributions,
    check_has_class_axis,
    check_same_shape,
    log_of_base,
)

_HINT = "pass probability rows (e.g. lossbook.softmax(z) for scores)"


def _distribution(name: str, values: ArrayLike, axis: int) -> NDArray[np.float64]:
    """Return ``values`` as float rows that are probability distributions along ``axis``."""
    array = as_float_array(name, values)
    check_has_class_axis(name, array)
    axis = as_axis(name, array, axis)
    check_distributions(name, array, axis, _HINT, values)
    return array


def entropy(p: ArrayLike, base: float | None = None, axis: int = -1) -> NDArray[np.float64] | np.float64:
    r"""Shannon entropy :math:`H(p) = -\sum_j p_j \log p_j`, with :math:`0 \log 0 = 0`.

    Parameters
    ----------
    p : array_like
        Probability distributions along ``axis`` (each sums to 1 within 1e-6 for float64, 3.5e-4
        for float32).
    base : float, optional
        Logarithm base: None for nats, 2 for bits.
    axis : int, default -1
        The axis holding the outcomes.

    Returns
    -------
    float64 or ndarray of float64
        ``p`` with ``axis`` removed.

    Raises
    ------
    TypeError
        If ``p`` or ``base`` is not numeric.
    ValueError
        If ``p`` is a scalar, contains NaN, has entries outside [0, 1] or rows that do not
        sum to 1; or if ``base <= 0`` or ``base == 1``.

    Examples
    --------
    >>> float(entropy([0.5, 0.25, 0.25], base=2))
    1.5
    >>> float(entropy([1.0, 0.0, 0.0]))    # a one-hot target carries no uncertainty
    0.0
    """
    log_base = log_of_base(base)
    probs = _distribution("p", p, axis)
    return in_base(0.0 - np.sum(xlogy(probs, probs), axis=axis), log_base)


def kl_divergence(
    p: ArrayLike, q: ArrayLike, base: float | None = None, axis: int = -1
) -> NDArray[np.float64] | np.float64:
    r"""Kullback-Leibler divergence :math:`KL(p \| q) = \sum_j p_j \log(p_j / q_j)`.

    Terms with :math:`p_j = 0` count 0; a term with :math:`q_j = 0 < p_j` makes the
    divergence infinite (``q`` rules out something that happens).  Not symmetric.

    Parameters
    ----------
    p, q : array_like
        Probability distributions of the same shape, along ``axis``.
    base : float, optional
        Logarithm base: None for nats, 2 for bits.
    axis : int, default -1
        The axis holding the outcomes.

    Returns
    -------
    float64 or ndarray of float64
        Non-negative (up to rounding), with ``axis`` removed.

    Raises
    ------
    TypeError
        If an input or ``base`` is not numeric.
    ValueError
        If the shapes differ, an input is a scalar, contains NaN, has entries outside
        [0, 1] or rows that do not sum to 1; or if ``base <= 0`` or ``base == 1``.

    Examples
    --------
    >>> p, q = [0.5, 0.25, 0.25], [1/3, 1/3, 1/3]
    >>> float(kl_divergence(p, q, base=2))
    0.08496250072
    >>> float(kl_divergence([0.5, 0.5], [1.0, 0.0]))
    inf
    """
    log_base = log_of_base(base)
    pp = _distribution("p", p, axis)
    qq = _distribution("q", q, axis)
    check_same_shape("p", pp, "q", qq)
    # log(p/q) as log p - log q cancels when p is close to q; there log1p((p - q)/q) is
    # exact to rounding because p - q is computed exactly (Sterbenz).  Far apart, the
    # difference of logs is at least log 2, so it cannot cancel, and unlike p/q it never
    # overflows for a denormal q.
    close = (pp <= 2 * qq) & (qq <= 2 * pp) & (qq > 0)
    relative_gap = np.divide(pp - qq, qq, out=np.zeros(pp.shape), where=close)
    with np.errstate(divide="ignore", invalid="ignore"):  # log 0; weighted() drops p = 0 terms
        log_ratio = np.where(close, np.log1p(relative_gap), np.log(pp) - np.log(qq))
    return in_base(np.sum(weighted(pp, log_ratio), axis=axis), log_base)
