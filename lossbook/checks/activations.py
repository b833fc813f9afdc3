"""Checkers for softmax, log-sum-exp and log-softmax, each along the last axis."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

import lossbook as lb

from ._harness import Case, run_cases
from ._result import CheckResult

SHIFT = "subtract the largest logit of each row first, m = z.max(axis=-1, keepdims=True)"
COVERED = "the worked example, random batches of any leading shape and logits of ±1000"


def _logits() -> list[tuple[Any, str]]:
    """The inputs every activation is checked on, each with the hint its failure calls for."""
    rng = np.random.default_rng(19)
    return [
        (np.array([5.0, 4.0, 2.0]), "check your formula on this worked example of the chapter"),
        (rng.normal(0.0, 3.0, size=(4, 5)), "work row by row along the last axis (axis=-1)"),
        (rng.normal(0.0, 3.0, size=(2, 3, 4)),
         "use axis=-1 and keepdims=True so any leading shape works"),
        (np.array([1000.0, 0.0]), f"exp(1000) overflows to inf; {SHIFT}"),
        (np.array([-1000.0, -1000.0]),
         f"exp(-1000) underflows to 0 and 0/0 is nan; {SHIFT}"),
        (np.array([[800.0, -800.0], [0.0, -800.0]]), f"exp(800) overflows; {SHIFT}"),
    ]


def softmax(candidate: Callable[..., Any]) -> CheckResult:
    """Check a softmax ``candidate(z)`` along the last axis against :func:`lossbook.softmax`.

    Parameters
    ----------
    candidate : callable
        The reader's function of one array of logits, returning probabilities of its shape.

    Returns
    -------
    CheckResult
        ✓, "not written yet", or a hint naming the input that broke the candidate.

    Examples
    --------
    >>> import numpy as np
    >>> def naive(z):
    ...     return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)
    >>> print(softmax(naive))  # doctest: +ELLIPSIS
    ✗ your softmax returned [nan, 0] for z = [1000, 0], expected [1, 0]; exp(1000) overflows...
    >>> print(softmax(lambda z: lb.softmax(z)))  # doctest: +ELLIPSIS
    ✓ your softmax passed all 6 checks: ...
    """
    cases = [Case((z,), lb.softmax(z), hint) for z, hint in _logits()]
    return run_cases("softmax", candidate, ["z"], cases, covered=COVERED,
                     shape_hint="return one probability per logit, the same shape as z")


def logsumexp(candidate: Callable[..., Any]) -> CheckResult:
    """Check ``candidate(z)``, ``log(sum(exp(z)))`` over the last axis, against :func:`lossbook.logsumexp`.

    Parameters
    ----------
    candidate : callable
        The reader's function of one array of logits; it drops the last axis.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> import numpy as np
    >>> print(logsumexp(lambda z: np.log(np.exp(z).sum(axis=-1))))  # doctest: +ELLIPSIS
    ✗ your logsumexp returned inf for z = [1000, 0], expected 1000; exp(1000) overflows to inf; subtract...
    """
    cases = [Case((z,), lb.logsumexp(z),
                  hint + (": logsumexp(z) = m + log(sum(exp(z - m)))" if "largest" in hint else ""))
             for z, hint in _logits()]
    return run_cases("logsumexp", candidate, ["z"], cases, covered=COVERED,
                     shape_hint="sum over the last axis only, so z of shape (2, 3, 4) gives "
                                "shape (2, 3) and a vector gives a single number")


def log_softmax(candidate: Callable[..., Any]) -> CheckResult:
    """Check ``candidate(z)``, the log of the softmax along the last axis, against :func:`lossbook.log_softmax`.

    Besides overflow, this catches ``np.log(softmax(z))`` even with a stable softmax: for
    ``z = [0, -800]`` the softmax underflows to 0 and its log is ``-inf``, not -800.

    Parameters
    ----------
    candidate : callable
        The reader's function of one array of logits, returning an array of its shape.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> print(log_softmax(lambda z: np.log(lb.softmax(z))))  # doctest: +ELLIPSIS
    ✗ your log_softmax returned [0, -inf] for z = [1000, 0], expected [0, -1000]; ...
    """
    direct = (f"{SHIFT}, then return z - m - log(sum(exp(z - m))); the log of a softmax fails "
              "here because the softmax underflows to 0 and log 0 = -inf")
    cases = [Case((z,), lb.log_softmax(z), direct if "largest" in hint else hint)
             for z, hint in _logits()]
    return run_cases("log_softmax", candidate, ["z"], cases, covered=COVERED,
                     shape_hint="return one log-probability per logit, the same shape as z")
