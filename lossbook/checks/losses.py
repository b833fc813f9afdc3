"""Checkers for the losses computed from logits: cross-entropy and its variants, and BCE."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from numpy.typing import NDArray

import lossbook as lb

from ._harness import Case, run_cases
from ._result import CheckResult

MEAN = "return one number, the mean over the batch (did you forget .mean(), or take a sum?)"
LOG_SOFTMAX = ("the loss of example n is logsumexp(z_n) - z_n[y_n]; compute logsumexp with the "
               "largest logit subtracted first, and never take the log of a softmax that may be 0")
COVERED = "the worked example, random batches and logits of ±1000"


def _class_inputs(hint: str) -> list[tuple[tuple[Any, Any], str]]:
    """Inputs ``(logits, labels)`` of a categorical loss, each with its hint: worked, random, extreme."""
    rng = np.random.default_rng(19)
    inputs = [((np.array([[5.0, 4.0, 2.0]]), np.array([0])), hint)]
    inputs += [((rng.normal(0.0, 3.0, size=(n, k)), rng.integers(0, k, size=n)), hint)
               for n, k in ((4, 3), (16, 5))]
    return inputs + [((np.array([[0.0, 1000.0]]), np.array([0])), LOG_SOFTMAX),
                     ((np.array([[800.0, -800.0], [-800.0, 800.0]]), np.array([1, 1])), LOG_SOFTMAX)]


def cross_entropy(candidate: Callable[..., Any]) -> CheckResult:
    """Check ``candidate(logits, labels)``, the mean cross-entropy from logits and index labels.

    The reference is ``lossbook.cross_entropy(logits, labels, from_logits=True)``.

    Parameters
    ----------
    candidate : callable
        The reader's function of logits (N, K) and class indices (N,), returning a number.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> import numpy as np
    >>> def naive(z, y):
    ...     p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    ...     return -np.log(p[np.arange(len(y)), y]).mean()
    >>> print(cross_entropy(naive))  # doctest: +ELLIPSIS
    ✗ your cross_entropy returned inf for logits = [[0, 1000]], labels = [0], expected 1000; ...
    """
    cases = [Case(args, np.asarray(lb.cross_entropy(*args, from_logits=True)), hint) for args, hint
             in _class_inputs("the mean over examples of -log softmax(z_n)[y_n]")]
    return run_cases("cross_entropy", candidate, ["logits", "labels"], cases, covered=COVERED,
                     shape_hint=MEAN)


def weighted_cross_entropy(candidate: Callable[..., Any]) -> CheckResult:
    """Check ``candidate(logits, labels, weight)``: class-weighted cross-entropy as PyTorch means it.

    Each example's loss is multiplied by the weight of its true class, and the sum is divided
    by the sum of those weights, not by N (so in a batch of one the weight cancels). The
    reference is ``lossbook.cross_entropy(..., from_logits=True, weight=weight)``.

    Parameters
    ----------
    candidate : callable
        The reader's function of logits (N, K), class indices (N,) and weights (K,).

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> import numpy as np
    >>> def by_n(z, y, w):
    ...     return np.mean(w[y] * (lb.logsumexp(z) - z[np.arange(len(y)), y]))
    >>> print(weighted_cross_entropy(by_n))  # doctest: +ELLIPSIS
    ✗ your weighted_cross_entropy returned 3.4901 for ..., expected 0.349; ... divide by the sum of those weights, not by N
    """
    weights = {3: np.array([10.0, 1.0, 2.0]), 5: np.array([0.5, 1.0, 2.0, 4.0, 8.0]),
               2: np.array([3.0, 1.0])}
    hint = ("multiply example n's loss by weight[labels[n]], then divide by the sum of those "
            "weights, not by N")
    cases = [Case(args + (weights[args[0].shape[1]],),
                  np.asarray(lb.cross_entropy(*args, from_logits=True, weight=weights[args[0].shape[1]])),
                  case_hint) for args, case_hint in _class_inputs(hint)]
    return run_cases("weighted_cross_entropy", candidate, ["logits", "labels", "weight"], cases,
                     covered=COVERED, shape_hint=MEAN)


def smoothed_cross_entropy(candidate: Callable[..., Any]) -> CheckResult:
    """Check ``candidate(logits, labels, epsilon)``: cross-entropy with label smoothing.

    The target becomes ``(1 - epsilon) * one_hot + epsilon / K``, the convention of PyTorch
    and Keras. The reference is ``lossbook.cross_entropy(..., label_smoothing=epsilon)``.

    Parameters
    ----------
    candidate : callable
        The reader's function of logits (N, K), class indices (N,) and a number in [0, 1].

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> import numpy as np
    >>> def spread_over_others(z, y, eps):
    ...     k = z.shape[1]
    ...     t = np.full(z.shape, eps / (k - 1))
    ...     t[np.arange(len(y)), y] = 1 - eps
    ...     return np.mean(np.sum(-t * lb.log_softmax(z), axis=1))
    >>> print(smoothed_cross_entropy(spread_over_others))  # doctest: +ELLIPSIS
    ✗ your smoothed_cross_entropy returned ... spread epsilon over all K classes...
    """
    hint = ("the target is (1 - epsilon) * one_hot(labels) + epsilon / K: spread epsilon over "
            "all K classes, the true one included; the loss is the mean of -sum(target * log_softmax)")
    cases = [Case(args + (0.1,), np.asarray(lb.cross_entropy(*args, from_logits=True, label_smoothing=0.1)),
                  case_hint) for args, case_hint in _class_inputs(hint)]
    return run_cases("smoothed_cross_entropy", candidate, ["logits", "labels", "epsilon"], cases,
                     covered=COVERED, shape_hint=MEAN)


def binary_cross_entropy_with_logits(candidate: Callable[..., Any]) -> CheckResult:
    """Check ``candidate(z, y)``, the mean binary cross-entropy from logits, elementwise over any shape.

    The reference is ``lossbook.binary_cross_entropy(z, y, from_logits=True)``; the cases include
    soft labels, a multi-label batch of shape (N, C), and logits of ±800 and ±1000.

    Parameters
    ----------
    candidate : callable
        The reader's function of logits and targets in [0, 1] of the same shape.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> import numpy as np
    >>> def naive(z, y):
    ...     p = 1 / (1 + np.exp(-z))
    ...     return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    >>> print(binary_cross_entropy_with_logits(naive))  # doctest: +ELLIPSIS
    ✗ your binary_cross_entropy_with_logits returned inf for z = [800], y = [0], expected 800; ...
    """
    stable = ("sigmoid(800) rounds to 1 and log(1 - 1) = -inf; use log sigmoid(z) = "
              "min(z, 0) - log1p(exp(-|z|)) and log(1 - sigmoid(z)) = log sigmoid(-z)")
    hint = "the mean over all elements of -[y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))]"
    rng = np.random.default_rng(19)
    inputs = [
        (np.array([2.0, -1.0, 0.5]), np.array([1.0, 0.0, 1.0]), hint),
        (rng.normal(0, 3, size=16), rng.integers(0, 2, size=16).astype(float), hint),
        (rng.normal(0, 3, size=(5, 4)), rng.uniform(0, 1, size=(5, 4)),
         hint + ", with soft labels and a (N, C) batch too"),
        (np.array([800.0]), np.array([0.0]), stable),
        (np.array([-800.0]), np.array([1.0]), stable),
        (np.array([1000.0, -1000.0, 40.0]), np.array([1.0, 0.0, 1.0]), stable),
    ]
    cases = [Case((z, y), np.asarray(lb.binary_cross_entropy(z, y, from_logits=True)), h)
             for z, y, h in inputs]
    return run_cases("binary_cross_entropy_with_logits", candidate, ["z", "y"], cases,
                     covered="the worked example, random and soft labels, a (N, C) batch and "
                             "logits of ±1000", shape_hint=MEAN)


def focal_loss(candidate: Callable[..., Any]) -> CheckResult:
    """Check ``candidate(logits, labels, gamma)``: the mean softmax focal loss ``-(1 - p_t)**gamma * log p_t``.

    The reference is ``lossbook.focal_loss(logits, labels, gamma=gamma)`` (no ``alpha``).

    Parameters
    ----------
    candidate : callable
        The reader's function of logits (N, K), class indices (N,) and ``gamma >= 0``.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> import numpy as np
    >>> def plain(z, y, gamma):  # forgets the focusing factor
    ...     return np.mean(lb.logsumexp(z) - z[np.arange(len(y)), y])
    >>> print(focal_loss(plain))  # doctest: +ELLIPSIS
    ✗ your focal_loss returned 0.349 for logits = [[5, 4, 2]], labels = [0], gamma = 2, expected 0.0304; ...
    """
    hint = ("each example costs -(1 - p_t)**gamma * log p_t, with p_t the softmax probability of "
            "its true class; then take the mean")
    extreme = f"{LOG_SOFTMAX}; then p_t = exp(log p_t)"
    cases = [Case(args + (2.0,), np.asarray(lb.focal_loss(*args, gamma=2.0)),
                  extreme if case_hint == LOG_SOFTMAX else case_hint)
             for args, case_hint in _class_inputs(hint)]
    z, y = _class_inputs(hint)[1][0]
    cases.insert(2, Case((z, y, 0.5), np.asarray(lb.focal_loss(z, y, gamma=0.5)), hint))
    return run_cases("focal_loss", candidate, ["logits", "labels", "gamma"], cases,
                     covered=COVERED, shape_hint=MEAN)


def bce_with_pos_weight(candidate: Callable[..., Any]) -> CheckResult:
    """Check ``candidate(z, y, pos_weight)``: mean binary cross-entropy from logits whose positive term is weighted.

    Each element costs ``-[pos_weight * y * log sigmoid(z) + (1 - y) * log sigmoid(-z)]``, as in
    ``torch.nn.BCEWithLogitsLoss(pos_weight=...)``; ``pos_weight`` is a number or one per
    column. The reference is ``lossbook.binary_cross_entropy(..., from_logits=True, pos_weight=...)``.

    Parameters
    ----------
    candidate : callable
        The reader's function of logits, targets of the same shape and the positive weight.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> def both_terms(z, y, w):  # weights every element, as `weight` would
    ...     return w * lb.binary_cross_entropy(z, y, from_logits=True)
    >>> print(bce_with_pos_weight(both_terms))  # doctest: +ELLIPSIS
    ✗ your bce_with_pos_weight returned ... expected ...; pos_weight multiplies the positive term only...
    """
    hint = ("pos_weight multiplies the positive term only: -[pos_weight * y * log sigmoid(z) + "
            "(1 - y) * log sigmoid(-z)], then the mean over all elements")
    rng = np.random.default_rng(19)
    inputs: list[tuple[NDArray[np.float64], NDArray[np.float64], float | NDArray[np.float64], str]] = [
        (np.array([2.0, -1.0, 0.5]), np.array([1.0, 0.0, 0.0]), 3.0, hint),
        (rng.normal(0, 3, size=16), rng.integers(0, 2, size=16).astype(float), 9.0, hint),
        (rng.normal(0, 3, size=(5, 3)), rng.integers(0, 2, size=(5, 3)).astype(float),
         np.array([1.0, 4.0, 20.0]), hint + "; with one pos_weight per column it broadcasts along the rows"),
        (np.array([800.0, -800.0, 1000.0]), np.array([0.0, 1.0, 1.0]), 2.0,
         "sigmoid(±800) rounds to 1 or 0 and its log to -inf; use log sigmoid(z) = "
         "min(z, 0) - log1p(exp(-|z|))"),
    ]
    cases = [Case((z, y, w), np.asarray(lb.binary_cross_entropy(z, y, from_logits=True, pos_weight=w)), h)
             for z, y, w, h in inputs]
    return run_cases("bce_with_pos_weight", candidate, ["z", "y", "pos_weight"], cases,
                     covered="a worked example, random batches, one weight per column and logits "
                             "of ±1000", shape_hint=MEAN)


def smooth_l1(candidate: Callable[..., Any]) -> CheckResult:
    """Check ``candidate(pred, target, beta)``: the mean smooth L1 loss of a box regression.

    Each element costs ``d**2 / (2 * beta)`` where ``|d| < beta`` and ``|d| - beta / 2``
    elsewhere, with ``d = pred - target``. The reference is :func:`lossbook.smooth_l1_loss`.

    Parameters
    ----------
    candidate : callable
        The reader's function of predictions and targets of the same shape and ``beta > 0``.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> import numpy as np
    >>> def no_beta(pred, target, beta):
    ...     d = np.abs(pred - target)
    ...     return np.mean(np.where(d < 1, d ** 2 / 2, d - 0.5))
    >>> print(smooth_l1(no_beta))  # doctest: +ELLIPSIS
    ✗ your smooth_l1 returned ... beta = 0.5, expected ...
    """
    hint = ("with d = pred - target, each element costs d**2 / (2 * beta) where |d| < beta and "
            "|d| - beta / 2 elsewhere; then the mean over all elements")
    rng = np.random.default_rng(19)
    inputs = [
        (np.array([0.5, 3.0, -1.0]), np.array([0.0, 0.0, -1.0]), 1.0),
        (np.array([0.5, 3.0, -1.0]), np.array([0.0, 0.0, -1.0]), 0.5),
        (np.array([1.0, -2.0, 2.5]), np.array([0.0, 0.0, 0.0]), 2.0),
        (rng.normal(0, 2, size=(6, 4)), rng.normal(0, 2, size=(6, 4)), 1.0),
        (np.array([1e6, -1e6]), np.array([0.0, 0.0]), 1.0),
    ]
    cases = [Case((p, t, beta), np.asarray(lb.smooth_l1_loss(p, t, beta=beta)), hint)
             for p, t, beta in inputs]
    return run_cases("smooth_l1", candidate, ["pred", "target", "beta"], cases,
                     covered="the worked example, three values of beta, a batch of boxes and a "
                             "distant outlier", shape_hint=MEAN)
