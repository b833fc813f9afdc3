"""The gradient steps the chapter Training a softmax classifier from scratch writes out, checked
against references that do not share lossbook's code: derivatives taken by mpmath at 40 digits,
and sums written here as plain loops.

- the chain rule at index level, sum_n sum_j G_nj X_nd delta_jk, for equation (eq-train-grads);
- the two chain-rule steps from the squared error to equation (eq-train-mse-grad);
- the bound of equation (eq-train-vanish-all) on the whole squared-error gradient, and how close
  the bound of equation (eq-train-vanish) comes for a confidently wrong example.

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

DIGITS = 40
SETTINGS = settings(max_examples=40, deadline=None)
LOGITS = st.lists(st.floats(-30, 30), min_size=2, max_size=5)


def mp_softmax(z):
    e = [mpmath.exp(mpmath.mpf(v) if not isinstance(v, mpmath.mpf) else v) for v in z]
    total = mpmath.fsum(e)
    return [v / total for v in e]


def mp_squared_error(z, c: int):
    return mpmath.fsum((p - (1 if k == c else 0)) ** 2 for k, p in enumerate(mp_softmax(z)))


def mp_gradient(f, z) -> list:
    """Partial derivatives of f at z, one coordinate at a time, by mpmath.diff."""
    point = [mpmath.mpf(float(v)) for v in z]
    return [mpmath.diff(lambda t, j=j: f(point[:j] + [t] + point[j + 1:]), point[j])
            for j in range(len(point))]


@pytest.mark.parametrize("seed", [0, 1])
def test_eq_train_grads_index_level_sum_matches_mpmath_derivatives(seed):
    rng = np.random.default_rng(seed)
    X, labels = rng.normal(size=(5, 2)), rng.integers(0, 3, size=5)
    W, b = rng.normal(size=(2, 3)), rng.normal(size=3)
    G = lb.cross_entropy_grad(X @ W + b, labels)
    # The chapter's sums, term by term: sum_n sum_j G_nj X_nd delta_jk, and sum_n sum_j G_nj delta_jk.
    delta = np.eye(3)
    index_dW = np.array([[sum(G[n, j] * X[n, d] * delta[j, k] for n in range(5) for j in range(3))
                          for k in range(3)] for d in range(2)])
    index_db = np.array([sum(G[n, j] * delta[j, k] for n in range(5) for j in range(3)) for k in range(3)])

    def loss(W_, b_):
        total = mpmath.mpf(0)
        for row, c in zip(X, labels):
            z = [mpmath.fsum(mpmath.mpf(float(row[d])) * W_[d][k] for d in range(2)) + b_[k] for k in range(3)]
            total -= mpmath.log(mp_softmax(z)[c])
        return total / len(labels)

    with mpmath.workdps(DIGITS):
        W_mp = [[mpmath.mpf(float(v)) for v in row] for row in W]
        b_mp = [mpmath.mpf(float(v)) for v in b]
        for d in range(2):
            for k in range(3):
                def along(t, d=d, k=k):
                    moved = [row[:] for row in W_mp]
                    moved[d][k] = t
                    return loss(moved, b_mp)
                assert index_dW[d, k] == pytest.approx(float(mpmath.diff(along, W_mp[d][k])), abs=1e-13)
        for k in range(3):
            assert index_db[k] == pytest.approx(
                float(mpmath.diff(lambda t, k=k: loss(W_mp, b_mp[:k] + [t] + b_mp[k + 1:]), b_mp[k])), abs=1e-13)
    np.testing.assert_allclose(index_dW, X.T @ G, rtol=1e-13, atol=1e-15)


@SETTINGS
@given(LOGITS, st.data())
def test_eq_train_mse_grad_first_chain_rule_step_and_substitution(z, data):
    c = data.draw(st.integers(0, len(z) - 1))
    K = len(z)
    with mpmath.workdps(DIGITS):
        p = mp_softmax(z)
        y = [1 if k == c else 0 for k in range(K)]
        # d p_k / d z_j = p_k (delta_kj - p_j), the softmax Jacobian, against mpmath.diff.
        for j in range(K):
            for k in range(K):
                numeric = mp_gradient(lambda v, k=k: mp_softmax(v)[k], z)[j]
                assert float(abs(numeric - p[k] * ((1 if k == j else 0) - p[j]))) < 1e-25
        derivative = mp_gradient(lambda v: mp_squared_error(v, c), z)
        for j in range(K):
            chain = mpmath.fsum(2 * (p[k] - y[k]) * p[k] * ((1 if k == j else 0) - p[j]) for k in range(K))
            split = 2 * p[j] * (p[j] - y[j]) - 2 * p[j] * mpmath.fsum(p[k] * (p[k] - y[k]) for k in range(K))
            assert float(abs(chain - derivative[j])) < 1e-25
            assert float(abs(split - derivative[j])) < 1e-25


@SETTINGS
@given(LOGITS, st.data())
def test_eq_train_vanish_all_bounds_the_whole_gradient(z, data):
    c = data.draw(st.integers(0, len(z) - 1))
    with mpmath.workdps(DIGITS):
        p = mp_softmax(z)
        gradient = mp_gradient(lambda v: mp_squared_error(v, c), z)
        # Each component within 4 p_j, the components summing to zero, the length within 8 (1 - max p).
        assert all(abs(g) <= 4 * pj * (1 + mpmath.mpf(10) ** -20) for g, pj in zip(gradient, p))
        assert abs(mpmath.fsum(gradient)) < mpmath.mpf(10) ** -25
        length = mpmath.sqrt(mpmath.fsum(g ** 2 for g in gradient))
        assert length <= 8 * (1 - max(p)) * (1 + mpmath.mpf(10) ** -20) + mpmath.mpf(10) ** -30


def test_eq_train_vanish_all_confidently_wrong_example():
    """Logits [0, 20, 0], true class 0: the whole gradient is tiny, and within 8 (1 - p_1)."""
    with mpmath.workdps(DIGITS):
        p = mp_softmax([0.0, 20.0, 0.0])
        gradient = mp_gradient(lambda v: mp_squared_error(v, 0), [0.0, 20.0, 0.0])
        length = mpmath.sqrt(mpmath.fsum(g ** 2 for g in gradient))
        assert length <= 8 * (1 - p[1])
        assert float(length) < 2e-8                  # cross-entropy's has length about 1.4
    # The vector the chapter computes, lossbook's, has the same length.
    assert np.linalg.norm(lb.softmax_squared_error_grad([[0.0, 20.0, 0.0]], [0])) == pytest.approx(
        float(length), rel=1e-9)


@pytest.mark.parametrize("gap", [8.0, 12.0, 20.0])
def test_eq_train_vanish_is_nearly_reached_when_confidently_wrong(gap):
    # The chapter's "all but equal": for logits [0, gap, 0] with class 0 true, the true-class
    # component tends to 4 p_c as the wrong class's probability tends to 1.
    with mpmath.workdps(DIGITS):
        p = mp_softmax([0.0, gap, 0.0])
        component = mp_gradient(lambda v: mp_squared_error(v, 0), [0.0, gap, 0.0])[0]
        ratio = abs(component) / (4 * p[0])
        assert ratio <= 1
        assert 1 - ratio < 3 * (1 - p[1])
