"""Gradients of the losses with respect to the logits, and a finite-difference check for them."""

from __future__ import annotations

from typing import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import (
    BINARY_TARGET_HINT,
    as_float_array,
    check_has_class_axis,
    check_not_empty,
    check_reduction,
    check_same_shape,
    check_unit_interval,
)
from ._targets import class_targets
from .binary_cross_entropy import binary_weights
from .activations import named_softmax, sigmoid


def cross_entropy_grad(
    logits: ArrayLike,
    y_true: ArrayLike,
    *,
    reduction: str = "mean",
    weight: ArrayLike | None = None,
    label_smoothing: float = 0.0,
    ignore_index: int | None = None,
) -> NDArray[np.float64]:
    r"""Gradient of ``cross_entropy(logits, y_true, from_logits=True)`` with respect to the logits.

    For one example it is :math:`\mathrm{softmax}(z) - y`: predicted minus target
    probabilities, so it pushes the true class up and every other class down.  With the
    options it is :math:`(\sum_j t_j)\,\mathrm{softmax}(z) - t` for the weighted, smoothed
    target :math:`t = w \odot ((1 - \varepsilon) y + \varepsilon / K)` (0 for an ignored
    example), divided under "mean" by the same divisor as the loss.

    Parameters
    ----------
    logits : array_like, shape ``(..., K)``
        Logits.
    y_true : array_like
        Class indices of shape ``logits.shape[:-1]`` or target distributions of shape
        ``logits.shape``.
    reduction : {"mean", "sum", "none"}, default "mean"
        The reduction of the loss being differentiated: "mean" divides by the number of
        examples; "sum" and "none" (each example's loss with respect to its own logits)
        do not.
    weight, label_smoothing, ignore_index
        As in :func:`lossbook.cross_entropy`.

    Returns
    -------
    ndarray of float64
        Same shape as ``logits``; each row sums to 0 (up to rounding).

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        As :func:`lossbook.cross_entropy` for bad targets, shapes, NaN, empty batches,
        bad options or an unknown ``reduction``; or if a row of logits has no finite maximum.

    Examples
    --------
    >>> cross_entropy_grad([[5.0, 4.0, 2.0]], [0]).round(3)
    array([[-0.295,  0.259,  0.035]])
    >>> cross_entropy_grad([[0.0, 0.0], [0.0, 0.0]], [0, 1])     # mean: divided by 2
    array([[-0.25,  0.25],
           [ 0.25, -0.25]])

    An ignored example gets no gradient, and the mean is over the one that is left:

    >>> cross_entropy_grad([[0.0, 0.0], [0.0, 0.0]], [0, -100], ignore_index=-100)
    array([[-0.5,  0.5],
           [ 0. ,  0. ]])
    """
    reduction = check_reduction(reduction)
    z = as_float_array("logits", logits)
    check_has_class_axis("logits", z)
    check_not_empty("logits", z)
    k = z.shape[-1]
    targets = class_targets(z, y_true, weight, label_smoothing, ignore_index, reduction)
    grad = named_softmax("logits", z)
    rows = grad.reshape(-1, k)  # a view: grad is freshly allocated and contiguous
    if targets.dense is not None:
        if targets.weight is not None or targets.smoothing:
            rows *= np.sum(targets.dense, axis=1, keepdims=True)
        rows -= targets.dense
    else:
        assert targets.labels is not None
        eps, w, kept = targets.smoothing, targets.weight, targets.kept
        true_weight = np.ones(len(rows)) if targets.row_weight is None else targets.row_weight
        if w is not None or eps or kept is not None:
            # sum_j t_j = (1 - eps) w_y + (eps / K) sum_j w_j, for the kept rows.
            total = (1.0 - eps) * true_weight
            if eps:
                class_total = k if w is None else float(np.sum(w))
                total += (eps / k) * class_total * (1.0 if kept is None else kept)
            rows *= total[:, None]
        rows[np.arange(len(rows)), targets.labels] -= (1.0 - eps) * true_weight
        if eps:
            smooth = (eps / k) * (np.ones(k) if w is None else w)
            rows -= smooth if kept is None else kept[:, None] * smooth
    if reduction == "mean":
        grad /= targets.divisor
    return grad


