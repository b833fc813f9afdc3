"""Calibration: ECE and the reliability curve against a direct loop, temperature scaling against scipy."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar

import lossbook as lb


def direct_ece(p, labels, n_bins):
    """Guo et al.'s definition, bin by bin with explicit edge comparisons."""
    conf, pred = p.max(axis=1), p.argmax(axis=1)
    edges = np.linspace(0, 1, n_bins + 1)
    total = 0.0
    for lower, upper in zip(edges[:-1], edges[1:]):
        in_bin = (conf > lower) & (conf <= upper)
        if in_bin.any():
            total += in_bin.mean() * abs((pred[in_bin] == labels[in_bin]).mean() - conf[in_bin].mean())
    return total


def _predictions(seed, n=400, k=5, scale=3.0):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, k)) * scale
    labels = np.where(rng.uniform(size=n) < 0.6, z.argmax(axis=1), rng.integers(0, k, n))
    return z, labels


@pytest.mark.parametrize("n_bins", [1, 5, 10, 15, 40])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ece_matches_a_direct_implementation(n_bins, seed):
    z, labels = _predictions(seed)
    p = lb.softmax(z)
    assert lb.expected_calibration_error(p, labels, n_bins=n_bins) == pytest.approx(
        direct_ece(p, labels, n_bins), rel=1e-12, abs=1e-15)


def test_confidences_on_the_edges_go_to_the_lower_bin():
    # Confidence exactly 0.5 and 1.0 with 2 bins: (0, 0.5] and (0.5, 1].
    p = np.array([[0.5, 0.5], [1.0, 0.0], [0.75, 0.25]])
    curve = lb.reliability_curve(p, [1, 0, 0], n_bins=2)
    np.testing.assert_array_equal(curve.counts, [1, 2])
    np.testing.assert_array_equal(curve.accuracy, [0.0, 1.0])     # 0.5 ties go to class 0: wrong
    np.testing.assert_array_equal(curve.confidence, [0.5, 0.875])


def test_reliability_curve_by_hand_and_empty_bins_are_nan():
    p = np.array([[0.95, 0.05], [0.05, 0.95], [0.65, 0.35]])
    curve = lb.reliability_curve(p, [0, 0, 0], n_bins=4)
    np.testing.assert_array_equal(curve.edges, [0.0, 0.25, 0.5, 0.75, 1.0])
    np.testing.assert_array_equal(curve.counts, [0, 0, 1, 2])
    assert np.isnan(curve.confidence[:2]).all() and np.isnan(curve.accuracy[:2]).all()
    np.testing.assert_allclose(curve.confidence[2:], [0.65, 0.95])
    np.testing.assert_allclose(curve.accuracy[2:], [1.0, 0.5])
    # ECE = 1/3 * 0.35 + 2/3 * 0.45
    assert lb.expected_calibration_error(p, [0, 0, 0], n_bins=4) == pytest.approx(0.35 / 3 + 0.9 / 3, rel=1e-14)


def test_one_hot_targets_give_the_same_ece():
    z, labels = _predictions(3)
    p = lb.softmax(z)
    assert lb.expected_calibration_error(p, lb.one_hot(labels, num_classes=5)) == \
        lb.expected_calibration_error(p, labels)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n_bins=st.integers(1, 30))
def test_ece_is_in_the_unit_interval_and_the_counts_add_up(seed, n_bins):
    z, labels = _predictions(seed, n=50)
    p = lb.softmax(z)
    curve = lb.reliability_curve(p, labels, n_bins=n_bins)
    assert curve.counts.sum() == 50
    assert 0.0 <= lb.expected_calibration_error(p, labels, n_bins=n_bins) <= 1.0


@pytest.mark.parametrize("seed, scale", [(0, 3.0), (1, 8.0), (2, 0.5), (3, 20.0)])
def test_fit_temperature_matches_scipys_bounded_minimiser(seed, scale):
    z, labels = _predictions(seed, n=300, k=6, scale=scale)
    expected = minimize_scalar(lambda t: float(lb.cross_entropy(z / t, labels, from_logits=True)),
                               bounds=(1e-3, 1e3), method="bounded", options={"xatol": 1e-12}).x
    assert lb.fit_temperature(z, labels) == pytest.approx(expected, rel=1e-6)


