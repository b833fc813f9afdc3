"""Every formula stated in the chapter Rare classes and overconfident models, checked numerically
against a reference that does not share lossbook's code: mpmath at 50 significant digits, scipy's
minimisers, direct loops written here, or values worked out by hand.

Each test is named after the label of the equation it checks (``eq-imb-focal`` is checked by
``test_eq_imb_focal_...``); tests/test_equation_coverage.py makes sure no labelled equation is left
without one.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import scipy.optimize
import scipy.special
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

import lossbook as lb

DIGITS = 50
SETTINGS = settings(max_examples=40, deadline=None)


def mp_log_softmax(row, k: int) -> mpmath.mpf:
    z = [mpmath.mpf(float(v)) for v in row]
    return z[k] - mpmath.log(mpmath.fsum(mpmath.exp(v) for v in z))


def mp_sigmoid(z: float) -> mpmath.mpf:
    return 1 / (1 + mpmath.exp(-mpmath.mpf(z)))


@st.composite
def logits_labels(draw, max_classes: int = 5):
    k = draw(st.integers(2, max_classes))
    n = draw(st.integers(1, 6))
    rows = draw(st.lists(st.lists(st.floats(-20, 20), min_size=k, max_size=k), min_size=n, max_size=n))
    labels = draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n))
    return np.array(rows), np.array(labels)


# --- class weights ------------------------------------------------------------------------------


def test_eq_imb_inverse_frequency_worked_for_the_chapters_counts():
    counts = np.array([1900, 100])
    weights = counts.sum() / (len(counts) * counts)
    np.testing.assert_allclose(weights, [2000 / 3800, 10.0], rtol=1e-15)


@SETTINGS
@given(st.lists(st.integers(1, 10_000), min_size=2, max_size=8))
def test_eq_imb_inverse_frequency_gives_every_class_the_same_total_weight(counts):
    counts = np.array(counts)
    weights = counts.sum() / (len(counts) * counts)
    np.testing.assert_allclose(counts * weights, counts.sum() / len(counts), rtol=1e-12)


@SETTINGS
@given(logits_labels(), st.data())
def test_eq_imb_weighted_mean_is_lossbooks_mean_with_weights(pair, data):
    logits, labels = pair
    k = logits.shape[1]
    weights = np.array(data.draw(st.lists(st.floats(0.1, 10.0), min_size=k, max_size=k)))
    with mpmath.workdps(DIGITS):
        numerator = mpmath.fsum(-mpmath.mpf(weights[c]) * mp_log_softmax(row, c) for row, c in zip(logits, labels))
        denominator = mpmath.fsum(mpmath.mpf(weights[c]) for c in labels)
        expected = float(numerator / denominator)
    got = lb.cross_entropy(logits, labels, from_logits=True, weight=weights)
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-300)


def test_eq_imb_weighted_mean_with_inverse_frequency_weights_is_the_mean_of_class_means():
    rng = np.random.default_rng(0)
    labels = np.repeat([0, 1, 2], [50, 30, 5])
    logits = rng.normal(0.0, 2.0, size=(len(labels), 3))
    counts = np.bincount(labels)
    weights = len(labels) / (3 * counts)
    losses = [float(-mp_log_softmax(row, c)) for row, c in zip(logits, labels)]
    class_means = [np.mean([l for l, c in zip(losses, labels) if c == k]) for k in range(3)]
    got = lb.cross_entropy(logits, labels, from_logits=True, weight=weights)
    assert got == pytest.approx(np.mean(class_means), rel=1e-12)


# --- pos_weight ---------------------------------------------------------------------------------


@SETTINGS
@given(st.lists(st.tuples(st.floats(-30, 30), st.sampled_from([0.0, 1.0])), min_size=1, max_size=8),
       st.floats(0.0, 50.0))
def test_eq_imb_pos_weight_matches_the_formula_in_mpmath(pairs, w):
    z = np.array([p[0] for p in pairs])
    y = np.array([p[1] for p in pairs])
    with mpmath.workdps(DIGITS):
        expected = [float(-(w * yi * mpmath.log(mp_sigmoid(zi)) + (1 - yi) * mpmath.log(1 - mp_sigmoid(zi))))
                    for zi, yi in zip(z, y)]
    got = lb.binary_cross_entropy(z, y, from_logits=True, pos_weight=w, reduction="none")
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("rate, w", [(0.05, 19.0), (0.3, 2.0), (0.5, 0.5)])
def test_eq_imb_pos_weight_adds_ln_w_to_the_best_constant_logit(rate, w):
    # The chapter: weighting positives by w multiplies the best odds by w. For a model with
    # only a bias b, the mean loss over a data set with positive rate `rate` is minimised by scipy.
    def mean_loss(b: float) -> float:
        return -(w * rate * np.log(scipy.special.expit(b)) + (1 - rate) * np.log(scipy.special.expit(-b)))

    best = scipy.optimize.minimize_scalar(mean_loss, bounds=(-20, 20), method="bounded",
                                          options={"xatol": 1e-11}).x
    plain = np.log(rate / (1 - rate))
    assert best == pytest.approx(plain + np.log(w), abs=1e-7)


# --- focal loss ---------------------------------------------------------------------------------


def mp_focal(p_t: mpmath.mpf, gamma: float, alpha_t: float) -> mpmath.mpf:
    return -mpmath.mpf(alpha_t) * (1 - p_t) ** mpmath.mpf(gamma) * mpmath.log(p_t)


@SETTINGS
@given(logits_labels(), st.floats(0.0, 5.0), st.data())
def test_eq_imb_focal_softmax_form_matches_mpmath(pair, gamma, data):
    logits, labels = pair
    k = logits.shape[1]
    alpha = np.array(data.draw(st.lists(st.floats(0.0, 1.0), min_size=k, max_size=k)))
    with mpmath.workdps(DIGITS):
        expected = [float(mp_focal(mpmath.exp(mp_log_softmax(row, c)), gamma, alpha[c]))
                    for row, c in zip(logits, labels)]
    got = lb.focal_loss(logits, labels, gamma=gamma, alpha=alpha, reduction="none")
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-300)


@SETTINGS
@given(st.floats(-30, 30), st.sampled_from([0.0, 1.0]), st.floats(0.0, 5.0), st.floats(0.0, 1.0))
def test_eq_imb_focal_sigmoid_form_weighs_positives_by_alpha_and_negatives_by_one_minus_alpha(z, y, gamma, alpha):
    with mpmath.workdps(DIGITS):
        p = mp_sigmoid(z)
        p_t, alpha_t = (p, alpha) if y == 1 else (1 - p, 1 - alpha)
        expected = float(mp_focal(p_t, gamma, alpha_t))
    got = lb.sigmoid_focal_loss(np.array([z]), np.array([y]), gamma=gamma, alpha=alpha, reduction="none")[0]
    assert got == pytest.approx(expected, rel=1e-10, abs=1e-300)


def test_eq_imb_focal_hand_worked_discount_factors():
    # gamma = 2 keeps (1 - p_t)^2 of cross-entropy: 1/100 at p_t = 0.9, 1/4 at 0.5, 0.81 at 0.1.
    for p_t, keep in ((0.9, 0.01), (0.5, 0.25), (0.1, 0.81)):
        z = np.log(p_t / (1 - p_t))
        focal = lb.sigmoid_focal_loss(np.array([z]), np.array([1.0]), gamma=2.0, alpha=None)
        assert focal == pytest.approx(-keep * np.log(p_t), rel=1e-12)


# --- label smoothing ----------------------------------------------------------------------------


@SETTINGS
@given(logits_labels(), st.floats(0.0, 1.0))
def test_eq_imb_smooth_target_is_the_target_lossbook_smooths_to(pair, epsilon):
    logits, labels = pair
    k = logits.shape[1]
    with mpmath.workdps(DIGITS):
        eps = mpmath.mpf(epsilon)
        total = mpmath.mpf(0)
        for row, c in zip(logits, labels):
            q = [(1 - eps) * (1 if j == c else 0) + eps / k for j in range(k)]
            total += -mpmath.fsum(q[j] * mp_log_softmax(row, j) for j in range(k))
        expected = float(total / len(labels))
    got = lb.cross_entropy(logits, labels, from_logits=True, label_smoothing=epsilon)
    assert got == pytest.approx(expected, rel=1e-11)


@SETTINGS
@given(st.integers(2, 1000), st.floats(0.001, 0.999))
def test_eq_imb_smooth_gap_zeroes_the_derivative_of_the_loss_in_mpmath(k, epsilon):
    with mpmath.workdps(DIGITS):
        eps = mpmath.mpf(epsilon)
        q_c = 1 - eps + eps / k

        def loss(g):
            return mpmath.log(mpmath.exp(g) + k - 1) - q_c * g

        closed = mpmath.log((1 - eps + eps / k) / (eps / k))
        assert abs(closed - mpmath.log(1 + k * (1 - eps) / eps)) < mpmath.mpf(10) ** -40
        assert abs(mpmath.diff(loss, closed)) < mpmath.mpf(10) ** -30
        assert mpmath.diff(loss, closed, 2) > 0  # a minimum, not a maximum


@pytest.mark.parametrize("k, epsilon", [(10, 0.1), (3, 0.2), (100, 0.01), (2, 0.5)])
def test_eq_imb_smooth_gap_is_where_scipy_minimises_the_smoothed_cross_entropy(k, epsilon):
    def loss(gap: float) -> float:
        z = np.zeros(k)
        z[0] = gap
        log_p = z - scipy.special.logsumexp(z)
        q = np.full(k, epsilon / k)
        q[0] += 1 - epsilon
        return float(-(q @ log_p))

    best = scipy.optimize.minimize_scalar(loss, bounds=(-5, 40), method="bounded", options={"xatol": 1e-11}).x
    assert best == pytest.approx(np.log((1 - epsilon + epsilon / k) / (epsilon / k)), abs=1e-6)


def test_eq_imb_smooth_gap_ten_classes_worked_by_hand():
    # K = 10, epsilon = 0.1: (0.9 + 0.01) / 0.01 = 91.
    assert np.log((1 - 0.1 + 0.1 / 10) / (0.1 / 10)) == pytest.approx(np.log(91), rel=1e-14)


# --- calibration --------------------------------------------------------------------------------


@SETTINGS
@given(st.floats(0.01, 0.99))
def test_eq_imb_expected_loss_is_smallest_at_the_true_probability(pi):
    def expected(q: float) -> float:
        return -pi * np.log(q) - (1 - pi) * np.log1p(-q)

    best = scipy.optimize.minimize_scalar(expected, bounds=(1e-9, 1 - 1e-9), method="bounded",
                                          options={"xatol": 1e-12}).x
    assert best == pytest.approx(pi, abs=1e-6)
    # ... and equals entropy plus KL divergence (scipy.stats), zero only at q = pi.
    for q in (0.1, 0.5, 0.9):
        decomposed = scipy.stats.entropy([pi, 1 - pi]) + scipy.stats.entropy([pi, 1 - pi], [q, 1 - q])
        assert expected(q) == pytest.approx(decomposed, rel=1e-12)


@SETTINGS
@given(st.floats(0.01, 0.99), st.floats(0.001, 0.999))
def test_eq_imb_expected_loss_is_binary_cross_entropy_with_the_soft_label(pi, q):
    with mpmath.workdps(DIGITS):
        p_, q_ = mpmath.mpf(pi), mpmath.mpf(q)
        expected = float(-p_ * mpmath.log(q_) - (1 - p_) * mpmath.log(1 - q_))
    assert lb.binary_cross_entropy(np.array([q]), np.array([pi])) == pytest.approx(expected, rel=1e-12)


def test_eq_imb_expected_loss_absolute_error_is_not_proper():
    # The chapter's counterexample: the expected absolute error pi (1 - q) + (1 - pi) q is linear
    # in q, so for pi = 0.8 it prefers announcing 1 to announcing the truth.
    pi = 0.8
    assert pi * (1 - 1.0) + (1 - pi) * 1.0 < pi * (1 - pi) + (1 - pi) * pi


def ece_by_loops(probabilities: np.ndarray, labels: np.ndarray, n_bins: int) -> float:
    """Equation (eq-imb-ece) with explicit bins ((m-1)/M, m/M], written independently."""
    n = len(labels)
    total = 0.0
    for m in range(1, n_bins + 1):
        members = [i for i in range(n) if (m - 1) / n_bins < probabilities[i].max() <= m / n_bins]
        if members:
            accuracy = np.mean([probabilities[i].argmax() == labels[i] for i in members])
            confidence = np.mean([probabilities[i].max() for i in members])
            total += len(members) / n * abs(accuracy - confidence)
    return total


def test_eq_imb_ece_worked_by_hand():
    # Two bins of M = 2 hold confidences (0.5, 1]: all four rows land in the top bin.
    # Confidence mean (0.9 + 0.9 + 0.6 + 0.6) / 4 = 0.75, accuracy 3/4: ECE = 0.
    # With M = 10: bin (0.8, 0.9] holds the 0.9s (accuracy 1/2), bin (0.5, 0.6] the 0.6s
    # (accuracy 1): ECE = 1/2 |0.5 - 0.9| + 1/2 |1 - 0.6| = 0.4.
    probs = np.array([[0.9, 0.1], [0.9, 0.1], [0.4, 0.6], [0.4, 0.6]])
    labels = np.array([0, 1, 1, 1])
    assert lb.expected_calibration_error(probs, labels, n_bins=2) == pytest.approx(0.0, abs=1e-15)
    assert lb.expected_calibration_error(probs, labels, n_bins=10) == pytest.approx(0.4, rel=1e-12)


@SETTINGS
@given(st.integers(1, 200), st.integers(1, 20), st.integers(0, 2**32 - 1))
def test_eq_imb_ece_matches_a_direct_loop(n, n_bins, seed):
    rng = np.random.default_rng(seed)
    probabilities = lb.softmax(rng.normal(0.0, 3.0, size=(n, 4)))
    labels = rng.integers(0, 4, size=n)
    got = lb.expected_calibration_error(probabilities, labels, n_bins=n_bins)
    assert got == pytest.approx(ece_by_loops(probabilities, labels, n_bins), rel=1e-9, abs=1e-15)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_eq_imb_temperature_is_scipys_bounded_minimiser_and_keeps_every_prediction(seed):
    rng = np.random.default_rng(seed)
    logits = rng.normal(0.0, 4.0, size=(300, 5))
    labels = np.where(rng.random(300) < 0.6, logits.argmax(axis=1), rng.integers(0, 5, size=300))

    def mean_nll(t: float) -> float:
        scaled = logits / t
        return float(np.mean(scipy.special.logsumexp(scaled, axis=1) - scaled[np.arange(300), labels]))

    reference = scipy.optimize.minimize_scalar(mean_nll, bounds=(0.01, 100.0), method="bounded",
                                               options={"xatol": 1e-12}).x
    temperature = lb.fit_temperature(logits, labels)
    assert temperature == pytest.approx(reference, rel=1e-5)
    assert np.array_equal((logits / temperature).argmax(axis=1), logits.argmax(axis=1))


# --- the Brier score: squared error on the probabilities is strictly proper ------------------------


@st.composite
def distribution_and_forecast(draw):
    k = draw(st.integers(2, 5))
    weights = draw(st.lists(st.floats(0.01, 1.0), min_size=k, max_size=k))
    guesses = draw(st.lists(st.floats(0.01, 1.0), min_size=k, max_size=k))
    return np.array(weights) / sum(weights), np.array(guesses) / sum(guesses)


@SETTINGS
@given(distribution_and_forecast())
def test_eq_imb_brier_decomposition_against_mpmath(pair):
    pi, q = pair
    with mpmath.workdps(DIGITS):
        # Normalised at 50 digits: the identity needs the pi_y to sum to exactly 1.
        pi_mp = [mpmath.mpf(float(v)) / mpmath.fsum(mpmath.mpf(float(w)) for w in pi) for v in pi]
        q_mp = [mpmath.mpf(float(v)) for v in q]
        k = len(pi_mp)
        # The left side from its definition: the score of every outcome y, weighted by pi_y.
        expected = mpmath.fsum(pi_mp[y] * mpmath.fsum((q_mp[j] - (1 if j == y else 0)) ** 2 for j in range(k))
                               for y in range(k))
        right = (mpmath.fsum((a - b) ** 2 for a, b in zip(q_mp, pi_mp))
                 + mpmath.fsum(a * (1 - a) for a in pi_mp))
        assert float(abs(expected - right)) < 1e-40


@pytest.mark.parametrize("pi", [[0.6, 0.3, 0.1], [0.25, 0.25, 0.25, 0.25], [0.05, 0.9, 0.05], [0.999, 0.001]])
def test_eq_imb_brier_is_strictly_proper_numerically(pi):
    pi = np.array(pi)
    k = len(pi)

    def expected_score(z):
        q = scipy.special.softmax(z)
        return sum(pi[y] * np.sum((q - np.eye(k)[y]) ** 2) for y in range(k))

    # From several starts, Nelder-Mead (no gradients) ends where the forecast is pi ...
    for seed in range(3):
        start = np.random.default_rng(seed).normal(0, 3, size=k)
        found = scipy.optimize.minimize(expected_score, start, method="Nelder-Mead",
                                        options={"xatol": 1e-10, "fatol": 1e-15, "maxiter": 20_000})
        np.testing.assert_allclose(scipy.special.softmax(found.x), pi, atol=1e-4)
    # ... and every other forecast scores strictly worse than pi itself.
    honest = expected_score(np.log(pi))
    rng = np.random.default_rng(7)
    for _ in range(200):
        other = rng.dirichlet(np.ones(k))
        assert expected_score(np.log(other)) > honest


def test_eq_imb_brier_is_lossbooks_softmax_squared_error_with_one_hot_targets():
    rng = np.random.default_rng(3)
    Z, labels = rng.normal(0, 3, size=(50, 4)), rng.integers(0, 4, size=50)
    brier = np.mean([np.sum((scipy.special.softmax(z) - np.eye(4)[c]) ** 2) for z, c in zip(Z, labels)])
    assert lb.softmax_squared_error(Z, labels) == pytest.approx(brier, rel=1e-13)
