"""Checkers for entropy and KL divergence of discrete distributions, in nats."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from numpy.typing import NDArray

import lossbook as lb

from ._harness import Case, run_cases
from ._result import CheckResult

ZERO = ("0 · log 0 gives nan in NumPy, but its limit is 0: keep only the terms with p > 0, "
        "e.g. with np.where(p > 0, ..., 0.0)")
COVERED = "the worked example, zero probabilities and random distributions"


def _distributions() -> list[NDArray[np.float64]]:
    rng = np.random.default_rng(19)
    return [rng.dirichlet(np.ones(k)) for k in (2, 5, 10)]


def entropy(candidate: Callable[..., Any]) -> CheckResult:
    """Check ``candidate(p)``, the entropy of a probability vector in nats, against :func:`lossbook.entropy`.

    Parameters
    ----------
    candidate : callable
        The reader's function of one probability vector, returning a single number.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> import numpy as np
    >>> print(entropy(lambda p: -np.sum(p * np.log(p))))  # doctest: +ELLIPSIS
    ✗ your entropy returned nan for p = [1, 0, 0], expected 0; 0 · log 0 gives nan...
    >>> print(entropy(lambda p: -np.sum(p * np.log2(p))))  # doctest: +ELLIPSIS
    ✗ your entropy returned 1.5 for p = [0.5, 0.25, 0.25], expected 1.0397; H(p) = ... in nats, not bits
    """
    nats = ("H(p) = -(sum over the outcomes of p log p): mind the minus sign, add the terms (do not "
            "average them), and use the natural log (np.log), so the answer is in nats, not bits")
    vectors = [(np.array([0.5, 0.25, 0.25]), nats), (np.array([1.0, 0.0, 0.0]), ZERO),
               (np.array([0.5, 0.0, 0.5]), ZERO)] + [(p, nats) for p in _distributions()]
    cases = [Case((p,), lb.entropy(p), hint) for p, hint in vectors]
    return run_cases("entropy", candidate, ["p"], cases, covered=COVERED,
                     shape_hint="sum over the outcomes and return a single number")


def kl_divergence(candidate: Callable[..., Any]) -> CheckResult:
    """Check ``candidate(p, q)``, KL(p ‖ q) in nats, against :func:`lossbook.kl_divergence`.

    Parameters
    ----------
    candidate : callable
        The reader's function of two probability vectors, returning a single number.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> import numpy as np
    >>> print(kl_divergence(lambda p, q: np.sum(q * np.log(q / p))))  # doctest: +ELLIPSIS
    ✗ your kl_divergence returned 0.0566 for p = [0.5, 0.25, 0.25], q = [0.3333, 0.3333, 0.3333], expected 0.0589; ...weighted by p, not q...
    """
    third = np.full(3, 1 / 3)
    sums = ("KL(p ‖ q) = the sum (not the mean) over the outcomes of p log(p / q), weighted by p, "
            "not q; it is not symmetric")
    pairs = [(np.array([0.5, 0.25, 0.25]), third, sums),
             (np.array([0.7, 0.2, 0.1]), np.array([0.1, 0.3, 0.6]), sums),
             (np.array([1.0, 0.0]), np.array([0.5, 0.5]), ZERO)]
    rng = np.random.default_rng(20)
    pairs += [(p, rng.dirichlet(np.ones(len(p))), sums) for p in _distributions()]
    cases = [Case((p, q), lb.kl_divergence(p, q), hint) for p, q, hint in pairs]
    return run_cases("kl_divergence", candidate, ["p", "q"], cases, covered=COVERED,
                     shape_hint="sum over the outcomes and return a single number")