def test_fit_temperature_is_a_stationary_point_to_rounding():
    z, labels = _predictions(5, n=300, k=6)
    t = lb.fit_temperature(z, labels)
    h = 1e-4 * t
    slope = (lb.cross_entropy(z / (t + h), labels, from_logits=True)
             - lb.cross_entropy(z / (t - h), labels, from_logits=True)) / (2 * h)
    assert abs(slope) < 1e-8


def test_fit_temperature_with_soft_targets_matches_scipy():
    z, labels = _predictions(6, n=200, k=4)
    soft = 0.8 * lb.one_hot(labels, num_classes=4) + 0.05
    expected = minimize_scalar(lambda t: float(lb.cross_entropy(z / t, soft, from_logits=True)),
                               bounds=(1e-3, 1e3), method="bounded", options={"xatol": 1e-12}).x
    assert lb.fit_temperature(z, soft) == pytest.approx(expected, rel=1e-6)


def test_temperature_scaling_recovers_the_temperature_that_generated_the_labels():
    # Labels drawn from softmax(z / 3): the model's logits z are overconfident by T = 3.
    rng = np.random.default_rng(7)
    z = rng.standard_normal((20_000, 5)) * 6
    p_true = lb.softmax(z / 3)
    labels = (rng.uniform(size=(len(z), 1)) > np.cumsum(p_true, axis=1)).sum(axis=1)
    t = lb.fit_temperature(z, labels)
    assert t == pytest.approx(3.0, rel=0.05)
    before = lb.expected_calibration_error(lb.softmax(z), labels)
    after = lb.expected_calibration_error(lb.softmax(z / t), labels)
    assert after < before / 5


@pytest.mark.parametrize("call, error, message", [
    (lambda: lb.expected_calibration_error([[0.9, 0.1]], [0], n_bins=0), ValueError,
     r"n_bins must be at least 1, got 0; 15 equal-width bins is the usual choice"),
    (lambda: lb.reliability_curve([[0.9, 0.1]], [0], n_bins=2.5), TypeError, r"n_bins must be a whole number, got 2\.5"),
    (lambda: lb.expected_calibration_error([[2.0, 1.0]], [0]), ValueError, r"y_pred must lie in \[0, 1\].*lossbook\.softmax"),
    (lambda: lb.expected_calibration_error([[0.9, 0.1]], [2]), ValueError, r"class index 2 but there are only 2"),
    (lambda: lb.fit_temperature([[3.0, 0.0], [0.0, 3.0]], [0, 1]), ValueError,
     r"every example is already classified correctly.*no finite temperature"),
    (lambda: lb.fit_temperature([[3.0, 0.0], [0.0, 3.0]], [1, 0]), ValueError, r"no better than uniform guessing"),
    (lambda: lb.fit_temperature([[0.0, 0.0], [1.0, 1.0]], [1, 0]), ValueError,
     r"every example's logits are all equal, so the probabilities are uniform at every temperature"),
    (lambda: lb.fit_temperature([[np.inf, 0.0]], [0]), ValueError, r"logits must be finite, got inf at index \(0, 0\)"),
])
def test_bad_input_names_the_value_and_the_fix(call, error, message):
    with pytest.raises(error, match=message):
        call()


@settings(max_examples=60, deadline=None)
@given(exponent=st.integers(-300, 300))
def test_fit_temperature_scales_with_the_logits_at_any_magnitude(exponent):
    """T for c z is c times T for z: the search must not stop short for logits of 1e+-300."""
    z = np.array([[4.0, 0.0, 0.0], [4.0, 0.0, 0.0], [0.0, 4.0, 0.0]])
    c = 10.0 ** exponent
    assert lb.fit_temperature(c * z, [0, 1, 1]) == pytest.approx(c * lb.fit_temperature(z, [0, 1, 1]), rel=1e-12)


def test_a_confidence_on_a_bin_edge_falls_in_the_bin_it_closes():
    """Bin m of M is ((m - 1)/M, m/M]: a confidence of exactly m/M belongs to bin m, for every M."""
    for bins in range(1, 61):
        for m in range(1, bins + 1):
            c = m / bins
            if c < 0.5:
                continue  # with two classes the confidence is at least 1/2
            counts = lb.reliability_curve([[c, 1.0 - c]], [0], n_bins=bins).counts
            assert np.flatnonzero(counts).tolist() == [m - 1], (bins, m)
