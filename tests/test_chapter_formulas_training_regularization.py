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


# --- Why the penalty leaves the biases alone -------------------------------------------------------


def test_eq_train_reg_loss_biases_alone_can_make_a_model_confident():
    # W = 0, b = [100, 0, 0]: every point gets the same, nearly certain prediction.
    with mpmath.workdps(50):
        other = mpmath.exp(-100) / (1 + 2 * mpmath.exp(-100))
    probabilities = lb.softmax(np.zeros((4, 3)) + np.array([100.0, 0.0, 0.0]))
    np.testing.assert_allclose(probabilities[:, 1:], float(other), rtol=1e-13)
    assert float(other) < 1e-43


def test_eq_train_reg_loss_biases_do_not_change_how_the_logits_move_with_the_input():
    rng = np.random.default_rng(4)
    W, x, h = rng.normal(size=(2, 3)), rng.normal(size=2), 1e-6
    for b in (np.zeros(3), np.array([100.0, -50.0, 3.0])):
        slopes = np.array([((x + h * e) @ W + b - ((x - h * e) @ W + b)) / (2 * h) for e in np.eye(2)])
        np.testing.assert_allclose(slopes, W, rtol=1e-6, atol=1e-6)


def fitted_probabilities(X, labels, strength, penalise_biases):
    """softmax(XW + b) at the minimum of the mean cross-entropy plus strength * |W|^2 (and
    strength * |b|^2 when penalise_biases), found by scipy's L-BFGS on formulas written here."""
    import scipy.optimize
    import scipy.special

    n, d = X.shape
    k = int(labels.max()) + 1
    Y = np.eye(k)[labels]

    def objective(theta):
        W, b = theta[:d * k].reshape(d, k), theta[d * k:]
        Z = X @ W + b
        G = (scipy.special.softmax(Z, axis=1) - Y) / n
        value = np.mean(scipy.special.logsumexp(Z, axis=1) - np.sum(Y * Z, axis=1)) + strength * np.sum(W**2)
        dW, db = X.T @ G + 2 * strength * W, G.sum(axis=0)
        if penalise_biases:
            value, db = value + strength * np.sum(b**2), db + 2 * strength * b
        return value, np.concatenate([dW.ravel(), db])

    found = scipy.optimize.minimize(objective, np.zeros(d * k + k), jac=True, method="L-BFGS-B",
                                    options={"gtol": 1e-12, "ftol": 1e-15, "maxiter": 10_000})
    W, b = found.x[:d * k].reshape(d, k), found.x[d * k:]
    return scipy.special.softmax(X @ W + b, axis=1)


def test_eq_train_reg_loss_penalised_biases_make_the_fit_depend_on_centring():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, size=90)
    X = np.array([[-2.0, -1.0], [2.0, -1.0], [0.0, 2.0]])[labels] + rng.normal(0, 1.1, (90, 2))
    shift = np.array([3.0, -2.0])
    for penalise_biases, agree in ((False, True), (True, False)):
        centred = fitted_probabilities(X, labels, 0.1, penalise_biases)
        moved = fitted_probabilities(X + shift, labels, 0.1, penalise_biases)
        gap = np.abs(centred - moved).max()
        assert (gap < 1e-6) if agree else (gap > 1e-2), (penalise_biases, gap)


def test_eq_train_reg_loss_penalised_biases_pull_the_base_rates_towards_equal_classes():
    labels = np.repeat([0, 1, 2], [70, 20, 10])
    X = np.zeros((100, 1))                       # no information in the input: W stays 0
    free = fitted_probabilities(X, labels, 0.1, penalise_biases=False)[0]
    penalised = fitted_probabilities(X, labels, 0.1, penalise_biases=True)[0]
    np.testing.assert_allclose(free, [0.7, 0.2, 0.1], atol=1e-7)
    assert penalised[2] > 0.1 + 0.02 and penalised[0] < 0.7 - 0.02
    assert -np.sum(penalised * np.log(penalised)) > -np.sum(free * np.log(free))


# --- The margin note on weight decay in PyTorch: checked against torch itself ----------------------


def test_torch_sgd_weight_decay_decays_the_biases_unless_a_group_spares_them():
    torch = pytest.importorskip("torch")
    X, labels, W, b = problem(2)
    wd, eta = 0.2, 0.5
    G = lb.cross_entropy_grad(X @ W + b, labels)
    dW, db = X.T @ G, G.sum(axis=0)
    for grouped in (False, True):
        layer = torch.nn.Linear(2, 3, dtype=torch.float64)
        with torch.no_grad():
            layer.weight.copy_(torch.tensor(W.T))
            layer.bias.copy_(torch.tensor(b))
        groups = ([{"params": [layer.weight]}, {"params": [layer.bias], "weight_decay": 0.0}]
                  if grouped else layer.parameters())
        optimiser = torch.optim.SGD(groups, lr=eta, weight_decay=wd)
        torch.nn.functional.cross_entropy(layer(torch.tensor(X)), torch.tensor(labels)).backward()
        optimiser.step()
        np.testing.assert_allclose(layer.weight.detach().numpy().T, W - eta * (dW + wd * W), rtol=1e-13)
        expected_bias = b - eta * db if grouped else b - eta * (db + wd * b)
        np.testing.assert_allclose(layer.bias.detach().numpy(), expected_bias, rtol=1e-13, atol=1e-15)


def adam_reference(theta, gradients, lr, wd, decoupled, betas=(0.9, 0.999), eps=1e-8):
    """Adam with the decay added to the gradient (decoupled=False) or AdamW (decoupled=True),
    written from Kingma and Ba's and Loshchilov and Hutter's algorithms."""
    theta, m, v = theta.copy(), np.zeros_like(theta), np.zeros_like(theta)
    for t, g in enumerate(gradients, start=1):
        if decoupled:
            theta = theta * (1 - lr * wd)
        else:
            g = g + wd * theta
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g * g
        theta = theta - lr * (m / (1 - betas[0] ** t)) / (np.sqrt(v / (1 - betas[1] ** t)) + eps)
    return theta


def test_torch_adam_scales_the_decay_by_the_adaptive_step_and_adamw_does_not():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    steps, lr, wd = 30, 1e-3, 0.1
    # Two weights, both starting at 1: one with tiny gradients, one with large ones.
    gradients = rng.normal(size=(steps, 2)) * np.array([1e-3, 1e2])
    theta0 = np.ones(2)
    for name, decoupled in (("Adam", False), ("AdamW", True)):
        theta = torch.tensor(theta0, requires_grad=True)
        optimiser = getattr(torch.optim, name)([theta], lr=lr, weight_decay=wd)
        for g in gradients:
            optimiser.zero_grad()
            (theta * torch.tensor(g)).sum().backward()       # a loss whose gradient is g
            optimiser.step()
        reference = adam_reference(theta0, gradients, lr, wd, decoupled)
        np.testing.assert_allclose(theta.detach().numpy(), reference, rtol=1e-12)
        # How far the decay moved each weight, in units of plain decay lr * wd * theta per step.
        decay = (adam_reference(theta0, gradients, lr, 0.0, decoupled) - reference) / (steps * lr * wd)
        if decoupled:
            np.testing.assert_allclose(decay, 1.0, rtol=0.02)
        else:
            assert decay[1] < 0.05 and decay[0] > 1      # the large-gradient weight is hardly decayed
