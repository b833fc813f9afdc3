r"""Squared error between softmax probabilities and targets, and its gradient in the logits.

A loss that looks as reasonable as cross-entropy and trains classifiers badly: its gradient
carries a factor :math:`p_j` that vanishes where the model is confidently wrong (the training
chapter shows it stall). Kept in the package so that the training playground's Python side
computes it with tested code.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._numerics import reduce
from ._validation import (
    as_class_indices,
    as_float_array,
    as_target_distributions,
    check_has_class_axis,
    check_not_empty,
    check_reduction,
    targets_are_indices,
)
from .activations import named_softmax
from .encoding import one_hot

__all__ = ["softmax_squared_error", "softmax_squared_error_grad"]


def _probabilities_and_targets(
    logits: ArrayLike, y_true: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    z = as_float_array("logits", logits)
    check_has_class_axis("logits", z)
    check_not_empty("logits", z)
    p = named_softmax("logits", z)
    if targets_are_indices(z, y_true):
        y = one_hot(as_class_indices("y_true", y_true, z.shape[-1]), num_classes=z.shape[-1])
    else:
        y = as_target_distributions(y_true)
    return p, y


def softmax_squared_error(
    logits: ArrayLike, y_true: ArrayLike, *, reduction: str = "mean"
) -> NDArray[np.float64] | np.float64:
    r"""Squared error :math:`\sum_k (p_k - y_k)^2` of :math:`p = \mathrm{softmax}(z)`, per example.

    Parameters
    ----------
    logits : array_like, shape ``(..., K)``
        Logits.
    y_true : array_like
        Class indices of shape ``logits.shape[:-1]`` or target distributions of shape
        ``logits.shape``.
    reduction : {"mean", "sum", "none"}, default "mean"
        How to combine the examples' losses.

    Returns
    -------
    float64 or ndarray of float64
        A scalar, or one loss per example for "none"; each in [0, 2].

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        On bad targets or shapes, NaN, an empty batch or an unknown ``reduction``.

    Examples
    --------
    >>> float(softmax_squared_error([[0.0, 0.0]], [0]))   # (1/2 - 1)^2 + (1/2)^2
    0.5
    """
    reduction = check_reduction(reduction)
    p, y = _probabilities_and_targets(logits, y_true)
    return reduce(np.sum((p - y) ** 2, axis=-1), reduction)


def softmax_squared_error_grad(
    logits: ArrayLike, y_true: ArrayLike, *, reduction: str = "mean"
) -> NDArray[np.float64]:
    r"""Gradient of :func:`softmax_squared_error` with respect to the logits.

    Through the softmax Jacobian :math:`\mathrm{diag}(p) - p p^\top`, for one example

    .. math:: \frac{\partial \ell}{\partial z_j} = 2 p_j \Big[(p_j - y_j) - \sum_k p_k (p_k - y_k)\Big].

    Parameters
    ----------
    logits : array_like, shape ``(..., K)``
        Logits.
    y_true : array_like
        Class indices or target distributions, as for :func:`softmax_squared_error`.
    reduction : {"mean", "sum", "none"}, default "mean"
        The reduction of the loss being differentiated: "mean" divides by the number of
        examples; "sum" and "none" do not.

    Returns
    -------
    ndarray of float64
        Same shape as ``logits``; each row sums to 0 (up to rounding).

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        As :func:`softmax_squared_error`.

    Examples
    --------
    >>> softmax_squared_error_grad([[0.0, 0.0]], [0])
    array([[-0.5,  0.5]])
    """
    reduction = check_reduction(reduction)
    p, y = _probabilities_and_targets(logits, y_true)
    error = p - y
    grad: NDArray[np.float64] = 2.0 * p * (error - np.sum(p * error, axis=-1, keepdims=True))
    if reduction == "mean":
        grad /= grad.size // grad.shape[-1]
    return grad
