"""One-hot encoding: class indices to probability rows with all mass on one class, and back."""

from __future__ import annotations

import operator

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import as_class_indices, as_float_array, check_has_class_axis


def one_hot(labels: ArrayLike, num_classes: int | None = None) -> NDArray[np.float64]:
    """Encode class indices as one-hot rows: probability 1 on the labelled class, 0 elsewhere.

    Parameters
    ----------
    labels : array_like of int
        Class indices ``0 .. num_classes - 1``, any shape.
    num_classes : int, optional
        Number of classes ``K``.  Defaults to ``max(labels) + 1``, which is wrong whenever the
        largest class is absent from a batch, so pass it explicitly in real code.

    Returns
    -------
    ndarray of float64, shape ``labels.shape + (K,)``
        Each row is a probability distribution (it sums to 1), not a binary number.

    Raises
    ------
    TypeError
        If ``labels`` are not numeric, or ``num_classes`` is not an integer.
    ValueError
        If a label is negative, fractional or ``>= num_classes``, if ``num_classes < 1``, or
        if ``labels`` is empty and ``num_classes`` is not given.

    Examples
    --------
    >>> one_hot([0, 2, 1])
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]])
    >>> one_hot([1], num_classes=4)
    array([[0., 1., 0., 0.]])
    """
    if num_classes is not None:
        try:
            if isinstance(num_classes, (bool, np.bool_)):
                raise TypeError  # True is an int to Python, but never a number of classes
            num_classes = operator.index(num_classes)
        except TypeError:
            raise TypeError(
                f"num_classes must be an integer such as 3, got {num_classes!r}"
            ) from None
        if num_classes < 1:
            raise ValueError(f"num_classes must be at least 1, got {num_classes}")
    indices = as_class_indices("labels", labels, num_classes)
    if num_classes is None:
        if indices.size == 0:
            raise ValueError(
                "labels is empty, so the number of classes cannot be inferred; "
                "pass num_classes explicitly, e.g. one_hot([], num_classes=3)"
            )
        num_classes = int(indices.max()) + 1
    # Comparing against 0..K-1 builds the rows in one vectorised step.
    return np.equal(indices[..., None], np.arange(num_classes)).astype(np.float64)


def from_one_hot(y: ArrayLike) -> NDArray[np.intp]:
    """Decode one-hot rows back to class indices.

    Parameters
    ----------
    y : array_like, shape ``(..., K)``
        Rows with a single 1 and zeros elsewhere.

    Returns
    -------
    ndarray of int, shape ``y.shape[:-1]``
        The position of the 1 in each row.

    Raises
    ------
    TypeError
        If ``y`` is not numeric.
    ValueError
        If ``y`` is a scalar, contains NaN, or a row is not exactly one-hot (for soft
        targets, whose most likely class is ambiguous to call a "label", use
        ``np.argmax(y, axis=-1)`` deliberately).

    Examples
    --------
    >>> from_one_hot([[0, 0, 1], [1, 0, 0]])
    array([2, 0])
    >>> from_one_hot(one_hot([3, 1, 4]))
    array([3, 1, 4])
    """
    rows = as_float_array("y", y)
    check_has_class_axis("y", rows)
    valid = ((rows == 0) | (rows == 1)).all(axis=-1) & (rows.sum(axis=-1) == 1)
    if not valid.all():
        where = tuple(int(i) for i in np.argwhere(~np.atleast_1d(valid))[0])
        row = rows[where] if rows.ndim > 1 else rows
        raise ValueError(
            f"row {where if len(where) > 1 else where[0]} of y is not one-hot: {row!r}; "
            "each row needs a single 1 and zeros elsewhere (for soft targets use "
            "np.argmax(y, axis=-1))"
        )
    labels: NDArray[np.intp] = np.argmax(rows, axis=-1)
    return labels
