r"""Calibration: does a predicted confidence of 0.8 come true 80% of the time?

A reliability diagram sorts examples into equal-width bins by their confidence (the largest
predicted probability) and compares each bin's accuracy with its mean confidence; the expected
calibration error (ECE) averages the gaps, weighted by how many examples each bin holds (Guo
et al., 2017).  Temperature scaling divides the logits by one number ``T`` chosen to minimise
the cross-entropy on held-out data, which changes the confidences but never the predicted class.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import (
    as_class_indices,
    as_float_array,
    as_positive_int,
    as_target_distributions,
    check_distributions,
    check_finite,
    check_has_class_axis,
    check_not_empty,
    targets_are_indices,
)
from .activations import softmax
from .metrics import true_labels

_BINS_HINT = "15 equal-width bins is the usual choice"


class ReliabilityCurve(NamedTuple):
    """What a reliability diagram plots, one entry per confidence bin."""

    #: Bin edges ``0, 1/M, ..., 1``; bin ``m`` holds confidences in ``(edges[m], edges[m + 1]]``.
    edges: NDArray[np.float64]
    #: Mean confidence of the examples in each bin (NaN for an empty bin).
    confidence: NDArray[np.float64]
    #: Fraction of them whose predicted class is right (NaN for an empty bin).
    accuracy: NDArray[np.float64]
    #: How many examples fall in each bin.
    counts: NDArray[np.intp]


def reliability_curve(y_pred: ArrayLike, y_true: ArrayLike, *, n_bins: int = 15) -> ReliabilityCurve:
    """Per-bin confidence and accuracy of a classifier's predictions: a reliability diagram's data.

    Parameters
    ----------
    y_pred : array_like, shape ``(..., K)``
        Predicted probabilities; each row sums to 1.
    y_true : array_like
        Class indices of shape ``y_pred.shape[:-1]``, or target distributions of shape
        ``y_pred.shape`` (their most likely class is the label).
    n_bins : int, default 15
        Number ``M`` of equal-width confidence bins.

    Returns
    -------
    ReliabilityCurve
        ``edges`` (M + 1), and ``confidence``, ``accuracy``, ``counts`` per bin.  A perfectly
        calibrated classifier has ``accuracy == confidence`` in every non-empty bin.

    Raises
    ------
    TypeError
        If an input is not numeric or ``n_bins`` is not a whole number.
    ValueError
        If ``n_bins < 1``; if probability rows do not sum to 1 or lie outside [0, 1] (pass
        ``softmax(logits)``); or for bad labels, NaN, mismatched shapes or an empty batch.

    Examples
    --------
    >>> p = [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]]
    >>> curve = reliability_curve(p, [0, 1, 1, 0], n_bins=2)
    >>> curve.edges, curve.counts
    (array([0. , 0.5, 1. ]), array([0, 4]))
    >>> float(curve.confidence[1]), float(curve.accuracy[1])
    (0.75, 0.75)
    """
    bins = as_positive_int("n_bins", n_bins, _BINS_HINT)
    pred = as_float_array("y_pred", y_pred)
    check_has_class_axis("y_pred", pred)
    check_not_empty("y_pred", pred)
    check_distributions(
        "y_pred", pred, -1, "pass probabilities, e.g. lossbook.softmax(logits)", y_pred
    )
    labels = true_labels(pred, y_true).ravel()
    rows = pred.reshape(-1, pred.shape[-1])
    confidence = np.max(rows, axis=1)
    correct = np.argmax(rows, axis=1) == labels
    # m / M itself, not linspace's m * (1 / M), which rounds below it for M = 6, 7, 9, ...
    # and would put a confidence of exactly m / M one bin too high.
    edges = np.arange(bins + 1) / bins
    # side="left" finds m with edges[m - 1] < c <= edges[m]: the bins are closed on the right.
    which = np.clip(np.searchsorted(edges, confidence, side="left") - 1, 0, bins - 1)
    count = np.bincount(which, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):  # an empty bin's mean is NaN
        mean_confidence = np.bincount(which, weights=confidence, minlength=bins) / count
        mean_accuracy = np.bincount(which, weights=correct, minlength=bins) / count
    return ReliabilityCurve(edges, mean_confidence, mean_accuracy, count)


def expected_calibration_error(y_pred: ArrayLike, y_true: ArrayLike, *, n_bins: int = 15) -> np.float64:
    r"""ECE :math:`= \sum_m (n_m / N)\,|\mathrm{acc}_m - \mathrm{conf}_m|` over equal-width confidence bins.

    Bin ``m`` of ``M`` holds the examples whose confidence (largest probability) lies in
    :math:`((m - 1)/M, m/M]`; empty bins contribute nothing.

    Parameters
    ----------
    y_pred, y_true, n_bins
        As in :func:`reliability_curve`.

    Returns
    -------
    float64
        In [0, 1]; 0 for a perfectly calibrated classifier (at this binning).

    Raises
    ------
    TypeError, ValueError
        As :func:`reliability_curve`.

    Examples
    --------
    Always 90% sure, right half the time:

    >>> round(float(expected_calibration_error([[0.9, 0.1], [0.1, 0.9]], [0, 0])), 12)
    0.4
    """
    curve = reliability_curve(y_pred, y_true, n_bins=n_bins)
    used = curve.counts > 0
    gaps = np.abs(curve.accuracy[used] - curve.confidence[used])
    return np.float64(np.sum(curve.counts[used] * gaps) / np.sum(curve.counts))


def fit_temperature(logits: ArrayLike, y_true: ArrayLike) -> float:
    r"""The temperature :math:`T > 0` minimising the mean cross-entropy of ``logits / T``.

    The loss is convex in :math:`\beta = 1/T`, with slope :math:`\overline{E_p[z] - z_y}` and
    curvature :math:`\overline{\mathrm{Var}_p[z]}` (:math:`p = \mathrm{softmax}(\beta z)`), so a
    safeguarded Newton iteration on :math:`\beta` finds the minimum to rounding error, well
    within 1e-6 relative.

    Parameters
    ----------
    logits : array_like, shape ``(..., K)``
        Finite logits of held-out examples.
    y_true : array_like
        Class indices of shape ``logits.shape[:-1]`` or target distributions of shape
        ``logits.shape``.

    Returns
    -------
    float
        ``T``; ``T > 1`` means the model was overconfident and its logits are shrunk.

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        For infinite logits, bad targets, NaN, mismatched shapes or an empty batch; if every
        example is already classified correctly (the loss keeps falling as ``T -> 0``, so no
        finite ``T`` is best); or if the logits do worse than uniform guessing (the best
        ``T`` is infinite).

    Examples
    --------
    >>> z = [[4.0, 0.0, 0.0], [4.0, 0.0, 0.0], [0.0, 4.0, 0.0]]
    >>> T = fit_temperature(z, [0, 1, 1])       # overconfident: one in three is wrong
    >>> round(T, 6)
    2.88539
    """
    z = as_float_array("logits", logits)
    check_has_class_axis("logits", z)
    check_not_empty("logits", z)
    check_finite("logits", z, "temperature scaling needs finite logits; clip them first")
    rows = z.reshape(-1, z.shape[-1])
    # T for logits c * z is c times T for z: fit on logits scaled to at most 1 in size, so the
    # search starts near its answer for logits of 1e-200 as for 1e200, and nothing overflows.
    scale = float(np.max(np.abs(rows)))
    if scale > 0:
        rows = rows / scale
    if targets_are_indices(z, y_true):
        labels = as_class_indices("y_true", y_true, rows.shape[1]).ravel()
        target_logit = rows[np.arange(len(rows)), labels]
    else:
        target_logit = np.sum(as_target_distributions(y_true).reshape(rows.shape) * rows, axis=1)

    def slope_and_curvature(beta: float) -> tuple[float, float]:
        p = softmax(beta * rows)
        mean = np.sum(p * rows, axis=1)
        var = np.sum(p * (rows - mean[:, None]) ** 2, axis=1)
        return float(np.mean(mean - target_logit)), float(np.mean(var))

    if np.all(np.ptp(rows, axis=1) == 0):
        raise ValueError(
            "every example's logits are all equal, so the probabilities are uniform at every "
            "temperature and no temperature is best; pass the model's logits for held-out data"
        )
    if float(np.mean(np.max(rows, axis=1) - target_logit)) <= 0:
        raise ValueError(
            "every example is already classified correctly with all its target mass on the top "
            "logit, so the loss keeps falling as T -> 0 and no finite temperature is best; fit "
            "T on held-out data that includes mistakes"
        )
    if slope_and_curvature(0.0)[0] >= 0:
        raise ValueError(
            "the logits predict the targets no better than uniform guessing, so the best "
            "temperature is infinite; check that logits and labels belong together"
        )
    low, high, beta = 0.0, np.inf, 1.0
    for _ in range(200):
        slope, curvature = slope_and_curvature(beta)
        if slope == 0:
            break
        if slope < 0:
            low = beta
        else:
            high = beta
        step = beta - slope / curvature if curvature > 0 else np.nan
        if not low < step < high:  # Newton left the bracket: bisect (or grow it)
            step = 2.0 * beta if high == np.inf else 0.5 * (low + high)
        if abs(step - beta) <= 4 * np.finfo(float).eps * beta:
            break
        beta = step
    return scale / beta
