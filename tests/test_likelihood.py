"""The Bernoulli likelihood and log-likelihood."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lossbook as lb

PROPERTY = settings(max_examples=60, deadline=None)


def test_likelihood_by_hand():
    np.testing.assert_allclose(lb.bernoulli_likelihood([0.7, 0.7, 0.0, 1.0], [1, 0, 0, 1]), [0.7, 0.3, 1.0, 1.0], rtol=1e-15)


@PROPERTY
@given(p=st.floats(0.0, 1.0), y=st.sampled_from([0.0, 1.0, 0.5, 0.9]))
def test_log_likelihood_matches_mpmath_and_is_log_of_likelihood(p, y, mp_ref):
    expected = mp_ref.bernoulli_log(p, y)
    assert mp_ref.relative_error(lb.bernoulli_log_likelihood([p], [y]), [expected]) <= 1e-14
    assert lb.bernoulli_likelihood([p], [y])[0] == pytest.approx(np.exp(expected), rel=1e-13, abs=1e-300)


def test_product_underflows_but_the_sum_of_logs_does_not():
    p, y = np.full(20_000, 0.9), np.ones(20_000)   # 0.9**20000 = 1e-915
    # The true product is 1e-915; what a float product returns (0 or a stuck subnormal)
    # keeps none of it.
    assert np.prod(lb.bernoulli_likelihood(p, y)) < 1e-300
    assert lb.bernoulli_log_likelihood(p, y).sum() == pytest.approx(20_000 * np.log(0.9), rel=1e-12)


def test_negative_log_likelihood_is_binary_cross_entropy():
    p, y = np.array([0.9, 0.2, 0.6]), np.array([1.0, 0.0, 0.3])
    np.testing.assert_allclose(-lb.bernoulli_log_likelihood(p, y, base=2),
                               lb.binary_cross_entropy(p, y, base=2, reduction="none"), rtol=1e-15)


def test_impossible_label_has_log_likelihood_minus_inf():
    np.testing.assert_array_equal(lb.bernoulli_log_likelihood([0.0, 1.0], [1.0, 0.0]), [-np.inf, -np.inf])


def test_prediction_outside_unit_interval_suggests_sigmoid():
    with pytest.raises(ValueError, match=r"y_pred must lie in \[0, 1\], got 1\.5.*lossbook\.sigmoid"):
        lb.bernoulli_likelihood([1.5], [1.0])


def test_label_outside_unit_interval():
    with pytest.raises(ValueError, match=r"y_true must lie in \[0, 1\], got -1\.0"):
        lb.bernoulli_log_likelihood([0.5], [-1.0])


def test_mismatched_shapes():
    with pytest.raises(ValueError, match=r"y_pred has shape \(2,\) but y_true has shape \(1,\)"):
        lb.bernoulli_likelihood([0.5, 0.5], [1.0])


def test_invalid_base():
    with pytest.raises(ValueError, match=r"base must be positive and different from 1, got 1"):
        lb.bernoulli_log_likelihood([0.5], [1.0], base=1)
