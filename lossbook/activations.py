"""Softmax, log-softmax, log-sum-exp and the logistic sigmoid, computed without overflow.

The naive formulas ``exp(z) / sum(exp(z))`` and ``1 / (1 + exp(-z))`` overflow for logits of a
few hundred, and ``log(softmax(z))`` loses every digit of a small loss.  Everything here is
built on one row-wise kernel, :func:`log_partition`, that returns the log of the softmax
denominator as ``m + L`` with ``m`` the row maximum and ``L = log1p(sum of exp(z_j - m) over
the other entries)``.  Keeping ``m`` and ``L`` apart is what preserves small losses: the
log-probability of the largest entry is ``-L``, computed by ``log1p`` to full relative
precision even when it is 1e-18.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._numerics import row_blocks
from ._validation import as_axis, as_float_array, as_real_array, nan_message

def log_partition(
    rows: NDArray[np.float64],
    name: str,
    row_numbers: NDArray[np.intp] | None = None,
    *,
    weights: NDArray[np.float64] | None = None,
    out_dot: NDArray[np.float64] | None = None,
    shape: tuple[int, ...] | None = None,
    axis: int = -1,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Split ``logsumexp`` of each row of a 2-D array into ``m + L`` without rounding them together.

    Parameters
    ----------
    rows : ndarray of float64, shape (n, k)
        Logits, one example per row, ``k >= 1``.  Not modified.
    name : str
        Name of the argument, for error messages.
    row_numbers : ndarray of int, shape (n,), optional
        The row numbers to report in error messages, when ``rows`` was picked out of a
        larger batch.  Defaults to ``0 .. n - 1``.
    weights : ndarray of float64, shape (k,), optional
        Non-negative class weights ``w`` (all 1 if None); with ``out_dot``, also compute
        ``sum_j w_j (m - z_j)`` per row from the shifted logits the kernel forms anyway.
        Every term is >= 0, so the sum is as accurate as its terms (``W m - z @ w`` would
        cancel when the logits share a large offset).
    out_dot : ndarray of float64, shape (n,), optional
        Where that weighted sum is written.
    shape, axis : tuple of int, int, optional
        The caller's array had its classes along ``axis`` and, with them moved last, shape
        ``shape`` (default ``rows.shape``); errors give the index of the bad entry in it.

    Returns
    -------
    m : ndarray of float64, shape (n,)
        The largest logit of each row.
    L : ndarray of float64, shape (n,)
        ``log1p(sum_{j != argmax} exp(z_j - m))``, in ``[0, log k]``.

    Raises
    ------
    ValueError
        If a row contains NaN or +inf, or all its entries are -inf: the softmax of such a
        row is undefined.

    Examples
    --------
    >>> m, L = log_partition(np.array([[40.0, 0.0]]), "z")
    >>> float(m[0]), float(L[0])
    (40.0, 4.248354255291589e-18)
    """
    n = len(rows)
    top = np.empty(n, dtype=np.intp)
    m = np.empty(n)
    rest = np.empty(n)
    # An infinite or NaN maximum turns z - m into NaN (with an "invalid" warning); such rows
    # are reported below, after the loop, so the loop itself needs no per-block check. A gap
    # z - m beyond the float range (logits of +-1e308) is -inf, and exp(-inf) = 0 is exact.
    with np.errstate(invalid="ignore", over="ignore"):
        for start, stop, buf in row_blocks(rows.shape):
            chunk = rows[start:stop]
            index = np.arange(stop - start)
            # argmax finds the maximum and, as a side effect, the first NaN of a row: NaN
            # is detected here for free instead of in a separate pass over the whole array.
            np.argmax(chunk, axis=1, out=top[start:stop])
            m[start:stop] = chunk[index, top[start:stop]]
            np.subtract(chunk, m[start:stop, None], out=buf)
            if out_dot is not None:
                dot = out_dot[start:stop]
                # A matrix-vector product (also for the plain row sum, with weights of 1) is
                # about twice as fast as np.sum here; every term has one sign, so the order of
                # the additions costs no accuracy.
                np.matmul(buf, np.ones(buf.shape[1]) if weights is None else weights, out=dot)
                np.negative(dot, out=dot)
            np.exp(buf, out=buf)
            # The maximum contributes exactly exp(0) = 1.  Summing it with the rest would
            # round away anything below 1e-16; keeping it out lets log1p see the remainder.
            buf[index, top[start:stop]] = 0.0
            np.sum(buf, axis=1, out=rest[start:stop])
    if not np.isfinite(m).all():
        bad = int(np.flatnonzero(~np.isfinite(m))[0])
        row = bad if row_numbers is None else int(row_numbers[bad])
        lead = tuple(int(i) for i in np.unravel_index(row, (shape or rows.shape)[:-1]))
        if np.isnan(m[bad]):
            where = list(lead)
            where.insert(axis % (len(lead) + 1), int(top[bad]))
            raise ValueError(nan_message(name, tuple(where)))
        place = f"row {lead[0] if len(lead) == 1 else lead} of {name}" if lead else name
        raise ValueError(
            f"{place} has maximum {float(m[bad])!r}, so its softmax is undefined; replace "
            f"infinite logits by large finite values (e.g. np.clip({name}, -1e300, 1e300))"
        )
    return m, np.log1p(rest, out=rest)