def binary_cross_entropy_grad(
    logits: ArrayLike,
    y_true: ArrayLike,
    *,
    reduction: str = "mean",
    weight: ArrayLike | None = None,
    pos_weight: ArrayLike | None = None,
) -> NDArray[np.float64]:
    r"""Gradient of ``binary_cross_entropy(logits, y_true, from_logits=True)`` with respect to the logits.

    Elementwise :math:`\sigma(z) - y`; with the options
    :math:`w\,[(1 - y + p_w y)\,\sigma(z) - p_w y]`.

    Parameters
    ----------
    logits : array_like
        Logits.
    y_true : array_like
        Targets in [0, 1], same shape as ``logits``.
    reduction : {"mean", "sum", "none"}, default "mean"
        "mean" divides by the number of elements; "sum" and "none" do not.
    weight, pos_weight : array_like, optional
        As in :func:`lossbook.binary_cross_entropy`.

    Returns
    -------
    ndarray of float64
        Same shape as ``logits``.

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        If the shapes differ, on NaN, on targets outside [0, 1], on an empty batch, or for
        an unknown ``reduction``.

    Examples
    --------
    >>> binary_cross_entropy_grad([0.0, 2.0], [1.0, 1.0], reduction="sum")
    array([-0.5       , -0.11920292])
    """
    reduction = check_reduction(reduction)
    z = as_float_array("logits", logits)
    y = as_float_array("y_true", y_true)
    check_same_shape("logits", z, "y_true", y)
    check_not_empty("logits", z)
    check_unit_interval("y_true", y, BINARY_TARGET_HINT)
    element_weight, positive_weight = binary_weights(z.shape, weight, pos_weight)
    if positive_weight is None:
        grad = sigmoid(z) - y
    else:
        positive = positive_weight * y
        grad = (1.0 - y + positive) * sigmoid(z) - positive
    if element_weight is not None:
        grad = np.multiply(grad, element_weight)
    if reduction == "mean":
        grad /= grad.size
    return grad


def numerical_gradient(
    f: Callable[[NDArray[np.float64]], float], x: ArrayLike, h: float = 1e-5
) -> NDArray[np.float64]:
    r"""Central-difference estimate :math:`(f(x + h e_i) - f(x - h e_i)) / 2h` of the gradient of ``f``.

    A reference for checking analytic gradients: its error is about
    :math:`h^2 f''' + \epsilon f / h`, roughly 1e-10 relative with the default ``h``.

    Parameters
    ----------
    f : callable
        Maps an array shaped like ``x`` to a scalar.  Receives copies; ``x`` is not modified.
    x : array_like
        The point at which to differentiate.
    h : float, default 1e-5
        Step size, positive.

    Returns
    -------
    ndarray of float64
        Same shape as ``x``.

    Raises
    ------
    TypeError
        If ``f`` is not callable, ``x`` is not numeric, or ``f`` does not return a scalar.
    ValueError
        If ``x`` contains NaN or ``h`` is not a positive finite number.

    Examples
    --------
    >>> numerical_gradient(lambda v: float(np.sum(v ** 2)), [1.0, -2.0])
    array([ 2., -4.])
    >>> z, y = np.array([[5.0, 4.0, 2.0]]), np.array([0])
    >>> from lossbook import cross_entropy
    >>> numerical_gradient(lambda v: cross_entropy(v, y, from_logits=True), z).round(3)
    array([[-0.295,  0.259,  0.035]])
    """
    if not callable(f):
        raise TypeError(f"f must be a function of one array returning a number, got {f!r}")
    if isinstance(h, bool) or not isinstance(h, (int, float, np.integer, np.floating)) or not (
        np.isfinite(h) and h > 0
    ):
        raise ValueError(f"h must be a small positive step such as 1e-5, got {h!r}")
    point = as_float_array("x", x)
    grad = np.empty(point.shape)
    for index in np.ndindex(point.shape):
        ahead, behind = point.copy(), point.copy()
        ahead[index] += h
        behind[index] -= h
        if ahead[index] == behind[index]:
            raise ValueError(
                f"h = {h!r} is too small to move x[{', '.join(map(str, index))}] = "
                f"{float(point[index])!r}: x + h rounds back to x; pass an h of about 1e-5 times "
                f"|x|, e.g. h={1e-5 * abs(float(point[index])):.1e}"
            )
        # Divide by the step actually taken: x + h is rounded, and using 2h instead would
        # add that rounding error to every estimate.
        grad[index] = (_scalar(f(ahead)) - _scalar(f(behind))) / (ahead[index] - behind[index])
    return grad


def _scalar(value: object) -> float:
    """Return ``value`` as a float, or explain that ``f`` must return a single number."""
    array = np.asarray(value)
    if array.size != 1 or array.dtype.kind not in "biuf":
        raise TypeError(
            f"f must return a single number, got {value!r}; reduce it, e.g. with reduction='mean'"
        )
    return float(array.reshape(()))
