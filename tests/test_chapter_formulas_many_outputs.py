"""Every formula stated in the chapter Many outputs, checked numerically against references that
do not share lossbook's code: mpmath at 50 digits (values and derivatives), scipy's minimiser,
torch, and values worked out by hand.

Each test is named after the label of the equation it checks; tests/test_equation_coverage.py
makes sure no labelled equation is left without one.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import scipy.optimize
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st

import lossbook as lb

SETTINGS = settings(max_examples=60, deadline=None)


def mp(value) -> mpmath.mpf:
    """An mpmath number, keeping mpf arguments as they are (mpmath.diff perturbs them)."""
    return value if isinstance(value, mpmath.mpf) else mpmath.mpf(float(value))


def mp_softmax_spread_loss(z, present) -> mpmath.mpf:
    """-(1/m) sum over present labels of ln softmax(z)_k, probabilities formed first."""
    exps = [mpmath.exp(mp(v)) for v in z]
    total = mpmath.fsum(exps)
    chosen = [k for k, y in enumerate(present) if y]
    return -mpmath.fsum(mpmath.log(exps[k] / total) for k in chosen) / len(chosen)


def mp_multi_label_bce(z, y) -> mpmath.mpf:
    """Mean over labels of -[y ln s + (1 - y) ln(1 - s)], s = 1 / (1 + e^-z)."""
    terms = []
    for zk, yk in zip(z, y):
        s = 1 / (1 + mpmath.exp(-mp(zk)))
        terms.append(-(yk * mpmath.log(s) + (1 - yk) * mpmath.log(1 - s)))
    return mpmath.fsum(terms) / len(terms)


@st.composite
def logits_and_multi_hot(draw, max_size: int = 6):
    k = draw(st.integers(2, max_size))
    z = np.array(draw(st.lists(st.floats(-20, 20), min_size=k, max_size=k)))
    y = np.array(draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=k, max_size=k)))
    y[draw(st.integers(0, k - 1))] = 1.0                        # at least one label present
    return z, y


# --- eq-many-softmax-floor ------------------------------------------------------------------------


@SETTINGS
@given(logits_and_multi_hot())
def test_eq_many_softmax_floor_holds_for_any_logits(case):
    z, y = case
    with mpmath.workdps(50):
        exact = mp_softmax_spread_loss(z, y)
        assert exact >= mpmath.log(int(y.sum())) - mpmath.mpf(10) ** -40
    loss = lb.cross_entropy(z, y / y.sum(), from_logits=True)
    assert loss == pytest.approx(float(exact), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("m, k", [(2, 3), (3, 5), (4, 4)])
def test_eq_many_softmax_floor_is_the_infimum_found_by_scipy(m, k):
    y = np.r_[np.ones(m), np.zeros(k - m)]

    def loss(z):
        return float(-np.mean(scipy.special.log_softmax(z)[:m]))

    best = scipy.optimize.minimize(loss, np.zeros(k), method="Nelder-Mead",
                                   options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000})
    assert best.fun >= np.log(m) - 1e-15          # attained only when every label is present
    assert best.fun == pytest.approx(np.log(m), abs=1e-3)


# --- eq-many-bce and eq-many-bce-grad -------------------------------------------------------------


def test_eq_many_bce_worked_example_of_the_chapter():
    # sigmoid(5), sigmoid(4), sigmoid(2) against [1, 1, 0], worked with math by hand:
    # softplus(-5) + softplus(-4) + softplus(2), divided by 3.
    by_hand = (np.log1p(np.exp(-5.0)) + np.log1p(np.exp(-4.0)) + np.log1p(np.exp(2.0))) / 3
    assert lb.binary_cross_entropy([5.0, 4.0, 2.0], [1.0, 1.0, 0.0], from_logits=True) \
        == pytest.approx(by_hand, rel=1e-15)


@SETTINGS
@given(logits_and_multi_hot())
def test_eq_many_bce_against_mpmath(case):
    z, y = case
    with mpmath.workdps(50):
        exact = float(mp_multi_label_bce(z, y))
    assert lb.binary_cross_entropy(z, y, from_logits=True) == pytest.approx(exact, rel=1e-12,
                                                                           abs=1e-300)


@SETTINGS
@given(logits_and_multi_hot())
def test_eq_many_bce_grad_against_mpmath_derivatives(case):
    z, y = case
    grad = lb.binary_cross_entropy_grad(z, y)
    with mpmath.workdps(50):
        for k in range(len(z)):
            def along(t, k=k):
                moved = [mpmath.mpf(float(v)) for v in z]
                moved[k] = t
                return mp_multi_label_bce(moved, y)
            expected = float(mpmath.diff(along, mpmath.mpf(float(z[k]))))
            assert grad[k] == pytest.approx(expected, rel=1e-10, abs=1e-15)


def test_eq_many_bce_grad_of_one_label_ignores_the_others():
    y = np.array([1.0, 0.0, 1.0])
    first = lb.binary_cross_entropy_grad(np.array([0.3, -2.0, 5.0]), y)
    second = lb.binary_cross_entropy_grad(np.array([0.3, 7.0, -1.0]), y)
    assert first[0] == second[0]


# --- eq-many-smooth-l1 ----------------------------------------------------------------------------


@pytest.mark.parametrize("beta", [0.5, 1.0, 4.0])
def test_eq_many_smooth_l1_against_torch(beta):
    torch = pytest.importorskip("torch")
    d = np.linspace(-10, 10, 101)
    expected = torch.nn.functional.smooth_l1_loss(torch.tensor(d), torch.zeros(101), beta=beta,
                                                  reduction="none").numpy()
    np.testing.assert_allclose(lb.smooth_l1_loss(d, np.zeros(101), beta=beta, reduction="none"),
                               expected, rtol=1e-15, atol=1e-300)


def test_eq_many_smooth_l1_worked_by_hand():
    # beta = 1: d = 0.4 -> 0.16 / 2 = 0.08; d = -3 -> 3 - 0.5 = 2.5.
    np.testing.assert_allclose(lb.smooth_l1_loss([0.4, -3.0], [0.0, 0.0], reduction="none"),
                               [0.08, 2.5], rtol=1e-15)


# --- eq-many-detect -------------------------------------------------------------------------------


def mp_detection_loss(outputs, classes, has_object, boxes, weights, beta=1.0) -> float:
    """Equation (eq-many-detect) term by term in mpmath, straight from the definitions."""
    with mpmath.workdps(50):
        positives = [i for i, o in enumerate(has_object) if o]
        class_terms, box_terms, obj_terms = [], [], []
        for i, row in enumerate(outputs):
            row = [mpmath.mpf(float(v)) for v in row]
            u = row[3]
            s = 1 / (1 + mpmath.exp(-u))
            o = mpmath.mpf(float(has_object[i]))
            obj_terms.append(-(o * mpmath.log(s) + (1 - o) * mpmath.log(1 - s)))
            if i in positives:
                exps = [mpmath.exp(v) for v in row[:3]]
                class_terms.append(-mpmath.log(exps[classes[i]] / mpmath.fsum(exps)))
                for t, t_star in zip(row[4:], boxes[i]):
                    d = abs(t - mpmath.mpf(float(t_star)))
                    box_terms.append(d * d / (2 * beta) if d < beta else d - mpmath.mpf(beta) / 2)
        return float(weights["class"] * mpmath.fsum(class_terms) / len(positives)
                     + weights["objectness"] * mpmath.fsum(obj_terms) / len(outputs)
                     + weights["box"] * mpmath.fsum(box_terms) / len(positives))


def chapter_detection_loss(outputs, classes, has_object, boxes, weights, beta=1.0):
    """The chapter's cells: the three terms from lossbook, then their weighted sum."""
    objects = has_object.astype(bool)
    terms = {
        "class": lb.cross_entropy(outputs[objects, :3], classes[objects], from_logits=True),
        "objectness": lb.binary_cross_entropy(outputs[:, 3], has_object, from_logits=True),
        "box": lb.smooth_l1_loss(outputs[objects, 4:], boxes[objects], beta=beta,
                                 reduction="sum") / objects.sum(),
    }
    return sum(weights[name] * value for name, value in terms.items())


