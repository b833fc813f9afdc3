"""Checkers for gradients with respect to the logits, and for one step of gradient descent."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

import lossbook as lb

from ._harness import Case, run_cases
from ._result import CheckResult

SAME_SHAPE = "return one partial derivative per logit, an array of the same shape as the logits"
STABLE = "compute the softmax with the largest logit subtracted first, so exp cannot overflow"


def cross_entropy_grad(candidate: Callable[..., Any]) -> CheckResult:
    """Check ``candidate(logits, labels)``, the gradient of the mean cross-entropy with respect to the logits.

    The answer is ``(softmax(logits) - one_hot(labels)) / N``; the reference is
    :func:`lossbook.cross_entropy_grad`.

    Parameters
    ----------
    candidate : callable
        The reader's function of logits (N, K) and class indices (N,), returning shape (N, K).

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> def per_example(z, y):
    ...     return lb.softmax(z) - lb.one_hot(y, z.shape[1])
    >>> print(cross_entropy_grad(per_example))  # doctest: +ELLIPSIS
    ✗ your cross_entropy_grad returned ..., expected ...; the loss is a mean over N examples...
    """
    rng = np.random.default_rng(19)
    hint = ("the loss is a mean over N examples, so the gradient is (softmax(z) - one_hot(y)) / N: "
            "the true class gets p - 1, the others p")
    inputs = [((np.array([[5.0, 4.0, 2.0]]), np.array([0])), hint)]
    inputs += [((rng.normal(0.0, 3.0, size=(n, k)), rng.integers(0, k, size=n)), hint)
               for n, k in ((4, 3), (16, 5))]
    inputs += [((np.array([[1000.0, 0.0]]), np.array([1])), STABLE),
               ((np.array([[-800.0, -800.0, 0.0], [800.0, -800.0, 0.0]]), np.array([0, 2])), STABLE)]
    cases = [Case(args, lb.cross_entropy_grad(*args), h) for args, h in inputs]
    return run_cases("cross_entropy_grad", candidate, ["logits", "labels"], cases,
                     covered="the worked example, random batches and logits of ±1000",
                     shape_hint=SAME_SHAPE)


def bce_grad_from_logits(candidate: Callable[..., Any]) -> CheckResult:
    """Check ``candidate(z, y)``, the gradient of the mean binary cross-entropy from logits with respect to ``z``.

    The answer is ``(sigmoid(z) - y) / z.size``; the reference is
    :func:`lossbook.binary_cross_entropy_grad`.

    Parameters
    ----------
    candidate : callable
        The reader's function of logits and targets of the same shape, returning that shape.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> print(bce_grad_from_logits(lambda z, y: y - lb.sigmoid(z)))  # doctest: +ELLIPSIS
    ✗ your bce_grad_from_logits returned ..., expected ...; ...
    """
    rng = np.random.default_rng(19)
    hint = ("differentiate -[y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))] with "
            "sigmoid'(z) = sigmoid(z)(1 - sigmoid(z)): it simplifies to sigmoid(z) - y, divided by "
            "the number of elements for the mean")
    stable = ("exp(z) / (1 + exp(z)) is inf / inf = nan for z = 800; write sigmoid(z) as "
              "1 / (1 + exp(-z)), or with exp(-|z|), which never overflows")
    inputs = [
        (np.array([2.0, -1.0, 0.5]), np.array([1.0, 0.0, 1.0]), hint),
        (rng.normal(0, 3, size=16), rng.integers(0, 2, size=16).astype(float), hint),
        (rng.normal(0, 3, size=(5, 4)), rng.uniform(0, 1, size=(5, 4)), hint),
        (np.array([800.0, -800.0, 1000.0, -1000.0]), np.array([0.0, 1.0, 1.0, 0.0]), stable),
    ]
    cases = [Case((z, y), lb.binary_cross_entropy_grad(z, y), h) for z, y, h in inputs]
    return run_cases("bce_grad_from_logits", candidate, ["z", "y"], cases,
                     covered="the worked example, random and soft labels and logits of ±1000",
                     shape_hint=SAME_SHAPE)


def train_step(candidate: Callable[..., Any]) -> CheckResult:
    """Check ``candidate(W, b, X, labels, learning_rate)``, one gradient-descent step of a linear softmax classifier.

    The model is ``Z = X @ W + b`` with the mean cross-entropy as loss; the step returns
    ``(W - learning_rate * X.T @ G, b - learning_rate * G.sum(axis=0))`` with
    ``G = lossbook.cross_entropy_grad(Z, labels)``, and leaves ``W`` and ``b`` unchanged.

    Parameters
    ----------
    candidate : callable
        The reader's function, returning the new ``(W, b)`` as a tuple.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> def uphill(W, b, X, labels, lr):
    ...     G = lb.cross_entropy_grad(X @ W + b, labels)
    ...     return W + lr * X.T @ G, b + lr * G.sum(axis=0)
    >>> print(train_step(uphill))  # doctest: +ELLIPSIS
    ✗ your train_step returned ... as W for ..., expected ...; step downhill...
    """
    rng = np.random.default_rng(19)
    hint = ("step downhill: W - learning_rate * X.T @ G and b - learning_rate * G.sum(axis=0), "
            "with G = (softmax(X @ W + b) - one_hot(labels)) / N")
    inputs = [(np.zeros((2, 3)), np.zeros(3), np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0, 2]), 0.5)]
    for n, d, k in ((6, 2, 3), (20, 4, 5)):
        inputs.append((rng.normal(size=(d, k)), rng.normal(size=k), rng.normal(size=(n, d)),
                       rng.integers(0, k, size=n), 0.1))
    inputs.append((np.array([[400.0, -400.0]]), np.zeros(2), np.array([[3.0], [-3.0]]),
                   np.array([1, 0]), 0.5))

    def expected(W: Any, b: Any, X: Any, labels: Any, lr: float) -> tuple[Any, Any]:
        G = lb.cross_entropy_grad(X @ W + b, labels)
        return W - lr * (X.T @ G), b - lr * G.sum(axis=0)

    cases = [Case(args, expected(*args), hint if i < 3 else f"{STABLE}; {hint}")
             for i, args in enumerate(inputs)]
    return run_cases("train_step", candidate, ["W", "b", "X", "labels", "learning_rate"], cases,
                     outputs=("W", "b"), covered="a worked example, random models and logits of ±1200",
                     shape_hint="the new W has the shape of W and the new b that of b")
