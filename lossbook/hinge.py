r"""The multiclass hinge (SVM) loss of Weston and Watkins, and its subgradient.

Each wrong class :math:`j` that scores within ``margin`` of the true class :math:`y` adds the
amount by which it does: :math:`\sum_{j \ne y} \max(0, s_j - s_y + \Delta)`.  Unlike
cross-entropy it is exactly 0 once every wrong class is ``margin`` below the true one, so it
stops pushing there.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._numerics import reduce
from ._validation import (
    as_class_indices,
    as_float_array,
    as_non_negative_number,
    check_finite,
    check_has_class_axis,
    check_index_targets,
    check_not_empty,
    check_reduction,
)


def _margins(
    scores: ArrayLike, y_true: ArrayLike, margin: object
) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Return ``s_j - s_y + margin`` per row (0 in the true column) and the labels."""
    margin = as_non_negative_number("margin", margin, "the usual choice is margin=1.0")
    s = as_float_array("scores", scores)
    check_has_class_axis("scores", s)
    check_not_empty("scores", s)
    check_finite("scores", s, "clip the scores, e.g. np.clip(scores, -1e300, 1e300)")
    check_index_targets("multiclass_hinge_loss", s, y_true)
    k = s.shape[-1]
    labels = as_class_indices("y_true", y_true, k).ravel()
    rows = s.reshape(-1, k)
    index = np.arange(len(rows))
    margins = rows - rows[index, labels][:, None] + margin
    margins[index, labels] = 0.0
    return margins.reshape(s.shape), labels


def multiclass_hinge_loss(
    scores: ArrayLike,
    y_true: ArrayLike,
    *,
    margin: float = 1.0,
    reduction: str = "mean",
) -> NDArray[np.float64] | np.float64:
    r"""Weston–Watkins multiclass hinge loss :math:`\sum_{j \ne y} \max(0, s_j - s_y + \Delta)`.

    ``torch.nn.functional.multi_margin_loss`` computes the same sum divided by the number of
    classes K.

    Parameters
    ----------
    scores : array_like, shape ``(..., K)``
        Finite class scores (logits; no softmax is involved).
    y_true : array_like, shape ``scores.shape[:-1]``
        Class indices.
    margin : float, default 1.0
        :math:`\Delta \ge 0`, by how much the true class should beat every other.
    reduction : {"mean", "sum", "none"}, default "mean"
        Average over examples, add them up, or return each.

    Returns
    -------
    float64 or ndarray of float64
        A scalar for "mean" and "sum"; shape ``scores.shape[:-1]`` for "none".

    Raises
    ------
    TypeError
        If an input or ``margin`` is not numeric.
    ValueError
        For infinite scores or NaN, a negative or infinite ``margin``, target rows instead of
        indices, bad labels, an empty batch or an unknown ``reduction``.

    Examples
    --------
    The worked example of CS231n's notes: class 0 true, scores 3.2, 5.1, -1.7.  Class 1 beats
    it by 1.9, plus the margin 1; class 2 is 4.9 below it, more than the margin:

    >>> round(float(multiclass_hinge_loss([[3.2, 5.1, -1.7]], [0])), 12)
    2.9
    >>> multiclass_hinge_loss([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0]], [0, 1], reduction="none")
    array([2.9, 0. ])
    """
    reduction = check_reduction(reduction)
    margins, _ = _margins(scores, y_true, margin)
    return reduce(np.sum(np.maximum(margins, 0.0), axis=-1), reduction)


def multiclass_hinge_loss_grad(
    scores: ArrayLike,
    y_true: ArrayLike,
    *,
    margin: float = 1.0,
    reduction: str = "mean",
) -> NDArray[np.float64]:
    r"""A subgradient of :func:`multiclass_hinge_loss` with respect to the scores.

    Each wrong class whose term is active (:math:`s_j - s_y + \Delta > 0`) gets +1 and the
    true class -1 for each of them.  At a kink, where :math:`s_j - s_y + \Delta = 0` exactly,
    the term counts as inactive: the subgradient chosen there is 0, the one torch's
    ``multi_margin_loss`` backward uses (times K).

    Parameters
    ----------
    scores, y_true, margin
        As in :func:`multiclass_hinge_loss`.
    reduction : {"mean", "sum", "none"}, default "mean"
        "mean" divides by the number of examples; "sum" and "none" (each example's loss with
        respect to its own scores) do not.

    Returns
    -------
    ndarray of float64
        Same shape as ``scores``; each row sums to 0.

    Raises
    ------
    TypeError, ValueError
        As :func:`multiclass_hinge_loss`.

    Examples
    --------
    >>> multiclass_hinge_loss_grad([[3.2, 5.1, -1.7]], [0])
    array([[-1.,  1.,  0.]])
    >>> multiclass_hinge_loss_grad([[2.0, 1.0]], [0])    # at the kink: 0
    array([[0., 0.]])
    """
    reduction = check_reduction(reduction)
    margins, labels = _margins(scores, y_true, margin)
    grad = (margins > 0).astype(np.float64)
    rows = grad.reshape(-1, grad.shape[-1])  # a view: grad is freshly allocated and contiguous
    rows[np.arange(len(rows)), labels] = -np.sum(rows, axis=1)
    if reduction == "mean":
        grad /= len(rows)
    return grad
