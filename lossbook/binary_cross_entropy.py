"""Binary cross-entropy for independent yes/no predictions, from probabilities or logits."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._numerics import in_base, reduce, weighted
from ._validation import (
    BINARY_TARGET_HINT,
    as_float_array,
    as_weights,
    check_eps,
    check_from_logits,
    check_not_empty,
    check_reduction,
    check_same_shape,
    check_unit_interval,
    log_of_base,
)
from .activations import softplus_of_minus_abs
from .likelihood import log_bernoulli


def binary_cross_entropy(
    y_pred: ArrayLike,
    y_true: ArrayLike,
    *,
    from_logits: bool = False,
    reduction: str = "mean",
    base: float | None = None,
    eps: float | None = None,
    weight: ArrayLike | None = None,
    pos_weight: ArrayLike | None = None,
) -> NDArray[np.float64] | np.float64:
    r"""Binary cross-entropy :math:`-[y \log p + (1 - y) \log(1 - p)]`, elementwise, then reduced.

    It is the negative Bernoulli log-likelihood; both terms sit inside the minus sign.  With
    the options of ``torch.nn.BCEWithLogitsLoss`` each element's loss is
    :math:`-w\,[p_w\, y \log p + (1 - y) \log(1 - p)]`, and "mean" still divides by the
    number of elements.

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
    weight : array_like, optional
        Non-negative finite factor for each element's loss, broadcast against ``y_pred``
        (e.g. one per example, shape ``(n, 1)`` for ``(n, c)`` predictions).
    pos_weight : array_like, optional
        Non-negative finite factor for the positive term only, broadcast against
        ``y_pred`` (usually one per output column): ``n_negative / n_positive`` of a column
        makes its positives count as much as its negatives.  Unlike ``weight`` it changes
        where the loss is smallest, not just how much an element counts.

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
        for ``eps`` outside (0, 0.5) or combined with ``from_logits``; or for ``weight`` or
        ``pos_weight`` that are negative, not finite, or do not broadcast to ``y_pred``.

    Examples
    --------
    >>> float(binary_cross_entropy([0.9], [1.0]))
    0.10536051565782628
    >>> binary_cross_entropy([0.9, 0.2], [1, 1], reduction="none")
    array([0.10536052, 1.60943791])

    From logits, nothing overflows and tiny losses survive:

    >>> binary_cross_entropy([1000.0, -1000.0, 40.0], [0, 1, 1], from_logits=True, reduction="none")
    array([1.00000000e+03, 1.00000000e+03, 4.24835426e-18])

    ``pos_weight`` scales only the positive term, ``weight`` the whole loss:

    >>> binary_cross_entropy([0.0, 0.0], [1, 0], from_logits=True, pos_weight=3.0, reduction="none")
    array([2.07944154, 0.69314718])
    """
    reduction = check_reduction(reduction)
    log_base = log_of_base(base)
    from_logits = check_from_logits(from_logits)
    eps = check_eps(eps, from_logits)
    pred = as_float_array("y_pred", y_pred)
    target = as_float_array("y_true", y_true)
    check_same_shape("y_pred", pred, "y_true", target)
    check_not_empty("y_pred", pred)
    check_unit_interval("y_true", target, BINARY_TARGET_HINT)
    element_weight, positive_weight = binary_weights(pred.shape, weight, pos_weight)
    positive = target if positive_weight is None else target * positive_weight
    if from_logits:
        losses = losses_from_logits(pred, positive, 1.0 - target)
    else:
        check_unit_interval("y_pred", pred, "if these are logits, pass from_logits=True")
        probs = pred if eps is None else np.clip(pred, eps, 1.0 - eps)
        # 0 - x rather than -x, so that a perfect prediction gives +0.0, not -0.0.
        losses = 0.0 - log_bernoulli(probs, target, positive)
    if element_weight is not None:
        losses = weighted(element_weight, losses, out=losses)
    return reduce(in_base(losses, log_base), reduction)


def losses_from_logits(
    z: NDArray[np.float64], positive: NDArray[np.float64], negative: NDArray[np.float64]
) -> NDArray[np.float64]:
    """``-[a log sigmoid(z) + b log sigmoid(-z)]`` elementwise, for weights ``a, b >= 0``.

    ``-log sigmoid(z) = s - min(z, 0)`` and ``-log sigmoid(-z) = s + max(z, 0)`` with the
    shared ``s = log1p(exp(-|z|))``: both terms are sums of non-negative numbers, so nothing
    cancels, and ``s`` is computed once.
    """
    s = softplus_of_minus_abs(z)
    # In place, see weighted().
    minus_log_p = np.minimum(z, 0.0)
    np.subtract(s, minus_log_p, out=minus_log_p)
    minus_log_q = np.maximum(z, 0.0)
    minus_log_q += s
    losses = weighted(positive, minus_log_p, out=minus_log_p)
    losses += weighted(negative, minus_log_q, out=minus_log_q)
    return losses


def binary_weights(
    shape: tuple[int, ...], weight: ArrayLike | None, pos_weight: ArrayLike | None
) -> tuple[NDArray[np.float64] | None, NDArray[np.float64] | None]:
    """Check ``weight`` and ``pos_weight`` of a binary loss against predictions of ``shape``."""
    checked = [
        None if value is None else as_weights(name, value, shape, hint)
        for name, value, hint in (
            ("weight", weight, "pass one non-negative factor per element, or per row or column"),
            ("pos_weight", pos_weight, "pass one non-negative factor per output column, e.g. n_neg / n_pos"),
        )
    ]
    return checked[0], checked[1]