def _as_rows(name: str, z: ArrayLike, axis: int) -> tuple[NDArray[np.float64], tuple[int, ...]]:
    """Move ``axis`` last and flatten the rest, returning the 2-D rows and the moved shape."""
    array = as_real_array(name, z)
    if array.ndim == 0:
        raise ValueError(
            f"{name} is a single number ({array.item()!r}) but softmax needs a class axis; "
            "pass a vector of logits such as [2.0, 1.0, 0.1]"
        )
    axis = as_axis(name, array, axis)
    moved = np.moveaxis(array, axis, -1)
    if moved.shape[-1] == 0:
        raise ValueError(
            f"{name} has no classes along axis {axis} (shape {array.shape}); pass at least one logit"
        )
    return moved.reshape(-1, moved.shape[-1]), moved.shape


def _shifted_log_softmax(
    name: str, z: ArrayLike, axis: int
) -> tuple[NDArray[np.float64], tuple[int, ...]]:
    """Return ``(z - m) - L`` for every row (as 2-D rows) and the moved shape."""
    rows, shape = _as_rows(name, z, axis)
    m, L = log_partition(rows, name, shape=shape, axis=axis)
    with np.errstate(over="ignore"):  # a gap beyond the float range: log p = -inf, its rounding
        out = np.subtract(rows, m[:, None])
    # (z - m) <= 0 and -L <= 0 have the same sign, so this subtraction cannot cancel.
    out -= L[:, None]
    return out, shape


def log_softmax(z: ArrayLike, axis: int = -1) -> NDArray[np.float64]:
    """Log of the softmax, ``z_i - logsumexp(z)``, accurate for any finite logits.

    Parameters
    ----------
    z : array_like
        Logits (unnormalised scores).  Entries may be ``-inf`` (a class ruled out).
    axis : int, default -1
        The axis holding the classes.

    Returns
    -------
    ndarray of float64
        Same shape as ``z``; ``exp`` of it sums to 1 along ``axis``.

    Raises
    ------
    TypeError
        If ``z`` is not numeric.
    ValueError
        If ``z`` is a scalar or has no classes, contains NaN, or a row has maximum ``+inf``
        or only ``-inf`` entries.

    See Also
    --------
    softmax, logsumexp

    Examples
    --------
    >>> log_softmax([5.0, 4.0, 2.0])
    array([-0.34901222, -1.34901222, -3.34901222])

    The naive formula overflows for large logits; the shifted one does not:

    >>> with np.errstate(all="ignore"):
    ...     np.log(np.exp([1000.0, 1.0]) / np.exp([1000.0, 1.0]).sum())
    array([ nan, -inf])
    >>> log_softmax([1000.0, 1.0])
    array([   0., -999.])

    A tiny log-probability survives (naive ``log(softmax)`` returns exactly 0 here):

    >>> float(log_softmax([40.0, 0.0])[0])
    -4.248354255291589e-18
    """
    return named_log_softmax("z", z, axis)


def named_log_softmax(name: str, z: ArrayLike, axis: int = -1) -> NDArray[np.float64]:
    """:func:`log_softmax` of the argument ``name`` of another public function."""
    out, shape = _shifted_log_softmax(name, z, axis)
    return np.moveaxis(out.reshape(shape), -1, axis)


def softmax(z: ArrayLike, axis: int = -1) -> NDArray[np.float64]:
    """Softmax, ``exp(z_i) / sum_j exp(z_j)``, without overflow.

    Parameters
    ----------
    z : array_like
        Logits.  Entries may be ``-inf`` (probability 0).
    axis : int, default -1
        The axis holding the classes.

    Returns
    -------
    ndarray of float64
        Probabilities of the same shape as ``z``, summing to 1 along ``axis``.

    Raises
    ------
    TypeError
        If ``z`` is not numeric.
    ValueError
        If ``z`` is a scalar or has no classes, contains NaN, or a row has maximum ``+inf``
        or only ``-inf`` entries.

    See Also
    --------
    log_softmax : use it, not ``np.log(softmax(z))``, inside a loss.

    Examples
    --------
    >>> softmax([5.0, 4.0, 2.0]).round(3)
    array([0.705, 0.259, 0.035])
    >>> softmax([1000.0, 1000.0])
    array([0.5, 0.5])
    >>> softmax([[1.0, 1.0], [0.0, np.log(3.0)]])
    array([[0.5 , 0.5 ],
           [0.25, 0.75]])
    """
    return named_softmax("z", z, axis)


