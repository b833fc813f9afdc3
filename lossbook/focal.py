r"""Focal losses: cross-entropy scaled down by :math:`(1 - p_t)^\gamma` where the model is already right.

Lin et al. (2017) multiply each example's cross-entropy :math:`-\log p_t` by
:math:`(1 - p_t)^\gamma`, so well-classified examples (``p_t`` near 1) count for little and the
hard ones dominate.  The factor is where precision is lost: computed as ``1 - p_t`` it cancels
to 0 once ``p_t`` rounds to 1, so a loss of 1e-40 would come out as exactly 0.  Here
``1 - p_t`` is computed without subtracting from 1:

* softmax: ``1 - p_t = -expm1(-l)`` from the cross-entropy ``l = -log p_t``, which itself has
  full relative precision (:func:`lossbook.cross_entropy`);
* sigmoid: ``1 - p_t = y sigmoid(-z) + (1 - y) sigmoid(z)``, a sum of non-negative terms.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._numerics import reduce, weighted
from ._validation import (
    BINARY_TARGET_HINT,
    as_class_indices,
    as_float_array,
    as_non_negative_number,
    as_unit_number,
    check_has_class_axis,
    check_index_targets,
    check_not_empty,
    check_reduction,
    check_same_shape,
    check_unit_interval,
)
from .activations import named_log_softmax, sigmoid
from .binary_cross_entropy import losses_from_logits
from .cross_entropy import _index_losses_from_logits

_GAMMA_HINT = "gamma=0 gives plain cross-entropy; 2 is the usual choice"


class _Focal(NamedTuple):
    """The checked inputs of a softmax focal loss."""

    rows: NDArray[np.float64]         # logits, shape (n, K)
    labels: NDArray[np.intp]          # shape (n,)
    shape: tuple[int, ...]            # the batch shape, logits.shape[:-1]
    gamma: float
    alpha_t: NDArray[np.float64] | None


def _softmax_focal(logits: ArrayLike, y_true: ArrayLike, gamma: object, alpha: ArrayLike | None) -> _Focal:
    """Check the inputs of :func:`focal_loss` and :func:`focal_loss_grad`."""
    gamma = as_non_negative_number("gamma", gamma, _GAMMA_HINT)
    z = as_float_array("logits", logits)
    check_has_class_axis("logits", z)
    check_not_empty("logits", z)
    k = z.shape[-1]
    check_index_targets("focal_loss", z, y_true)
    labels = as_class_indices("y_true", y_true, k).ravel()
    alpha_t = None
    if alpha is not None:
        per_class = as_float_array("alpha", alpha)
        check_unit_interval("alpha", per_class, f"pass one weight in [0, 1] per class, shape ({k},)")
        if per_class.shape != (k,):
            raise ValueError(
                f"alpha has shape {per_class.shape} but there are {k} classes; pass one weight in "
                f"[0, 1] per class, shape ({k},), or alpha=None"
            )
        alpha_t = per_class[labels]
    return _Focal(z.reshape(-1, k), labels, z.shape[:-1], gamma, alpha_t)


def focal_loss(
    logits: ArrayLike,
    y_true: ArrayLike,
    *,
    gamma: float = 2.0,
    alpha: ArrayLike | None = None,
    reduction: str = "mean",
) -> NDArray[np.float64] | np.float64:
    r"""Softmax focal loss :math:`-\alpha_t (1 - p_t)^\gamma \log p_t` with :math:`p = \mathrm{softmax}(z)`.

    With ``gamma=0`` and ``alpha=None`` it is cross-entropy from logits.  It never exceeds
    :math:`\max_t \alpha_t` times the cross-entropy, since :math:`(1 - p_t)^\gamma \le 1`.

    Parameters
    ----------
    logits : array_like, shape ``(..., K)``
        Logits.
    y_true : array_like, shape ``logits.shape[:-1]``
        Class indices.
    gamma : float, default 2.0
        Focusing exponent :math:`\gamma \ge 0`.
    alpha : array_like, shape ``(K,)``, optional
        Per-class weights in [0, 1]; example ``i`` is weighted by ``alpha[y_i]``.
    reduction : {"mean", "sum", "none"}, default "mean"
        Average over examples (not weighted by ``alpha``), add them up, or return each.

    Returns
    -------
    float64 or ndarray of float64
        A scalar for "mean" and "sum"; shape ``logits.shape[:-1]`` for "none".

    Raises
    ------
    TypeError
        If an input, ``gamma`` or ``alpha`` is not numeric.
    ValueError
        For ``gamma < 0``; ``alpha`` outside [0, 1] or not one per class; target rows instead
        of indices; bad labels, NaN, empty batches or an unknown ``reduction`` as in
        :func:`lossbook.cross_entropy`.

    Examples
    --------
    A well-classified example loses most of its loss, a misclassified one little:

    >>> focal_loss([[3.0, 0.0], [0.0, 3.0]], [0, 0], reduction="none")
    array([1.09283324e-04, 2.76628044e+00])
    >>> from lossbook import cross_entropy
    >>> cross_entropy([[3.0, 0.0], [0.0, 3.0]], [0, 0], from_logits=True, reduction="none")
    array([0.04858735, 3.04858735])

    Where ``1 - p_t`` rounds to 0, the loss keeps its digits:

    >>> float(focal_loss([[40.0, 0.0]], [0]))
    7.667648073722003e-53
    """
    reduction = check_reduction(reduction)
    f = _softmax_focal(logits, y_true, gamma, alpha)
    nll = _index_losses_from_logits(f.rows, f.labels, "logits")
    losses = weighted(np.power(-np.expm1(-nll), f.gamma), nll)
    if f.alpha_t is not None:
        losses = weighted(f.alpha_t, losses)
    return reduce(losses.reshape(f.shape), reduction)


def focal_loss_grad(
    logits: ArrayLike,
    y_true: ArrayLike,
    *,
    gamma: float = 2.0,
    alpha: ArrayLike | None = None,
    reduction: str = "mean",
) -> NDArray[np.float64]:
    r"""Gradient of :func:`focal_loss` with respect to the logits.

    With :math:`l = -\log p_t` and :math:`u = 1 - p_t`, one example's gradient is

    .. math:: \alpha_t\, u^\gamma \left(1 + \gamma\, p_t\, l / u\right) (\mathrm{softmax}(z) - e_t),

    cross-entropy's :math:`\mathrm{softmax}(z) - e_t` scaled by a factor in :math:`[0, 1 +
    \gamma]`.  :math:`l / u \to 1` as :math:`u \to 0`, so the factor is finite everywhere, and
    the true-class entry :math:`p_t - 1` is taken as :math:`-u` to keep its digits.

    Parameters
    ----------
    logits, y_true, gamma, alpha
        As in :func:`focal_loss`.
    reduction : {"mean", "sum", "none"}, default "mean"
        "mean" divides by the number of examples; "sum" and "none" (each example's loss with
        respect to its own logits) do not.

    Returns
    -------
    ndarray of float64
        Same shape as ``logits``.

    Raises
    ------
    TypeError, ValueError
        As :func:`focal_loss`.

    Examples
    --------
    >>> focal_loss_grad([[0.0, 0.0]], [0], gamma=0.0)      # cross-entropy's gradient
    array([[-0.5,  0.5]])
    >>> focal_loss_grad([[0.0, 0.0]], [0]).round(6)
    array([[-0.298287,  0.298287]])
    """
    reduction = check_reduction(reduction)
    f = _softmax_focal(logits, y_true, gamma, alpha)
    # log_softmax's entries keep full relative precision, so -log p_t can be read off it.
    grad = named_log_softmax("logits", f.rows)
    index = np.arange(len(grad))
    nll = 0.0 - grad[index, f.labels]
    rest = -np.expm1(-nll)
    np.exp(grad, out=grad)
    with np.errstate(invalid="ignore", divide="ignore"):  # u = 0 is replaced by the limit 1
        ratio = np.where(rest > 0, weighted(np.exp(-nll), nll) / rest, 1.0)
    scale = np.power(rest, f.gamma) * (1.0 + f.gamma * ratio)
    if f.alpha_t is not None:
        scale *= f.alpha_t
    grad[index, f.labels] = -rest
    grad *= scale[:, None]
    if reduction == "mean":
        grad /= len(grad)
    return grad.reshape(*f.shape, f.rows.shape[1])


def sigmoid_focal_loss(
    logits: ArrayLike,
    y_true: ArrayLike,
    *,
    gamma: float = 2.0,
    alpha: float | None = 0.25,
    reduction: str = "mean",
) -> NDArray[np.float64] | np.float64:
    r"""Sigmoid focal loss of ``torchvision.ops.sigmoid_focal_loss``, elementwise, then reduced.

    Binary cross-entropy from logits times :math:`(1 - p_t)^\gamma`, with
    :math:`p_t = p y + (1 - p)(1 - y)`, times :math:`\alpha_t = \alpha y + (1 - \alpha)(1 - y)`.
    torchvision's default reduction is "none"; lossbook's is "mean", like its other losses.

    Parameters
    ----------
    logits : array_like
        Logits, one per element.
    y_true : array_like
        Targets in [0, 1], same shape as ``logits``.
    gamma : float, default 2.0
        Focusing exponent :math:`\gamma \ge 0`.
    alpha : float or None, default 0.25
        Weight in [0, 1] of the positive class (negatives get ``1 - alpha``); None for no
        weighting (torchvision's ``alpha=-1``).
    reduction : {"mean", "sum", "none"}, default "mean"
        Average over all elements, add them up, or return each.

    Returns
    -------
    float64 or ndarray of float64
        A scalar for "mean" and "sum"; the shape of ``logits`` for "none".

    Raises
    ------
    TypeError
        If an input, ``gamma`` or ``alpha`` is not numeric.
    ValueError
        For ``gamma < 0``, ``alpha`` outside [0, 1], mismatched shapes, targets outside
        [0, 1], NaN, an empty batch or an unknown ``reduction``.

    Examples
    --------
    >>> sigmoid_focal_loss([2.0, -2.0, 2.0], [1, 0, 0], reduction="none")
    array([4.50890709e-04, 1.35267213e-03, 1.23755863e+00])
    >>> float(sigmoid_focal_loss([40.0], [1], alpha=None))   # 1 - p_t = 4.2e-18, kept
    7.667648073721999e-53
    """
    reduction = check_reduction(reduction)
    gamma = as_non_negative_number("gamma", gamma, _GAMMA_HINT)
    z = as_float_array("logits", logits)
    y = as_float_array("y_true", y_true)
    check_same_shape("logits", z, "y_true", y)
    check_not_empty("logits", z)
    check_unit_interval("y_true", y, BINARY_TARGET_HINT)
    ce = losses_from_logits(z, y, 1.0 - y)
    rest = y * sigmoid(-z) + (1.0 - y) * sigmoid(z)
    losses = weighted(np.power(rest, gamma), ce)
    if alpha is not None:
        a = as_unit_number("alpha", alpha, "0.25 is torchvision's default; None turns weighting off")
        losses = weighted(a * y + (1.0 - a) * (1.0 - y), losses)
    return reduce(losses, reduction)
