"""Binary cross-entropy for independent yes/no predictions, from probabilities or logits."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._numerics import in_base, reduce, weighted
from ._validation import (
    BINARY_TARGET_HINT,
    as_float_array,
    check_eps,
    check_not_empty,
    check_reduction,
    check_same_shape,
    check_unit_interval,
    log_of_base,
)
from .activations import log_sigmoid
from .likelihood import log_bernoulli


def binary_cross_entropy(
    y_pred: ArrayLike,
    y_true: ArrayLike,
    *,
    from_logits: bool = False,
    reduction: str = "mean",
    base: float | None = None,
    eps: float | None = None,
) -> NDArray[np.float64] | np.float64:
    r"""Binary cross-entropy :math:`-[y \log p + (1 - y) \log(1 - p)]`, elementwise, then reduced.

    It is the negative Bernoulli log-likelihood; both terms sit inside the minus sign.

    Parameters
    ----------
    y_pred : array_like
        Predicted probabilities of the positive class, or logits if ``from_logits=True``.
    y_true : array_like
        Targets in [0, 1] (0/1 labels or soft labels), same shape as ``y_pred``.
    from_logits : bool, default False
        Treat ``y_pred`` as logits ``z`` and use ``log_sigmoid(z)`` and ``log_sigmoid(-z)``
        directly, which is exact where ``log(sigmoid(z))`` rounds to 0 or overflows.
    reduction : {"mean", "sum", "none"}, default "mean"
        Average over all elements, add them up, or return one loss per element.
    base : float, optional
        Logarithm base: None for nats, 2 for bits.
    eps : float, optional
        Clip probabilities to ``[eps, 1 - eps]`` so that a confident mistake gives the large
        finite loss ``-log eps`` instead of ``inf``.  Only for probabilities.

    Returns
    -------
    float64 or ndarray of float64
        A scalar for "mean" and "sum"; the shape of ``y_pred`` for "none".

    Raises
    ------
    TypeError
        If an input, ``base`` or ``eps`` is not numeric.
    ValueError
        If the shapes differ; on NaN; if targets (or probabilities) lie outside [0, 1]; on
        an empty batch; for an unknown ``reduction``; for ``base <= 0`` or ``base == 1``;
        or for ``eps`` outside (0, 0.5) or combined with ``from_logits``.

    Examples
    --------
    >>> float(binary_cross_entropy([0.9], [1.0]))
    0.10536051565782628
    >>> binary_cross_entropy([0.9, 0.2], [1, 1], reduction="none")
    array([0.10536052, 1.60943791])

    From logits, nothing overflows and tiny losses survive:

    >>> binary_cross_entropy([1000.0, -1000.0, 40.0], [0, 1, 1], from_logits=True, reduction="none")
    array([1.00000000e+03, 1.00000000e+03, 4.24835426e-18])
    """
    reduction = check_reduction(reduction)
    log_base = log_of_base(base)
    eps = check_eps(eps, from_logits)
    pred = as_float_array("y_pred", y_pred)
    target = as_float_array("y_true", y_true)
    check_same_shape("y_pred", pred, "y_true", target)
    check_not_empty("y_pred", pred)
    check_unit_interval("y_true", target, BINARY_TARGET_HINT)
    if from_logits:
        # Both log-sigmoids are <= 0 and both weights >= 0: no cancellation anywhere.
        log_likelihood = weighted(target, log_sigmoid(pred)) + weighted(1.0 - target, log_sigmoid(-pred))
    else:
        check_unit_interval("y_pred", pred, "if these are logits, pass from_logits=True")
        probs = pred if eps is None else np.clip(pred, eps, 1.0 - eps)
        log_likelihood = log_bernoulli(probs, target)
    # 0 - x rather than -x, so that a perfect prediction gives +0.0, not -0.0.
    return reduce(in_base(0.0 - log_likelihood, log_base), reduction)
