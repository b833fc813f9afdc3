"""Checkers for the chapter on losses between pairs: CLIP, distillation and DPO."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

import lossbook as lb

from ._harness import Case, describe, run_cases, show
from ._result import CheckResult

ONE_NUMBER = "return one number, the mean over the batch"
COVERED = "the chapter's worked example, random batches and logits of ±1000"


def clip_loss(candidate: Callable[..., Any]) -> CheckResult:
    """Check ``candidate(a, b, temperature)``, CLIP's symmetric loss, against :func:`lossbook.clip_loss`.

    Parameters
    ----------
    candidate : callable
        The reader's function of paired embeddings a, b (B, d) and a temperature.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> def rows_only(a, b, t):
    ...     a = a / np.linalg.norm(a, axis=1, keepdims=True)
    ...     b = b / np.linalg.norm(b, axis=1, keepdims=True)
    ...     return lb.cross_entropy(a @ b.T / t, np.arange(len(a)), from_logits=True)
    >>> print(clip_loss(rows_only))  # doctest: +ELLIPSIS
    ✗ your clip_loss returned ..., expected ...; ...and of the columns (logits.T)...
    """
    hint = ("normalise every row of a and b to length 1, form logits = a @ b.T / temperature, and "
            "average the cross-entropy of the rows (targets 0, 1, ..., B - 1) and of the columns (logits.T)")
    stable = ("with a temperature of 0.001 the logits reach ±1000: compute each cross-entropy as "
              "logsumexp(row) - row[i] with the largest logit subtracted first")
    from lossbook.widgets.similarity_matrix import default_embeddings  # the widget's batch; loads anywidget

    rng = np.random.default_rng(12)
    images, texts = default_embeddings()
    inputs = [((images, texts, 0.07), hint)]
    inputs += [((rng.normal(size=(16, 32)), rng.normal(size=(16, 32)), t), hint) for t in (0.01, 1.0)]
    inputs += [((rng.normal(0.0, 50.0, size=(6, 4)), rng.normal(0.0, 0.1, size=(6, 4)), 0.5), hint)]
    inputs += [((rng.normal(size=(8, 8)), rng.normal(size=(8, 8)), 0.001), stable)]
    # Embeddings are printed only when small, so name the temperature in every case.
    cases = [Case(args, np.asarray(lb.clip_loss(args[0], args[1], temperature=args[2])), h,
                  f"{describe(['a', 'b'], args[:2])} at temperature = {show(args[2])}")
             for args, h in inputs]
    return run_cases("clip_loss", candidate, ["a", "b", "temperature"], cases, covered=COVERED,
                     shape_hint=ONE_NUMBER)


def distillation_loss(candidate: Callable[..., Any]) -> CheckResult:
    """Check ``candidate(student_logits, teacher_logits, temperature)``: T² KL, averaged over the batch.

    The reference is :func:`lossbook.distillation_loss` (reduction "batchmean": the divergence
    of each example, equation (eq-pairs-distill), averaged over examples).

    Parameters
    ----------
    candidate : callable
        The reader's function of student and teacher logits (N, K) and a temperature.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> def no_t_squared(s, t, T):
    ...     p = lb.softmax(t / T)
    ...     return np.mean(np.sum(p * (lb.log_softmax(t / T) - lb.log_softmax(s / T)), axis=-1))
    >>> print(distillation_loss(no_t_squared))  # doctest: +ELLIPSIS
    ✗ your distillation_loss returned ... for student_logits = ..., temperature = 4, expected ...; ...multiply by T²...
    """
    hint = ("soften both with the same temperature, p = softmax(teacher / T) and q = softmax(student / T); "
            "the loss is sum p (log p - log q) per example, weighted by the teacher's p, "
            "multiply by T² (temperature ** 2), and average over the examples only (PyTorch's "
            "reduction='batchmean'), not over all the example-by-class terms")
    stable = ("take log p and log q from log_softmax (logsumexp with the largest logit subtracted "
              "first), never the log of a softmax that may be 0, and let terms with p = 0 count 0")
    teacher = np.array([[9.0, 5.0, 4.0, 0.5, 0.0, -1.0]])
    student = np.random.default_rng(3).normal(0.0, 2.0, size=(1, 6))
    rng = np.random.default_rng(31)
    inputs = [((student, teacher, t), hint) for t in (1.0, 4.0, 20.0)]
    inputs += [((rng.normal(0.0, 3.0, size=(8, 10)), rng.normal(0.0, 3.0, size=(8, 10)), t), hint)
               for t in (2.0, 5.0)]
    inputs += [((np.array([[0.0, 1000.0]]), np.array([[1000.0, 0.0]]), 1.0), stable),
               ((np.array([[800.0, -800.0, 0.0]]), np.array([[-800.0, 800.0, 0.0]]), 2.0), stable)]
    cases = [Case(args, np.asarray(lb.distillation_loss(args[0], args[1], temperature=args[2])), h)
             for args, h in inputs]
    return run_cases("distillation_loss", candidate, ["student_logits", "teacher_logits", "temperature"],
                     cases, covered=COVERED, shape_hint=ONE_NUMBER)


def dpo_loss(candidate: Callable[..., Any]) -> CheckResult:
    """Check ``candidate(policy_chosen, policy_rejected, reference_chosen, reference_rejected, beta)``.

    The answer is the mean over pairs of ``-log sigmoid(m)``, with the margin ``m`` of equation
    (eq-pairs-dpo); the reference is :func:`lossbook.dpo_loss`.

    Parameters
    ----------
    candidate : callable
        The reader's function of four arrays of log-probabilities (N,) and beta.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> def naive(pc, pr, rc, rr, beta):
    ...     m = beta * ((pc - rc) - (pr - rr))
    ...     return np.mean(-np.log(1 / (1 + np.exp(-m))))
    >>> print(dpo_loss(naive))  # doctest: +ELLIPSIS
    ✗ your dpo_loss returned inf for policy_chosen = [-2100], ..., expected 1000; ...np.logaddexp(0, -m)...
    """
    hint = ("the margin is m = beta * ((policy_chosen - reference_chosen) - (policy_rejected - "
            "reference_rejected)), and the loss the mean of -log sigmoid(m) over the pairs")
    stable = ("for a margin of -1000 the sigmoid underflows to 0 and its log to -inf; compute "
              "-log sigmoid(m) as softplus(-m) = np.logaddexp(0, -m)")
    worked = tuple(np.array([v]) for v in (-40.0, -52.0, -45.0, -47.0))
    rng = np.random.default_rng(21)
    inputs = [(worked + (beta,), hint) for beta in (0.1, 0.5)]
    inputs += [(tuple(rng.normal(-60.0, 15.0, size=(4, 100))) + (0.2,), hint)]
    inputs += [((np.array([-2100.0]), np.array([-100.0]), np.array([-100.0]), np.array([-100.0]), 0.5),
                stable),
               ((np.array([-10.0, -3000.0]), np.array([-1010.0, -1000.0]), np.array([-10.0, -1000.0]),
                 np.array([-10.0, -1000.0]), 1.0), stable)]
    cases = [Case(args, np.asarray(lb.dpo_loss(*args[:4], beta=float(args[4]))), h) for args, h in inputs]
    return run_cases("dpo_loss", candidate, ["policy_chosen", "policy_rejected", "reference_chosen",
                                             "reference_rejected", "beta"], cases,
                     covered="the chapter's worked pair, random batches and margins of ±1000",
                     shape_hint=ONE_NUMBER)
