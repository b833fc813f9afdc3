"""Every formula stated in the chapters Introduction, One-hot encoding and Cross-entropy from
information theory, checked numerically against a reference that does not share lossbook's code:
mpmath at 50 significant digits, scipy, finite differences, or values worked out by hand.

Each test is named after the label of the equation it checks (``eq-ce-kl`` is checked by
``test_eq_ce_kl_...``); tests/test_equation_coverage.py makes sure no labelled equation is left
without one.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import scipy.optimize
import scipy.spatial.distance
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

import lossbook as lb

DIGITS = 50


# --- independent references -------------------------------------------------------------------


def mp_log(x: float, base: float | None = None) -> float:
    """log(x) in the given base (natural if None), computed with mpmath at DIGITS digits."""
    with mpmath.workdps(DIGITS):
        value = mpmath.log(mpmath.mpf(x))
        if base is not None:
            value /= mpmath.log(mpmath.mpf(base))
        return float(value)


def mp_cross_entropy(q, p, base: float | None = None) -> float:
    """-sum_k p_k log q_k at DIGITS digits, with 0 log q = 0 and inf where q = 0 < p."""
    with mpmath.workdps(DIGITS):
        total = mpmath.mpf(0)
        for pk, qk in zip(p, q):
            if pk == 0:
                continue
            if qk == 0:
                return float("inf")
            total -= mpmath.mpf(pk) * mpmath.log(mpmath.mpf(qk))
        if base is not None:
            total /= mpmath.log(mpmath.mpf(base))
        return float(total)


def mp_softmax(z) -> list[float]:
    with mpmath.workdps(DIGITS):
        exps = [mpmath.exp(mpmath.mpf(v)) for v in z]
        total = mpmath.fsum(exps)
        return [float(e / total) for e in exps]


@st.composite
def distributions(draw, size: int | None = None, min_size: int = 2, max_size: int = 6):
    """A probability vector whose entries are bounded away from 0 (each above 1e-4)."""
    k = size if size is not None else draw(st.integers(min_size, max_size))
    weights = np.array(draw(st.lists(st.floats(1e-2, 10.0), min_size=k, max_size=k)))
    return weights / weights.sum()


@st.composite
def distribution_pairs(draw):
    k = draw(st.integers(2, 6))
    return draw(distributions(size=k)), draw(distributions(size=k))


SETTINGS = settings(max_examples=60, deadline=None)


# --- Introduction -----------------------------------------------------------------------------


def test_eq_intro_softmax_worked_example_against_mpmath():
    scores = [2.0, 1.0, -0.5]
    np.testing.assert_allclose(lb.softmax(np.array(scores)), mp_softmax(scores), rtol=1e-14)


@SETTINGS
@given(st.lists(st.floats(-50, 50), min_size=1, max_size=8))
def test_eq_intro_softmax_is_positive_sums_to_one_and_keeps_the_order(scores):
    probs = lb.softmax(np.array(scores))
    np.testing.assert_allclose(probs, mp_softmax(scores), rtol=1e-12, atol=1e-300)
    assert np.all(probs > 0)
    assert abs(probs.sum() - 1) < 1e-12
    for i, zi in enumerate(scores):
        for j, zj in enumerate(scores):
            if zi > zj:
                assert probs[i] >= probs[j]


@pytest.mark.parametrize("p", [1.0, 0.9, 0.5, 0.1, 0.01, 0.001])
def test_eq_intro_nll_is_minus_log_of_the_true_class_probability(p):
    pred = np.array([[p, 1 - p]])
    assert lb.cross_entropy(pred, np.array([0])) == pytest.approx(-mp_log(p), rel=1e-13, abs=1e-15)


def test_eq_intro_nll_slope_is_minus_one_over_p():
    """The chapter's slope of the loss at p = 0.01, against mpmath's derivative of -ln p."""
    def loss(x):
        return lb.cross_entropy(np.array([[x[0], 1 - x[0]]]), np.array([0]))

    with mpmath.workdps(DIGITS):
        reference = float(mpmath.diff(lambda t: -mpmath.log(t), mpmath.mpf("0.01")))
    assert reference == pytest.approx(-100.0, rel=1e-12)
    assert lb.numerical_gradient(loss, np.array([0.01]))[0] == pytest.approx(reference, rel=1e-6)


@pytest.mark.parametrize("k", [2, 3, 10])
def test_eq_intro_nll_of_equal_scores_is_ln_k(k):
    uniform = lb.softmax(np.zeros(k))
    for c in range(k):
        assert lb.cross_entropy(uniform[None, :], np.array([c])) == pytest.approx(-mp_log(1 / k), rel=1e-13)


@SETTINGS
@given(st.floats(1e-12, 1.0))
def test_eq_intro_nll_tenfold_fall_adds_ln_10(p):
    def loss(x):
        return lb.cross_entropy(np.array([[x, 1 - x]]), np.array([0]))

    assert loss(p / 10) - loss(p) == pytest.approx(mp_log(10), rel=1e-9)


@SETTINGS
@given(st.floats(0.5, 1.0, exclude_min=True))
def test_eq_intro_nll_of_a_correct_two_class_prediction_is_below_ln_2(p):
    assert lb.cross_entropy(np.array([[p, 1 - p]]), np.array([0])) < -mp_log(0.5)


@SETTINGS
@given(distributions(), st.data())
def test_eq_intro_absolute_error_is_twice_the_missing_probability(p, data):
    c = data.draw(st.integers(0, len(p) - 1))
    target = lb.one_hot(np.array([c]), num_classes=len(p))[0]
    l1 = scipy.spatial.distance.cityblock(p, target)
    assert l1 == pytest.approx(2 * (1 - p[c]), abs=1e-12)
    assert l1 <= 2


def test_eq_intro_absolute_error_worked_values_and_slope():
    for p, expected in ((0.01, 1.98), (0.001, 1.998)):
        assert scipy.spatial.distance.cityblock([p, 1 - p], [1, 0]) == pytest.approx(expected, abs=1e-12)
    # Central difference by hand of 2 (1 - p): the slope is -2 everywhere.
    h = 1e-4
    slope = (2 * (1 - (0.01 + h)) - 2 * (1 - (0.01 - h))) / (2 * h)
    assert slope == pytest.approx(-2.0, rel=1e-9)


# --- One-hot encoding -------------------------------------------------------------------------


def test_eq_onehot_definition_places_a_single_one():
    labels = np.array([0, 3, 1, 0, 4, 2])    # tiger, cheetah, lion, tiger, jaguar, leopard
    expected = np.array([
        [1, 0, 0, 0, 0],
        [0, 0, 0, 1, 0],
        [0, 1, 0, 0, 0],
        [1, 0, 0, 0, 0],
        [0, 0, 0, 0, 1],
        [0, 0, 1, 0, 0],
    ], dtype=float)
    encoded = lb.one_hot(labels, num_classes=5)
    np.testing.assert_array_equal(encoded, expected)
    np.testing.assert_array_equal(lb.from_one_hot(expected), labels)


def test_eq_onehot_distribution_rows_sum_to_one_with_zero_entropy():
    encoded = lb.one_hot(np.array([0, 3, 1, 0, 4, 2]), num_classes=5)
    assert np.all(encoded >= 0)
    np.testing.assert_array_equal(encoded.sum(axis=1), 1.0)
    for row in encoded:
        assert scipy.stats.entropy(row) == 0.0
    np.testing.assert_array_equal(lb.entropy(encoded), 0.0)


@pytest.mark.parametrize(("codes", "expected"), [([1.0, 3.0] * 50, 2.0), ([1.0, 3.0, 3.0], 7 / 3)])
def test_eq_onehot_ordinal_mean_minimises_squared_error(codes, expected):
    codes = np.array(codes)
    result = scipy.optimize.minimize_scalar(lambda a: np.mean((a - codes) ** 2))
    assert result.x == pytest.approx(expected, abs=1e-6)


@SETTINGS
@given(st.lists(st.floats(-100, 100), min_size=1, max_size=20))
def test_eq_onehot_ordinal_mean_derivative_vanishes_at_the_mean(codes):
    codes = np.array(codes)
    mean = codes.mean()

    def mse(a):
        return np.mean((a - codes) ** 2)

    # The derivative (2/N) sum (a - t) is zero at the mean and the function is a parabola in a.
    assert np.mean(2 * (mean - codes)) == pytest.approx(0.0, abs=1e-9)
    assert mse(mean) <= mse(mean + 0.5) and mse(mean) <= mse(mean - 0.5)


@pytest.mark.parametrize("k", [2, 3, 5, 10])
def test_eq_onehot_distance_is_sqrt_two(k):
    distances = scipy.spatial.distance.pdist(lb.one_hot(np.arange(k), num_classes=k))
    with mpmath.workdps(DIGITS):
        root_two = float(mpmath.sqrt(2))
    np.testing.assert_allclose(distances, root_two, rtol=1e-15)


def test_eq_onehot_sparse_dense_worked_example():
    predictions = np.array([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]])
    sparse = np.array([0, 1, 1])
    dense = np.array([[1.0, 0, 0], [0, 1, 0], [0, 1, 0]])
    # Worked by hand: the mean of -ln 0.7, -ln 0.5 and -ln 0.9.
    expected = -(mp_log(0.7) + mp_log(0.5) + mp_log(0.9)) / 3
    assert expected == pytest.approx(0.38506088005216804, rel=1e-15)
    assert lb.cross_entropy(predictions, sparse) == pytest.approx(expected, rel=1e-13)
    assert lb.cross_entropy(predictions, dense) == pytest.approx(expected, rel=1e-13)


@SETTINGS
@given(st.integers(2, 6).flatmap(lambda k: st.tuples(
    st.lists(distributions(size=k), min_size=1, max_size=5), st.data())))
def test_eq_onehot_sparse_dense_give_the_same_cross_entropy(args):
    rows, data = args
    predictions = np.array(rows)
    k = predictions.shape[1]
    sparse = np.array(data.draw(st.lists(st.integers(0, k - 1), min_size=len(rows), max_size=len(rows))))
    dense = lb.one_hot(sparse, num_classes=k)
    reference = [mp_cross_entropy(q, np.eye(k)[c]) for q, c in zip(predictions, sparse)]
    np.testing.assert_allclose(lb.cross_entropy(predictions, sparse, reduction="none"), reference, rtol=1e-12)
    np.testing.assert_allclose(lb.cross_entropy(predictions, dense, reduction="none"), reference, rtol=1e-12)


def test_eq_onehot_sparse_dense_soft_labels_use_the_full_sum():
    """The label-smoothing exercise: dense soft targets against the sum worked with mpmath."""
    predictions = np.array([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]])
    soft = 0.9 * np.array([[1.0, 0, 0], [0, 1, 0], [0, 1, 0]]) + 0.1 / 3
    reference = np.mean([mp_cross_entropy(q, t) for q, t in zip(predictions, soft)])
    assert lb.cross_entropy(predictions, soft) == pytest.approx(reference, rel=1e-13)


def test_eq_onehot_pick_elementwise_product_selects_the_true_class():
    predictions = np.array([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]])
    dense = lb.one_hot(np.array([0, 1, 1]), num_classes=3)
    picked = (predictions * dense).sum(axis=1)
    np.testing.assert_array_equal(picked, [0.7, 0.5, 0.9])
    # The matrix product pairs every example with every target; only its diagonal is wanted.
    pairs = predictions @ dense.T
    assert pairs.shape == (3, 3)
    np.testing.assert_array_equal(np.diag(pairs), [0.7, 0.5, 0.9])
    assert pairs[0, 1] == pytest.approx(0.1)     # example 0's probability for example 1's class
    per_example = lb.cross_entropy(predictions, dense, reduction="none")
    np.testing.assert_allclose(per_example, [-mp_log(0.7), -mp_log(0.5), -mp_log(0.9)], rtol=1e-13)


# --- Cross-entropy from information theory ----------------------------------------------------


@pytest.mark.parametrize(("p", "bits"), [(0.5, 1.0), (1 / 8, 3.0), (1.0, 0.0), (1 / 1024, 10.0)])
def test_eq_ce_surprisal_in_bits_worked_values(p, bits):
    loss = lb.cross_entropy(np.array([[p, 1 - p]]), np.array([0]), base=2)
    assert loss == pytest.approx(bits, abs=1e-14)


@SETTINGS
@given(st.floats(1e-6, 1.0), st.floats(1e-6, 1.0))
def test_eq_ce_surprisal_adds_over_independent_events(p1, p2):
    with mpmath.workdps(DIGITS):
        joint = -mpmath.log(mpmath.mpf(p1) * mpmath.mpf(p2))
        separate = -mpmath.log(mpmath.mpf(p1)) - mpmath.log(mpmath.mpf(p2))
        assert mpmath.almosteq(joint, separate, rel_eps=mpmath.mpf(10) ** -40)
    # Halving the probability of the truth adds exactly one bit to the loss.
    def bits(p):
        return lb.cross_entropy(np.array([[p, 1 - p]]), np.array([0]), base=2)

    assert bits(p1 / 2) - bits(p1) == pytest.approx(1.0, abs=1e-9)


def test_eq_ce_entropy_worked_example_is_one_and_a_half_bits():
    p = np.array([0.5, 0.25, 0.25])
    assert scipy.stats.entropy(p, base=2) == pytest.approx(1.5, abs=1e-15)
    assert lb.entropy(p, base=2) == pytest.approx(1.5, abs=1e-15)


@SETTINGS
@given(distributions(min_size=1, max_size=8))
def test_eq_ce_entropy_matches_scipy(p):
    assert lb.entropy(p) == pytest.approx(scipy.stats.entropy(p), rel=1e-12, abs=1e-15)
    assert lb.entropy(p, base=2) == pytest.approx(scipy.stats.entropy(p, base=2), rel=1e-12, abs=1e-15)
    assert lb.entropy(p) <= mp_log(len(p)) + 1e-12     # the uniform distribution has the most


def test_eq_ce_entropy_treats_zero_log_zero_as_zero():
    assert lb.entropy(np.array([0.5, 0.5, 0.0]), base=2) == pytest.approx(1.0, abs=1e-15)


def test_eq_ce_cross_entropy_worked_example_is_log2_of_3():
    p = np.array([[0.5, 0.25, 0.25]])
    q = np.full((1, 3), 1 / 3)
    assert lb.cross_entropy(q, p, base=2) == pytest.approx(mp_log(3, base=2), rel=1e-14)


@SETTINGS
@given(distribution_pairs())
def test_eq_ce_cross_entropy_matches_mpmath(pair):
    p, q = pair
    for base in (None, 2):
        assert lb.cross_entropy(q[None, :], p[None, :], base=base) == pytest.approx(
            mp_cross_entropy(q, p, base=base), rel=1e-12)


@SETTINGS
@given(distribution_pairs())
def test_eq_ce_kl_matches_scipy_and_is_not_symmetric_in_general(pair):
    p, q = pair
    assert lb.kl_divergence(p, q) == pytest.approx(scipy.stats.entropy(p, q), rel=1e-9, abs=1e-12)
    assert lb.kl_divergence(p, q, base=2) == pytest.approx(scipy.stats.entropy(p, q, base=2), rel=1e-9, abs=1e-12)
    assert lb.kl_divergence(p, q) >= -1e-15          # Gibbs' inequality
    assert lb.kl_divergence(p, p) == pytest.approx(0.0, abs=1e-15)


def test_eq_ce_kl_asymmetry_and_infinity_worked_by_hand():
    p = np.array([0.5, 0.5])
    q = np.array([0.9, 0.1])
    forward = 0.5 * mp_log(0.5 / 0.9) + 0.5 * mp_log(0.5 / 0.1)
    backward = 0.9 * mp_log(0.9 / 0.5) + 0.1 * mp_log(0.1 / 0.5)
    assert lb.kl_divergence(p, q) == pytest.approx(forward, rel=1e-13)
    assert lb.kl_divergence(q, p) == pytest.approx(backward, rel=1e-13)
    assert forward != pytest.approx(backward, rel=1e-3)
    assert lb.kl_divergence(np.array([0.5, 0.5]), np.array([1.0, 0.0])) == np.inf
    assert lb.kl_divergence(np.array([1.0, 0.0]), np.array([0.5, 0.5])) == pytest.approx(mp_log(2), rel=1e-14)


@SETTINGS
@given(distribution_pairs())
def test_eq_ce_decomposition_cross_entropy_is_entropy_plus_kl(pair):
    p, q = pair
    reference = scipy.stats.entropy(p) + scipy.stats.entropy(p, q)
    assert mp_cross_entropy(q, p) == pytest.approx(reference, rel=1e-9)
    assert lb.cross_entropy(q[None, :], p[None, :]) == pytest.approx(
        lb.entropy(p) + lb.kl_divergence(p, q), rel=1e-12)
    assert lb.cross_entropy(q[None, :], p[None, :]) >= scipy.stats.entropy(p) - 1e-12


def test_eq_ce_decomposition_worked_example():
    p = np.array([0.5, 0.25, 0.25])
    q = np.full(3, 1 / 3)
    kl = mp_log(3, base=2) - 1.5                     # log2 3 - 1.5, by hand
    assert lb.kl_divergence(p, q, base=2) == pytest.approx(kl, rel=1e-13)
    assert scipy.stats.entropy(p, q, base=2) == pytest.approx(kl, rel=1e-12)


@pytest.mark.parametrize(("labels", "q_best"), [([0, 2] * 50, 0.5), ([0, 2, 2], 1 / 3)])
def test_eq_ce_decomposition_minimiser_is_the_data_frequency(labels, q_best):
    """The night-photo batches of the one-hot chapter: cross-entropy is smallest at p itself."""
    labels = np.array(labels)

    def mean_loss(q):
        return lb.cross_entropy(np.tile([q, 0.0, 1 - q], (len(labels), 1)), labels)

    result = scipy.optimize.minimize_scalar(mean_loss, bounds=(1e-6, 1 - 1e-6), method="bounded")
    assert result.x == pytest.approx(q_best, abs=1e-4)
    # At the minimum the loss is the entropy of the label frequencies.
    assert result.fun == pytest.approx(scipy.stats.entropy([q_best, 1 - q_best]), rel=1e-6)


def test_eq_ce_one_hot_worked_example():
    prediction = np.array([[0.7, 0.1, 0.2]])
    target = np.array([[1.0, 0.0, 0.0]])
    expected = -mp_log(0.7)
    assert expected == pytest.approx(0.35667494393873245, rel=1e-15)
    assert lb.cross_entropy(prediction, target) == pytest.approx(expected, rel=1e-14)
    assert lb.kl_divergence(target[0], prediction[0]) == pytest.approx(expected, rel=1e-14)
    assert scipy.stats.entropy(target[0], prediction[0]) == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize(("p", "nats"), [
    (0.95, 0.05129329438755058), (0.9, 0.10536051565782628), (0.8, 0.2231435513142097),
    (0.2, 1.6094379124341003), (0.1, 2.3025850929940455), (0.05, 2.995732273553991),
    (0.01, 4.605170185988091),
])
def test_eq_ce_one_hot_grows_as_confidence_falls(p, nats):
    assert -mp_log(p) == pytest.approx(nats, rel=1e-15)
    assert lb.cross_entropy(np.array([[p, 1 - p]]), np.array([0])) == pytest.approx(nats, rel=1e-13)


def test_eq_ce_one_hot_is_infinite_at_zero_and_capped_by_eps():
    sure_and_wrong = np.array([[0.0, 1.0]])
    assert lb.cross_entropy(sure_and_wrong, np.array([0])) == np.inf
    batch = np.array([[0.9, 0.1], [0.8, 0.2], [0.0, 1.0]])
    assert lb.cross_entropy(batch, np.array([0, 0, 0])) == np.inf
    for eps in (1e-7, 1e-3):
        capped = lb.cross_entropy(sure_and_wrong, np.array([0]), eps=eps)
        assert capped == pytest.approx(-mp_log(eps), rel=1e-13)
    # At or above eps nothing changes; below it the loss is flat.
    for p in (1e-3, 0.2, 0.9):
        pred = np.array([[p, 1 - p]])
        assert lb.cross_entropy(pred, np.array([0]), eps=1e-3) == pytest.approx(-mp_log(p), rel=1e-13)
    flat = [lb.cross_entropy(np.array([[p, 1 - p]]), np.array([0]), eps=1e-3) for p in (1e-4, 1e-6)]
    assert flat[0] == flat[1]


@SETTINGS
@given(st.floats(1e-300, 1.0))
def test_eq_ce_change_of_base_bits_are_nats_over_ln_2(p):
    pred = np.array([[p, 1 - p]])
    bits = lb.cross_entropy(pred, np.array([0]), base=2)
    nats = lb.cross_entropy(pred, np.array([0]))
    assert bits == pytest.approx(-mp_log(p, base=2), rel=1e-12, abs=1e-300)
    assert bits == pytest.approx(nats / mp_log(2), rel=1e-12, abs=1e-300)


def test_eq_ce_change_of_base_tiger_example():
    tiger = np.array([[0.9, 0.1]])
    assert lb.cross_entropy(tiger, np.array([0]), base=2) == pytest.approx(0.15200309344504997, rel=1e-13)
    assert lb.cross_entropy(tiger, np.array([0])) == pytest.approx(0.10536051565782628, rel=1e-13)
    with mpmath.workdps(DIGITS):
        assert float(1 / mpmath.log(2)) == pytest.approx(1.4426950408889634, rel=1e-15)


def test_eq_ce_batch_mean_worked_example():
    batch = np.array([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]])
    labels = np.array([0, 1, 1])
    per_example = [-mp_log(0.7), -mp_log(0.5), -mp_log(0.9)]
    np.testing.assert_allclose(lb.cross_entropy(batch, labels, reduction="none"), per_example, rtol=1e-13)
    assert lb.cross_entropy(batch, labels) == pytest.approx(0.38506088005216804, rel=1e-13)
    assert lb.cross_entropy(batch, labels, reduction="sum") == pytest.approx(sum(per_example), rel=1e-13)


def test_eq_ce_accuracy_worked_examples():
    labels = np.array([0, 1, 1])
    right = np.array([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]])
    wrong_second = np.array([[0.7, 0.1, 0.2], [0.5, 0.1, 0.4], [0.02, 0.9, 0.08]])
    assert lb.accuracy(right, labels) == 1.0
    assert lb.accuracy(wrong_second, labels) == pytest.approx(2 / 3, rel=1e-15)
    assert lb.cross_entropy(wrong_second, labels) == pytest.approx(
        -(mp_log(0.7) + mp_log(0.1) + mp_log(0.9)) / 3, rel=1e-13)
    # Same accuracy, different confidence (a lion photo, class 1).
    assert lb.cross_entropy(np.array([[0.22, 0.60, 0.18]]), np.array([1])) == pytest.approx(-mp_log(0.6), rel=1e-13)
    assert lb.cross_entropy(np.array([[0.32, 0.36, 0.32]]), np.array([1])) == pytest.approx(-mp_log(0.36), rel=1e-13)


@SETTINGS
@given(st.integers(2, 6).flatmap(lambda k: st.tuples(
    st.lists(distributions(size=k), min_size=1, max_size=8), st.data())))
def test_eq_ce_accuracy_matches_its_definition(args):
    rows, data = args
    k = len(rows[0])
    labels = data.draw(st.lists(st.integers(0, k - 1), min_size=len(rows), max_size=len(rows)))
    # Equation eq-ce-accuracy in plain Python: the first most probable class, compared with c_i.
    hits = [list(row).index(max(row)) == c for row, c in zip(rows, labels)]
    assert lb.accuracy(np.array(rows), np.array(labels)) == pytest.approx(sum(hits) / len(hits), abs=1e-15)


def test_eq_ce_accuracy_and_loss_can_move_in_opposite_directions():
    tigers = np.array([0, 0])
    hesitant = np.array([[0.51, 0.49], [0.51, 0.49]])
    mixed = np.array([[0.99, 0.01], [0.49, 0.51]])
    assert lb.accuracy(hesitant, tigers) == 1.0 and lb.accuracy(mixed, tigers) == 0.5
    loss_hesitant = -mp_log(0.51)
    loss_mixed = -(mp_log(0.99) + mp_log(0.49)) / 2
    assert loss_mixed < loss_hesitant
    assert lb.cross_entropy(hesitant, tigers) == pytest.approx(loss_hesitant, rel=1e-13)
    assert lb.cross_entropy(mixed, tigers) == pytest.approx(loss_mixed, rel=1e-13)


# --- Units, entropy, soft targets and robust losses (added with the label-noise section) -------


def test_eq_intro_nll_of_one_nat_is_one_over_ln_2_bits():
    """The introduction defines the nat: the loss at probability 1/e is 1 nat, 1/ln 2 bits."""
    p = float(mpmath.exp(-1))
    assert lb.cross_entropy(np.array([[p, 1 - p]]), np.array([0])) == pytest.approx(1.0, rel=1e-15)
    bits = lb.cross_entropy(np.array([[p, 1 - p]]), np.array([0]), base=2)
    with mpmath.workdps(DIGITS):
        assert bits == pytest.approx(float(1 / mpmath.log(2)), rel=1e-15)


@SETTINGS
@given(distributions())
def test_eq_intro_absolute_error_sums_to_the_same_constant_over_all_labels(p):
    """The symmetry condition of Ghosh et al.: summed over the K labels, the absolute error is
    2 (K - 1) for every prediction; the cross-entropy summed the same way has no bound."""
    k = len(p)
    absolute = [np.abs(p - np.eye(k)[c]).sum() for c in range(k)]
    assert sum(absolute) == pytest.approx(2 * (k - 1), rel=1e-12)
    squeezed = np.array([[1e-12] + [(1 - 1e-12) / (k - 1)] * (k - 1)])
    summed_ce = sum(lb.cross_entropy(squeezed, np.array([c])) for c in range(k))
    assert summed_ce >= -mp_log(1e-12)                     # -ln 1e-12 = 27.6 from one label alone


@SETTINGS
@given(distributions())
def test_eq_onehot_distribution_entropy_is_largest_for_the_uniform_distribution(p):
    k = len(p)
    assert scipy.stats.entropy(np.full(k, 1 / k)) == pytest.approx(mp_log(k), rel=1e-14)
    assert lb.entropy(p) <= mp_log(k) + 1e-12
    assert lb.entropy(np.full(5, 0.2)) == pytest.approx(mp_log(5), rel=1e-14)


def test_eq_onehot_sparse_dense_annotator_votes_need_the_dense_form():
    """The exercise: two votes for lion and one for leopard is a target no index can carry."""
    predictions = np.array([[0.70, 0.10, 0.20], [0.10, 0.50, 0.40], [0.02, 0.90, 0.08]])
    votes = np.array([[1.0, 0.0, 0.0], [0.0, 2 / 3, 1 / 3], [0.0, 1.0, 0.0]])
    expected = np.mean([mp_cross_entropy(q, y) for q, y in zip(predictions, votes)])
    assert lb.cross_entropy(predictions, votes) == pytest.approx(expected, rel=1e-13)
    for k in range(3):
        assert lb.cross_entropy(predictions, np.array([0, k, 1])) != pytest.approx(expected, rel=1e-3)


def mp_gce(p_c, q) -> mpmath.mpf:
    """Generalized cross-entropy (1 - p_c^q) / q at the working precision."""
    return (1 - mpmath.mpf(p_c) ** q) / q


def test_eq_ce_gce_tends_to_cross_entropy_and_is_one_minus_p_at_q_one():
    with mpmath.workdps(DIGITS):
        for p_c in (0.9, 0.5, 0.01, 1e-6):
            limit = mp_gce(p_c, mpmath.mpf(10) ** -30)
            assert float(limit) == pytest.approx(-mp_log(p_c), rel=1e-10)
            assert float(mp_gce(p_c, 1)) == pytest.approx(1 - p_c, rel=1e-15)
            # At q = 1 it is half the absolute error of eq-intro-absolute-error.
            assert float(mp_gce(p_c, 1)) == pytest.approx(np.abs([p_c - 1, 1 - p_c]).sum() / 2, rel=1e-15)


@SETTINGS
@given(st.floats(0.0, 1.0), st.floats(0.05, 1.0))
def test_eq_ce_gce_never_exceeds_one_over_q(p_c, q):
    with mpmath.workdps(DIGITS):
        value = mp_gce(p_c, mpmath.mpf(q))
        assert 0 <= value <= 1 / mpmath.mpf(q)


@SETTINGS
@given(st.lists(st.floats(-8.0, 8.0), min_size=2, max_size=5), st.floats(0.1, 1.0), st.data())
def test_eq_ce_gce_gradient_is_the_cross_entropy_gradient_scaled_by_p_to_the_q(z, q, data):
    c = data.draw(st.integers(0, len(z) - 1))
    p = np.array(mp_softmax(z))
    with mpmath.workdps(30):
        numeric = []
        for j in range(len(z)):
            def along(t, j=j):
                shifted = [mpmath.mpf(v) for v in z]
                shifted[j] = t
                exps = [mpmath.exp(v) for v in shifted]
                return mp_gce(exps[c] / mpmath.fsum(exps), mpmath.mpf(q))
            numeric.append(float(mpmath.diff(along, mpmath.mpf(z[j]))))
    np.testing.assert_allclose(numeric, p[c] ** q * (p - np.eye(len(z))[c]), atol=1e-12)


def test_eq_ce_gce_worked_values_of_the_chapter():
    """q = 0.7; the recorded label at probability 0.01 (suspicious) and 0.9 (well fitted)."""
    with mpmath.workdps(DIGITS):
        assert float(mp_gce(0.01, mpmath.mpf("0.7"))) == pytest.approx(1.37170, abs=1e-5)
        assert float(mpmath.mpf("0.01") ** mpmath.mpf("0.7") * mpmath.mpf("0.99")) == pytest.approx(
            0.039413, abs=1e-6)
        assert float(mpmath.mpf("0.9") ** mpmath.mpf("0.7") * mpmath.mpf("0.1")) == pytest.approx(
            0.092890, abs=1e-6)
    assert -mp_log(0.01) == pytest.approx(4.60517, abs=1e-5)
