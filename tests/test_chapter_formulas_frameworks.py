"""Every formula stated in the chapter Cross-entropy in PyTorch, Keras, JAX and scikit-learn,
checked against a reference that does not share lossbook's code: mpmath at 40 significant
digits, values worked out by hand, scikit-learn, or PyTorch (those tests are skipped where the
framework is not installed).

Each test is named after the label of the equation it checks (``eq-fw-weighted-mean`` is checked
by ``test_eq_fw_weighted_mean_...``); tests/test_equation_coverage.py makes sure no labelled
equation is left without one.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lossbook as lb

DIGITS = 40
SETTINGS = settings(max_examples=60, deadline=None)


def mp_log_softmax(row, index: int) -> mpmath.mpf:
    """ln softmax(row)[index] at DIGITS digits."""
    with mpmath.workdps(DIGITS):
        values = [mpmath.mpf(float(v)) for v in row]
        return values[index] - mpmath.log(mpmath.fsum(mpmath.exp(v) for v in values))


def mp_softplus(z: float) -> mpmath.mpf:
    with mpmath.workdps(DIGITS):
        return mpmath.log1p(mpmath.exp(mpmath.mpf(z)))


def torch_or_skip():
    return pytest.importorskip("torch")


# --- eq-fw-clip-ceiling: a clipped probability caps the loss at -ln eps ----------------------


@pytest.mark.parametrize("eps", [1e-7, float(np.finfo(np.float64).eps), float(np.finfo(np.float32).eps)])
def test_eq_fw_clip_ceiling_is_minus_log_eps(eps):
    with mpmath.workdps(DIGITS):
        ceiling = float(-mpmath.log(mpmath.mpf(eps)))
    for p_true in (0.0, eps / 10, eps / 2):
        loss = lb.cross_entropy([[p_true, 1.0 - p_true]], [0], eps=eps)
        assert loss == pytest.approx(ceiling, rel=1e-14)
    # Above the clip the loss is the plain surprisal.
    assert lb.cross_entropy([[0.25, 0.75]], [0], eps=eps) == pytest.approx(np.log(4.0), rel=1e-14)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_eq_fw_clip_ceiling_matches_sklearn_log_loss(dtype):
    metrics = pytest.importorskip("sklearn.metrics")
    eps = float(np.finfo(dtype).eps)
    with mpmath.workdps(DIGITS):
        ceiling = float(-mpmath.log(mpmath.mpf(eps)))
    loss = metrics.log_loss([0], np.array([[0.0, 1.0]], dtype=dtype), labels=[0, 1])
    assert loss == pytest.approx(ceiling, rel=1e-6)


def test_eq_fw_clip_ceiling_sklearn_warns_and_does_not_renormalise_rows():
    metrics = pytest.importorskip("sklearn.metrics")
    rows = np.array([[0.5, 0.6], [0.3, 0.3]])       # sums 1.1 and 0.6
    with pytest.warns(UserWarning, match="sum to one"):
        loss = metrics.log_loss([0, 1], rows)
    assert loss == pytest.approx((-np.log(0.5) - np.log(0.3)) / 2, rel=1e-12)


# --- eq-fw-double-floor: softmax applied twice cannot go below ln(1 + (K - 1)/e) ----------------


@pytest.mark.parametrize("k", [2, 3, 10, 100, 1000])
def test_eq_fw_double_floor_is_reached_by_a_one_hot_output(k):
    with mpmath.workdps(DIGITS):
        floor = float(mpmath.log(1 + (k - 1) / mpmath.e))
    one_hot_output = lb.one_hot(np.arange(min(k, 5)), k)
    got = lb.cross_entropy(one_hot_output, np.arange(min(k, 5)), from_logits=True, reduction="none")
    np.testing.assert_allclose(got, floor, rtol=1e-13)


@SETTINGS
@given(k=st.integers(2, 12), seed=st.integers(0, 2**32 - 1), scale=st.floats(0.1, 50.0))
def test_eq_fw_double_floor_bounds_every_output(k, seed, scale):
    rng = np.random.default_rng(seed)
    probs = lb.softmax(rng.normal(0.0, scale, size=(4, k)))
    labels = rng.integers(0, k, size=4)
    floor = np.log1p((k - 1) / np.e)
    got = lb.cross_entropy(probs, labels, from_logits=True, reduction="none")
    assert np.all(got >= floor * (1 - 1e-12))


# --- eq-fw-bce-clamp: BCELoss of a probability caps each log term at -100 -----------------------


def clamped_bce(logits, labels):
    """min(BCE of sigmoid(z), 100) for hard labels, the chapter's model of BCELoss."""
    with np.errstate(divide="ignore"):
        through_p = lb.binary_cross_entropy(lb.sigmoid(logits), labels, reduction="none")
    return np.minimum(through_p, 100.0)


def test_eq_fw_bce_clamp_against_mpmath():
    # Positive examples: -ln sigmoid(z) = softplus(-z), capped at 100 once z is below -100.
    z = np.array([-300.0, -150.0, -100.5, -99.5, -40.0, -1.0, 0.0, 3.0])
    y = np.ones_like(z)
    expected = [min(float(mp_softplus(-v)), 100.0) for v in z]
    np.testing.assert_allclose(clamped_bce(z, y), expected, rtol=1e-12)
    # Negative examples: once sigmoid(z) rounds to 1, ln(1 - p) = -inf and the cap applies.
    assert clamped_bce(np.array([38.0, 500.0]), np.zeros(2)).tolist() == [100.0, 100.0]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_eq_fw_bce_clamp_matches_torch_bceloss(dtype):
    torch = torch_or_skip()
    z = np.concatenate([np.linspace(-300.0, 300.0, 601), [-100.5, -99.5, 16.0, 17.5, 36.5, 37.5]])
    for label in (0.0, 1.0):
        y = np.full_like(z, label)
        zt = torch.tensor(z, dtype=getattr(torch, dtype))
        expected = torch.nn.functional.binary_cross_entropy(
            torch.sigmoid(zt), torch.tensor(y, dtype=zt.dtype), reduction="none").double().numpy()
        # The chapter's model, evaluated on the probabilities torch itself rounded to dtype.
        with np.errstate(divide="ignore"):
            p = torch.sigmoid(zt).double().numpy()
            model = np.minimum(lb.binary_cross_entropy(p, y, reduction="none"), 100.0)
        np.testing.assert_allclose(model, expected, rtol=2e-6 if dtype == "float32" else 1e-12, atol=1e-30)