def named_softmax(name: str, z: ArrayLike, axis: int = -1) -> NDArray[np.float64]:
    """:func:`softmax` of the argument ``name`` of another public function."""
    out, shape = _shifted_log_softmax(name, z, axis)
    np.exp(out, out=out)
    return np.moveaxis(out.reshape(shape), -1, axis)


def logsumexp(z: ArrayLike, axis: int = -1) -> NDArray[np.float64]:
    """``log(sum(exp(z)))`` along ``axis``, without overflow or underflow.

    Parameters
    ----------
    z : array_like
        Logits.  Entries may be ``-inf``.
    axis : int, default -1
        The axis to reduce.

    Returns
    -------
    ndarray of float64
        ``z`` with ``axis`` removed (a 0-d array for a vector).

    Raises
    ------
    TypeError
        If ``z`` is not numeric.
    ValueError
        If ``z`` is a scalar or has no entries along ``axis``, contains NaN, or a row has
        maximum ``+inf`` or only ``-inf`` entries.

    Examples
    --------
    >>> float(logsumexp([1000.0, 1000.0]))   # 1000 + log 2; naive exp overflows to inf
    1000.6931471805599
    >>> logsumexp([[0.0, 0.0], [1.0, -np.inf]])
    array([0.69314718, 1.        ])
    """
    rows, shape = _as_rows("z", z, axis)
    m, L = log_partition(rows, "z", shape=shape, axis=axis)
    return (m + L).reshape(shape[:-1])


def sigmoid(z: ArrayLike) -> NDArray[np.float64]:
    """Logistic sigmoid ``1 / (1 + exp(-z))``, elementwise, without overflow.

    Parameters
    ----------
    z : array_like
        Logits; ``+-inf`` map to 1 and 0.

    Returns
    -------
    ndarray of float64
        Same shape as ``z``, values in ``[0, 1]``.

    Raises
    ------
    TypeError
        If ``z`` is not numeric.
    ValueError
        If ``z`` contains NaN.

    Examples
    --------
    >>> sigmoid([0.0, 2.0, -2.0])
    array([0.5       , 0.88079708, 0.11920292])

    The textbook formula evaluates ``exp(-z)``, which overflows (with a warning) for
    ``z < -709``; this one only exponentiates ``-|z|``, so it returns the tiny value quietly:

    >>> float(sigmoid(-700.0))
    9.85967654375977e-305
    >>> sigmoid([-1000.0, 1000.0])
    array([0., 1.])
    """
    x = as_float_array("z", z)
    # Only ever exponentiate -|z| <= 0, so exp cannot overflow; for z < 0 use the
    # algebraically equal exp(z) / (1 + exp(z)), which keeps full relative precision.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0, e) / (1.0 + e)


def log_sigmoid(z: ArrayLike) -> NDArray[np.float64]:
    """``log(sigmoid(z))``, elementwise, accurate for every ``z``.

    Computed as ``min(z, 0) - log1p(exp(-|z|))``: both terms are <= 0, so they never cancel,
    and ``log1p`` keeps the tiny values near ``z = +40`` that ``log(sigmoid(z))`` rounds to 0.

    Parameters
    ----------
    z : array_like
        Logits.

    Returns
    -------
    ndarray of float64
        Same shape as ``z``, values <= 0.

    Raises
    ------
    TypeError
        If ``z`` is not numeric.
    ValueError
        If ``z`` contains NaN.

    Examples
    --------
    >>> float(log_sigmoid(40.0))
    -4.248354255291589e-18
    >>> float(np.log(sigmoid(40.0)))        # the naive route loses it entirely
    0.0
    >>> float(log_sigmoid(-1000.0))          # naive: log(0) = -inf with a warning
    -1000.0
    """
    x = as_float_array("z", z)
    return np.minimum(x, 0.0) - softplus_of_minus_abs(x)


def softplus_of_minus_abs(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """``log1p(exp(-|x|))``, in [0, log 2]: the part that ``log_sigmoid(x)`` and ``log_sigmoid(-x)`` share."""
    out = np.abs(x, out=np.empty(x.shape))  # an array even for a single number
    # In place: one array instead of four temporaries of the input's size.
    np.negative(out, out=out)
    np.exp(out, out=out)
    return np.log1p(out, out=out)
