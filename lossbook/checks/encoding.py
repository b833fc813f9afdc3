"""Checkers for one-hot encoding and for picking each example's true-class probability."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

import lossbook as lb

from ._harness import Case, run_cases
from ._result import CheckResult


def one_hot(candidate: Callable[..., Any]) -> CheckResult:
    """Check ``candidate(labels, num_classes)``, one-hot rows of shape (N, K), against :func:`lossbook.one_hot`.

    Parameters
    ----------
    candidate : callable
        The reader's function of a vector of class indices and the number of classes.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> import numpy as np
    >>> print(one_hot(lambda labels, k: np.eye(labels.max() + 1)[labels]))  # doctest: +ELLIPSIS
    ✗ your one_hot returned shape (1, 2) for labels = [1], num_classes = 4, but the answer has shape (1, 4); ...
    >>> print(one_hot(lambda labels, k: np.eye(k)[labels]))
    ✓ your one_hot passed all 4 checks: the worked example, an absent class and a random batch
    """
    rng = np.random.default_rng(19)
    inputs = [
        (np.array([0, 2, 1]), 3, "row n holds a 1 in column labels[n] and 0 elsewhere"),
        (np.array([1]), 4, "make num_classes columns, even when the largest class is absent"),
        (np.array([2, 2, 0]), 3, "row n holds a 1 in column labels[n] and 0 elsewhere"),
        (rng.integers(0, 5, size=16), 5, "row n holds a 1 in column labels[n] and 0 elsewhere"),
    ]
    cases = [Case((labels, k), lb.one_hot(labels, num_classes=k), hint)
             for labels, k, hint in inputs]
    return run_cases("one_hot", candidate, ["labels", "num_classes"], cases,
                     covered="the worked example, an absent class and a random batch",
                     shape_hint="return one row per label and num_classes columns")


def true_class_probability(candidate: Callable[..., Any]) -> CheckResult:
    """Check ``candidate(probs, labels)``, the probability each row gives its true class.

    Parameters
    ----------
    candidate : callable
        The reader's function of predictions of shape (N, K) and class indices of shape (N,),
        returning shape (N,).

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> import numpy as np
    >>> print(true_class_probability(lambda p, y: p @ lb.one_hot(y, 3).T))  # doctest: +ELLIPSIS
    ✗ your true_class_probability returned shape (3, 3) for probs = ..., but the answer has shape (3,); ...
    >>> print(true_class_probability(lambda p, y: p[np.arange(len(y)), y]))  # doctest: +ELLIPSIS
    ✓ your true_class_probability passed all 2 checks: ...
    """
    worked = np.array([[0.70, 0.10, 0.20], [0.10, 0.50, 0.40], [0.02, 0.90, 0.08]])
    rng = np.random.default_rng(19)
    batch, labels = lb.softmax(rng.normal(size=(8, 4))), rng.integers(0, 4, size=8)
    hint = "pick entry labels[n] of row n"
    cases = [
        Case((worked, np.array([0, 1, 1])), np.array([0.70, 0.50, 0.90]), hint),
        Case((batch, labels), np.sum(batch * lb.one_hot(labels, num_classes=4), axis=1), hint),
    ]
    return run_cases("true_class_probability", candidate, ["probs", "labels"], cases,
                     covered="the worked example and a random batch",
                     shape_hint="return one number per example: (probs * one_hot).sum(axis=1), "
                                "or probs[np.arange(N), labels]; a matrix product pairs every "
                                "example with every other")
