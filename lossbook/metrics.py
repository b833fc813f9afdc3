"""Classification accuracy, the metric reported next to the loss."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import (
    as_class_indices,
    as_float_array,
    as_target_distributions,
    check_has_class_axis,
    check_not_empty,
    targets_are_indices,
)


def accuracy(y_pred: ArrayLike, y_true: ArrayLike) -> np.float64:
    """Fraction of examples whose highest-scoring class is the true class.

    Unlike the loss it ignores confidence: a correct prediction at 0.34 counts as much as one
    at 0.99.  Ties go to the lowest class index (``np.argmax``).

    Parameters
    ----------
    y_pred : array_like, shape ``(..., K)``
        Probabilities or logits (the argmax is the same).
    y_true : array_like
        Class indices of shape ``y_pred.shape[:-1]``, or target distributions of shape
        ``y_pred.shape`` (their most likely class is the label).

    Returns
    -------
    float64
        In [0, 1].

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        On NaN, bad labels or target rows, mismatched shapes, or an empty batch.

    Examples
    --------
    >>> batch = [[0.7, 0.1, 0.2], [0.5, 0.1, 0.4], [0.02, 0.9, 0.08]]
    >>> float(accuracy(batch, [0, 1, 1]))
    0.6666666666666666
    >>> float(accuracy(batch, [[1, 0, 0], [1, 0, 0], [0, 1, 0]]))
    1.0
    """
    pred = as_float_array("y_pred", y_pred)
    check_has_class_axis("y_pred", pred)
    check_not_empty("y_pred", pred)
    return np.float64(np.mean(np.argmax(pred, axis=-1) == true_labels(pred, y_true)))


def true_labels(pred: NDArray[np.float64], y_true: ArrayLike) -> NDArray[np.intp]:
    """Class indices as given, or the most likely class of each target distribution."""
    if targets_are_indices(pred, y_true):
        return as_class_indices("y_true", y_true, pred.shape[-1])
    labels: NDArray[np.intp] = np.argmax(as_target_distributions(y_true), axis=-1)
    return labels
