"""entropy and kl_divergence against mpmath and the course's worked numbers."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lossbook as lb
from strategies import distribution

PROPERTY = settings(max_examples=60, deadline=None)


@st.composite
def pair(draw, q_min=0.0):
    k = draw(st.integers(1, 6))
    return draw(distribution(k)), draw(distribution(k, min_value=q_min))


def test_seed_entropy_is_1_5_bits(mp_ref):
    p = [0.5, 0.25, 0.25]
    assert lb.entropy(p, base=2) == 1.5
    assert lb.entropy(p) == pytest.approx(mp_ref.entropy(p), rel=1e-15)


@PROPERTY
@given(pq=pair())
def test_entropy_matches_mpmath_and_is_at_most_log_k(pq, mp_ref):
    p, _ = pq
    assert lb.entropy(p) == pytest.approx(mp_ref.entropy(p), rel=1e-13, abs=1e-300)
    assert lb.entropy(p) <= np.log(len(p)) + 1e-15


@PROPERTY
@given(pq=pair(q_min=1e-6))
def test_kl_matches_mpmath_and_is_non_negative(pq, mp_ref):
    p, q = pq
    expected = mp_ref.kl(p, q)
    # KL is a sum of signed terms, so the error is relative to their size, not to the total.
    scale = float(np.sum(p * np.abs(np.log(np.where(p > 0, p, 1.0))))) + float(np.sum(p * np.abs(np.log(q))))
    assert lb.kl_divergence(p, q) == pytest.approx(expected, rel=1e-13, abs=1e-15 * scale)
    assert lb.kl_divergence(p, q) >= -1e-15


def test_kl_of_nearly_equal_distributions_keeps_its_digits(mp_ref):
    # p and q differ by 1e-9: log p - log q would cancel to about 7 digits.
    q = np.array([0.3, 0.3, 0.4])
    p = q + np.array([1e-9, -1e-9, 0.0])
    assert lb.kl_divergence(p, q) == pytest.approx(mp_ref.kl(p, q), rel=1e-9)
    assert mp_ref.relative_error(lb.kl_divergence(p, q), mp_ref.kl(p, q)) <= 1e-7


def test_kl_with_a_tiny_q_is_finite_and_accurate(mp_ref):
    p = np.array([0.5, 0.5])
    q = np.array([1.0 - 5e-324, 5e-324])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert lb.kl_divergence(p, q) == pytest.approx(mp_ref.kl(p, q), rel=1e-13)


def test_kl_is_zero_for_equal_and_inf_where_q_rules_out_an_outcome():
    assert lb.kl_divergence([0.2, 0.8], [0.2, 0.8]) == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert lb.kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf
        assert lb.kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(np.log(2), rel=1e-15)


def test_kl_is_not_symmetric_worked_by_hand():
    p, q = [0.5, 0.5], [0.9, 0.1]
    assert round(float(lb.kl_divergence(p, q)), 3) == 0.511
    assert round(float(lb.kl_divergence(q, p)), 3) == 0.368


def test_axis_and_base():
    p = np.array([[0.5, 0.5], [1.0, 0.0]])
    np.testing.assert_allclose(lb.entropy(p, base=2), [1.0, 0.0], rtol=1e-15)
    np.testing.assert_allclose(lb.entropy(p.T, base=2, axis=0), [1.0, 0.0], rtol=1e-15)
    np.testing.assert_allclose(lb.kl_divergence(p.T, np.full((2, 2), 0.5), base=2, axis=0), [0.0, 1.0], atol=1e-16)


def test_zero_log_zero_is_zero():
    assert lb.entropy([0.5, 0.5, 0.0], base=2) == 1.0


def test_rows_not_summing_to_one():
    with pytest.raises(ValueError, match=r"each row of p must sum to 1.*sums to 1\.5"):
        lb.entropy([0.5, 1.0])


def test_negative_probability():
    with pytest.raises(ValueError, match=r"q must lie in \[0, 1\], got -0\.5"):
        lb.kl_divergence([0.5, 0.25, 0.25], [1.0, 0.5, -0.5])


def test_mismatched_shapes():
    with pytest.raises(ValueError, match=r"p has shape \(2,\) but q has shape \(3,\)"):
        lb.kl_divergence([0.5, 0.5], [0.2, 0.3, 0.5])


def test_nan():
    with pytest.raises(ValueError, match=r"p contains NaN"):
        lb.entropy([np.nan, 1.0])


@pytest.mark.parametrize("base", [0, -1, 1])
def test_invalid_base(base):
    with pytest.raises(ValueError, match=r"base must be positive and different from 1"):
        lb.entropy([0.5, 0.5], base=base)