@pytest.mark.parametrize("scale", [1.0, 640.0])
@pytest.mark.parametrize("seed", range(4))
def test_eq_many_detect_against_mpmath(seed, scale):
    rng = np.random.default_rng(seed)
    n = 6
    outputs = np.column_stack([rng.normal(0, 3, (n, 4)), rng.random((n, 4)) * scale])
    classes = rng.integers(0, 3, n)
    has_object = np.r_[1.0, 0.0, (rng.random(n - 2) < 0.5).astype(float)]
    boxes = rng.random((n, 4)) * scale
    weights = {"class": 1.0, "objectness": 0.5, "box": 5.0}
    assert chapter_detection_loss(outputs, classes, has_object, boxes, weights) == pytest.approx(
        mp_detection_loss(outputs, classes, has_object, boxes, weights), rel=1e-12)


def test_eq_many_detect_background_boxes_add_only_objectness():
    outputs = np.array([[2.0, 0.0, 0.0, 3.0, 0.5, 0.5, 0.2, 0.2],
                        [9.0, -9.0, 9.0, -2.0, 99.0, 99.0, 99.0, 99.0]])
    weights = {"class": 1.0, "objectness": 1.0, "box": 1.0}
    base = chapter_detection_loss(outputs, np.array([0, 2]), np.array([1.0, 0.0]),
                                  np.array([[0.5, 0.5, 0.2, 0.2], [0, 0, 0, 0]]), weights)
    # Class CE of [2, 0, 0] for class 0, objectness softplus(-3) and softplus(-2) averaged, box 0.
    by_hand = np.log(1 + 2 * np.exp(-2.0)) + (np.log1p(np.exp(-3.0)) + np.log1p(np.exp(-2.0))) / 2
    assert base == pytest.approx(by_hand, rel=1e-14)
