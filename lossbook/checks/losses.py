"""Checkers for the losses computed from logits: cross-entropy and its variants, and BCE."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

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
