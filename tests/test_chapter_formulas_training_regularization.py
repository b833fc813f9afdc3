"""The regularization formulas of the chapter Training a softmax classifier from scratch,
checked against references that do not share lossbook's code: sums and derivatives in 50-digit
mpmath, and gradient steps taken on central differences written here.

Each test is named after the label of the equation it checks; tests/test_equation_coverage.py
makes sure no labelled equation is left without one.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lossbook as lb

SETTINGS = settings(max_examples=30, deadline=None)


def problem(seed: int, n: int = 7, d: int = 2, k: int = 3):
    rng = np.random.default_rng(seed)
    return (rng.normal(0, 2, (n, d)), rng.integers(0, k, n), rng.normal(0, 1, (d, k)),
            rng.normal(0, 1, k))


def mp_objective(X, labels, W, b, strength) -> mpmath.mpf:
    """Mean cross-entropy of softmax(XW + b) plus strength * sum W^2, at 50 digits, from the
    definitions: probabilities formed first, then their logarithms.  It works at the caller's
    precision, so that mpmath.diff can raise it while it differentiates."""
    total = mpmath.mpf(0)
    for row, label in zip(X, labels):
        logits = [mpmath.fsum(mpmath.mpf(float(row[d])) * W[d][j] for d in range(len(row)))
                  + b[j] for j in range(len(b))]
        exps = [mpmath.exp(v) for v in logits]
        total -= mpmath.log(exps[label] / mpmath.fsum(exps))
    penalty = mpmath.fsum(w * w for w_row in W for w in w_row)
    return total / len(labels) + mpmath.mpf(float(strength)) * penalty


def as_mp(W, b):
    return [[mpmath.mpf(float(v)) for v in row] for row in W], [mpmath.mpf(float(v)) for v in b]


def chapter_objective_and_grads(X, labels, W, b, strength):
    """What the chapter computes: lossbook's data loss and gradient plus the penalty's."""
    Z = X @ W + b
    G = lb.cross_entropy_grad(Z, labels)
    objective = lb.cross_entropy(Z, labels, from_logits=True) + lb.l2_penalty(W, strength)
    return objective, X.T @ G + lb.l2_penalty_grad(W, strength), G.sum(axis=0)


@SETTINGS
@given(seed=st.integers(0, 10_000), strength=st.floats(0.0, 3.0))
def test_eq_train_reg_loss_is_the_data_loss_plus_lambda_sum_of_squares(seed, strength):
    X, labels, W, b = problem(seed)
    with mpmath.workdps(50):
        expected = mp_objective(X, labels, *as_mp(W, b), strength)
    objective, _, _ = chapter_objective_and_grads(X, labels, W, b, strength)
    assert objective == pytest.approx(float(expected), rel=1e-13)


def test_eq_train_reg_loss_penalises_weights_not_biases():
    X, labels, W, b = problem(1)
    shifted = chapter_objective_and_grads(X, labels, W, b + 5.0, 1.0)[0]
    data_only = chapter_objective_and_grads(X, labels, W, b + 5.0, 0.0)[0]
    # A shift shared by every bias changes no probability, and the penalty ignores biases.
    assert shifted - data_only == pytest.approx(float(np.sum(W ** 2)), rel=1e-14)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("strength", [0.0, 0.05, 2.0])
def test_eq_train_reg_grads_match_mpmath_derivatives(seed, strength):
    X, labels, W, b = problem(seed)
    _, dW, db = chapter_objective_and_grads(X, labels, W, b, strength)
    W_mp, b_mp = as_mp(W, b)
    with mpmath.workdps(50):
        for d, k in np.ndindex(W.shape):
            def along_w(t, d=d, k=k):
                moved = [list(row) for row in W_mp]
                moved[d][k] = t
                return mp_objective(X, labels, moved, b_mp, strength)
            assert dW[d, k] == pytest.approx(float(mpmath.diff(along_w, W_mp[d][k])),
                                             rel=1e-10, abs=1e-13)
        for k in range(len(b)):
            def along_b(t, k=k):
                moved = list(b_mp)
                moved[k] = t
                return mp_objective(X, labels, W_mp, moved, strength)
            assert db[k] == pytest.approx(float(mpmath.diff(along_b, b_mp[k])), rel=1e-10,
                                          abs=1e-13)


@pytest.mark.parametrize("seed", range(5))
def test_eq_train_reg_decay_is_a_gradient_step_on_the_regularised_objective(seed):
    X, labels, W, b = problem(seed)
    strength, eta, h = 0.3, 0.5, 1e-6

    def objective(flat):
        with mpmath.workdps(50):
            return float(mp_objective(X, labels, *as_mp(flat.reshape(W.shape), b), strength))

    numeric = np.zeros(W.size)
    for i in range(W.size):
        up, down = W.ravel().copy(), W.ravel().copy()
        up[i] += h
        down[i] -= h
        numeric[i] = (objective(up) - objective(down)) / (2 * h)
    step_on_differences = W - eta * numeric.reshape(W.shape)
    G = lb.cross_entropy_grad(X @ W + b, labels)
    decayed = (1 - 2 * eta * strength) * W - eta * X.T @ G
    np.testing.assert_allclose(decayed, step_on_differences, rtol=1e-8, atol=1e-9)


def test_eq_train_reg_decay_is_torch_sgd_with_weight_decay_two_lambda():
    # The chapter's margin note: torch.optim.SGD adds weight_decay * W to the gradient, so
    # weight_decay = 2 * lambda takes the same step as equation (eq-train-reg-decay).
    torch = pytest.importorskip("torch")
    X, labels, W, b = problem(3)
    strength, eta = 0.3, 0.5
    Wt = torch.tensor(W, requires_grad=True)
    optimiser = torch.optim.SGD([Wt], lr=eta, weight_decay=2 * strength)
    torch.nn.functional.cross_entropy(torch.tensor(X) @ Wt + torch.tensor(b),
                                      torch.tensor(labels)).backward()
    optimiser.step()
    G = lb.cross_entropy_grad(X @ W + b, labels)
    np.testing.assert_allclose((1 - 2 * eta * strength) * W - eta * X.T @ G,
                               Wt.detach().numpy(), rtol=1e-13, atol=1e-14)
