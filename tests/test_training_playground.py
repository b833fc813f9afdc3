"""TrainingPlayground without a browser: its training steps against an independent NumPy
implementation of the same model and losses (formulas written out here, not lossbook's), the
errors readers get for bad settings, and the state it sends to the page."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import traitlets

from lossbook.datasets import make_dataset
from lossbook.widgets import TrainingPlayground


def independent_losses(name, Z, labels, smoothing, gamma):
    """Mean loss and its gradient in Z, from the textbook formulas."""
    n, k = Z.shape
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    y = np.eye(k)[labels]
    if name == "cross_entropy":
        q = (1 - smoothing) * y + smoothing / k
        return np.mean(-np.sum(q * np.log(p), axis=1)), (p - q) / n
    if name == "squared_error":
        err = p - y
        grad = 2 * p * (err - np.sum(p * err, axis=1, keepdims=True))
        return np.mean(np.sum(err**2, axis=1)), grad / n
    if name == "hinge":
        slack = Z - Z[np.arange(n), labels][:, None] + 1.0
        slack[np.arange(n), labels] = 0.0
        active = (slack > 0).astype(float)
        active[np.arange(n), labels] = -active.sum(axis=1)
        return np.mean(np.sum(np.maximum(slack, 0), axis=1)), active / n
    # Focal, differentiated by hand: d/dz of -(1 - p_t)^g ln p_t is c (p - e_t) with
    # c = (1 - p_t)^g - g (1 - p_t)^(g - 1) p_t ln p_t.
    pt = p[np.arange(n), labels]
    c = (1 - pt) ** gamma - gamma * (1 - pt) ** (gamma - 1) * pt * np.log(pt)
    return np.mean(-((1 - pt) ** gamma) * np.log(pt)), c[:, None] * (p - y) / n


def independent_run(dataset, loss, lr, l2, smoothing, steps, start=None, gamma=2.0):
    X, labels = make_dataset(dataset)
    k = labels.max() + 1
    W = np.zeros((2, k)) if start is None else start[: 2 * k].reshape(2, k)
    b = np.zeros(k) if start is None else start[2 * k:]
    history = []
    for step in range(steps + 1):
        Z = X @ W + b
        value, G = independent_losses(loss, Z, labels, smoothing, gamma)
        # The chapter's penalty lambda * ||W||^2, whose gradient is 2 lambda W.
        history.append(value + l2 * np.sum(W**2))
        W, b = W - lr * (X.T @ G + 2 * l2 * W), b - lr * G.sum(axis=0)
    return np.array(history)


@pytest.mark.parametrize("dataset, loss, lr, l2, smoothing", [
    ("clouds", "cross_entropy", 0.5, 0.0, 0.0),
    ("clouds", "cross_entropy", 0.2, 0.05, 0.1),
    ("moons", "cross_entropy", 1.0, 0.01, 0.0),
    ("imbalanced", "squared_error", 2.0, 0.0, 0.0),
    ("moons", "squared_error", 0.5, 0.1, 0.3),  # smoothing is the cross-entropy's only
    ("clouds", "hinge", 0.1, 0.0, 0.0),
    ("imbalanced", "hinge", 0.5, 0.05, 0.0),
    ("clouds", "focal", 0.5, 0.0, 0.0),
    ("moons", "focal", 1.0, 0.02, 0.0),
])
def test_train_takes_the_same_steps_as_an_independent_implementation(dataset, loss, lr, l2, smoothing):
    w = TrainingPlayground(dataset=dataset, loss=loss, learning_rate=lr, l2=l2, label_smoothing=smoothing)
    w.train(60)
    w.train(40)  # two calls continue where the first stopped
    expected = independent_run(dataset, loss, lr, l2, smoothing, 100)
    assert w.step == 100 and len(w.loss_history) == 101
    assert np.allclose(w.loss_history, expected, rtol=1e-12, atol=0)
    assert w.loss == pytest.approx(expected[-1], rel=1e-12)


@pytest.mark.parametrize("gamma", [0.0, 0.5, 3.0])
def test_focal_gamma_is_used_and_gamma_0_is_cross_entropy(gamma):
    w = TrainingPlayground(loss="focal", gamma=gamma, start="wrong")
    start = np.array(w.weights)
    w.train(50)
    expected = independent_run("clouds", "focal", 0.5, 0, 0, 50, start, gamma=gamma)
    assert np.allclose(w.loss_history, expected, rtol=1e-10)
    if gamma == 0.0:
        ce = TrainingPlayground(start="wrong")
        ce.train(50)
        assert np.allclose(w.loss_history, ce.loss_history, rtol=1e-12)


def test_the_wrong_start_is_confidently_wrong_and_cross_entropy_recovers():
    w = TrainingPlayground(start="wrong")
    X, labels = make_dataset("clouds")
    means = np.array([X[labels == c].mean(axis=0) for c in range(3)])
    start = np.array(w.weights)
    assert np.allclose(start[:6].reshape(2, 3), -1.5 * means.T, rtol=1e-14) and not start[6:].any()
    assert w.accuracy < 0.05 and w.loss > 5
    w.train(30)
    assert np.allclose(w.loss_history, independent_run("clouds", "cross_entropy", 0.5, 0, 0, 30, start), rtol=1e-12)
    assert w.accuracy > 0.9


def test_accuracy_is_the_share_of_points_whose_largest_logit_is_their_class():
    w = TrainingPlayground(dataset="moons")
    w.train(25)
    X, labels = make_dataset("moons")
    theta = np.array(w.weights)
    Z = X @ theta[:4].reshape(2, 2) + theta[4:]
    assert w.accuracy == np.mean(np.argmax(Z, axis=1) == labels)
    assert w.accuracy_history[-1] == w.accuracy


def test_step_from_the_page_recomputes_the_loss_in_python():
    w = TrainingPlayground()
    other = TrainingPlayground()
    other.train(5)
    w.set_state({"weights": other.weights, "step": 5})  # what the page sends after five steps
    assert w.loss == pytest.approx(other.loss, rel=1e-15) and w.accuracy == other.accuracy


@pytest.mark.parametrize("change", [{"dataset": "moons"}, {"loss_function": "squared_error"}, {"seed": 7},
                                    {"start": "wrong"}])
def test_changing_the_data_the_loss_or_the_start_resets_training(change):
    w = TrainingPlayground()
    w.train(10)
    for name, value in change.items():
        setattr(w, name, value)
    assert w.step == 0 and len(w.loss_history) == 1
    assert len(w.weights) == (6 if w.dataset == "moons" else 9)
    assert w.loss_history[0] == w.loss


def test_changing_the_rate_or_the_penalty_keeps_the_parameters():
    w = TrainingPlayground()
    w.train(10)
    before = list(w.weights)
    w.learning_rate, w.l2 = 0.1, 0.2
    assert w.step == 10 and w.weights == before
    W = np.array(before[:6])
    assert w.loss == pytest.approx(w.loss_history[-1] + 0.2 * np.sum(W**2), rel=1e-12)


def test_l2_is_the_strength_lambda_of_the_chapter_and_of_l2_penalty():
    # One convention everywhere: l2 = lambda adds lambda * ||W||^2 to the objective, and a step
    # shrinks W by (1 - 2 * eta * lambda) before the data's pull, equation (eq-train-reg-decay).
    lam, eta = 0.1, 0.5
    plain, penalised = TrainingPlayground(learning_rate=eta), TrainingPlayground(learning_rate=eta, l2=lam)
    plain.train(5)
    penalised.set_state({"weights": plain.weights})
    W, b = np.array(plain.weights[:6]).reshape(2, 3), np.array(plain.weights[6:])
    assert penalised.loss - plain.loss == pytest.approx(lam * sum(v * v for v in W.ravel()), rel=1e-12)
    X, labels = make_dataset("clouds")
    Z = X @ W + b
    p = np.exp(Z - Z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    G = (p - np.eye(3)[labels]) / len(labels)
    penalised.train(1)
    assert np.allclose(np.array(penalised.weights[:6]).reshape(2, 3),
                       (1 - 2 * eta * lam) * W - eta * X.T @ G, rtol=1e-12, atol=1e-15)


def test_state_is_json_even_after_divergence():
    w = TrainingPlayground(learning_rate=30.0, l2=0.5)  # 2 * lr * l2 > 2: the weights blow up
    w.train(1200)
    assert not math.isfinite(w.loss)
    state = w.get_state()
    assert w.step < 1200 and len(w.loss_history) == w.step + 1  # stopped where it overflowed
    assert all(math.isfinite(v) for v in w.loss_history[:-1])
    json.dumps({k: state[k] for k in ("weights", "loss_history", "accuracy_history", "loss", "accuracy")},
               allow_nan=False)


@pytest.mark.parametrize("kwargs, pattern", [
    ({"learning_rate": -0.1}, r"learning_rate must be a positive finite number, got -0\.1; pass e\.g\. learning_rate=0\.5"),
    ({"learning_rate": 0.0}, r"got 0\.0"),
    ({"learning_rate": math.nan}, r"got nan"),
    ({"loss": "mse"}, r"loss must be one of 'cross_entropy', 'squared_error', 'hinge', 'focal', got 'mse'; pass e\.g\. loss='cross_entropy'"),
    ({"dataset": "spirals"}, r"dataset must be one of 'clouds', 'moons', 'imbalanced', got 'spirals'"),
    ({"l2": -1.0}, r"l2 must be a finite number >= 0, got -1\.0; pass e\.g\. l2=0\.01"),
    ({"gamma": -0.5}, r"gamma must be a finite number >= 0, got -0\.5; pass e\.g\. gamma=2\.0"),
    ({"label_smoothing": 1.5}, r"label_smoothing must be in \[0, 1\], got 1\.5"),
    ({"seed": -3}, r"seed must be in \[0, 2\*\*32\), got -3"),
    ({"start": "random"}, r"start must be one of 'zeros', 'wrong', got 'random'"),
])
def test_bad_settings_raise_and_say_how_to_fix_them(kwargs, pattern):
    with pytest.raises(traitlets.TraitError, match=pattern):
        TrainingPlayground(**kwargs)


def test_bad_settings_after_construction_leave_the_widget_unchanged():
    w = TrainingPlayground()
    w.train(3)
    with pytest.raises(traitlets.TraitError):
        w.learning_rate = -1.0
    with pytest.raises(traitlets.TraitError, match=r"weights must hold 9 numbers for dataset 'clouds'"):
        w.weights = [0.0] * 6
    assert w.learning_rate == 0.5 and w.step == 3


@pytest.mark.parametrize("steps, error", [(-1, ValueError), (2.5, TypeError), (True, TypeError)])
def test_train_refuses_bad_step_counts(steps, error):
    with pytest.raises(error, match=r"steps must be"):
        TrainingPlayground().train(steps)


def test_ships_one_module_with_the_shared_helpers():
    esm = str(TrainingPlayground._esm)
    assert esm.count("export default") == 1 and "function rangeControl" in esm
    assert "function makeDataset" in esm and ".lossbook-playground-view" in str(TrainingPlayground._css)
