"""Squared error of softmax probabilities: the loss against its definition in 40-digit
arithmetic, the gradient against finite differences and against the chain rule written out."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lossbook as lb

mpmath.mp.dps = 40


def reference(logits, target):
    z = [mpmath.mpf(v) for v in logits]
    total = mpmath.fsum(mpmath.exp(v) for v in z)
    return mpmath.fsum((mpmath.exp(v) / total - (1 if j == target else 0)) ** 2 for j, v in enumerate(z))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-30, 30), min_size=2, max_size=5), st.data())
def test_loss_matches_its_definition(logits, data):
    target = data.draw(st.integers(0, len(logits) - 1))
    value = lb.softmax_squared_error(np.array([logits]), np.array([target]))
    assert float(value) == pytest.approx(float(reference(logits, target)), rel=1e-12, abs=1e-15)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=2, max_size=5), st.data())
def test_gradient_matches_finite_differences(logits, data):
    target = data.draw(st.integers(0, len(logits) - 1))
    z = np.array(logits)
    y = lb.one_hot(np.array([target]), num_classes=len(logits))[0]
    analytic = lb.softmax_squared_error_grad(z[None, :], np.array([target]), reduction="sum")[0]
    numeric = lb.numerical_gradient(lambda v: float(np.sum((lb.softmax(v) - y) ** 2)), z)
    assert np.allclose(analytic, numeric, atol=1e-8)


def test_gradient_equals_the_softmax_jacobian_times_twice_the_error():
    rng = np.random.default_rng(5)
    z = rng.normal(0, 2, size=(6, 4))
    y = rng.dirichlet(np.ones(4), size=6)  # soft targets too
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    expected = np.stack([(np.diag(pi) - np.outer(pi, pi)) @ (2 * (pi - yi)) for pi, yi in zip(p, y)])
    assert np.allclose(lb.softmax_squared_error_grad(z, y, reduction="none"), expected, atol=1e-15)
    assert np.allclose(lb.softmax_squared_error_grad(z, y), expected / 6, atol=1e-15)
    assert np.allclose(lb.softmax_squared_error(z, y, reduction="none"), np.sum((p - y) ** 2, axis=1))


def test_inputs_are_not_modified_and_bad_inputs_raise():
    z, y = np.array([[1.0, 2.0, 3.0]]), np.array([1])
    before = z.copy()
    lb.softmax_squared_error_grad(z, y)
    assert np.array_equal(z, before)
    with pytest.raises(ValueError, match="reduction"):
        lb.softmax_squared_error(z, y, reduction="median")
    with pytest.raises(ValueError, match=r"y_true has shape"):
        lb.softmax_squared_error_grad(z, np.array([0, 1]))
