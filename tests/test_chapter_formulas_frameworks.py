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


def test_eq_fw_double_floor_one_hot_read_as_logits_gives_the_true_class_e_over_e_plus_k_minus_1():
    # The exponentials of a one-hot row are e and 1, not its softmax: softmax is e / (e + K - 1).
    for k in (2, 3, 10):
        with mpmath.workdps(DIGITS):
            expected = float(mpmath.e / (mpmath.e + k - 1))
        assert lb.softmax(lb.one_hot([0], k))[0, 0] == pytest.approx(expected, rel=1e-14)


@SETTINGS
@given(k=st.integers(2, 12), seed=st.integers(0, 2**32 - 1), scale=st.floats(0.1, 50.0))
def test_eq_fw_double_floor_bounds_every_output(k, seed, scale):
    rng = np.random.default_rng(seed)
    probs = lb.softmax(rng.normal(0.0, scale, size=(4, k)))
    labels = rng.integers(0, k, size=4)
    floor = np.log1p((k - 1) / np.e)
    got = lb.cross_entropy(probs, labels, from_logits=True, reduction="none")
    assert np.all(got >= floor * (1 - 1e-12))


# --- eq-fw-weighted-mean: sum w_y l / sum w_y over the targets that are not ignored -------------


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 7), k=st.integers(2, 5))
def test_eq_fw_weighted_mean_against_mpmath(seed, n, k):
    rng = np.random.default_rng(seed)
    logits = rng.normal(0.0, 3.0, size=(n, k))
    weight = rng.uniform(0.1, 5.0, size=k)
    labels = rng.integers(0, k, size=n)
    labels[rng.random(n) < 0.3] = -100                        # some ignored targets
    labels[0] = rng.integers(0, k)                             # at least one real target
    with mpmath.workdps(DIGITS):
        kept = [(row, t) for row, t in zip(logits, labels) if t != -100]
        numerator = mpmath.fsum(-mpmath.mpf(weight[t]) * mp_log_softmax(row, t) for row, t in kept)
        denominator = mpmath.fsum(mpmath.mpf(weight[t]) for _, t in kept)
        expected = float(numerator / denominator)
    got = lb.cross_entropy(logits, labels, from_logits=True, weight=weight, ignore_index=-100)
    assert got == pytest.approx(expected, rel=1e-12)


def test_eq_fw_weighted_mean_cancels_for_one_example_and_for_one_class():
    rng = np.random.default_rng(3)
    logits = rng.normal(0.0, 2.0, size=(5, 3))
    weight = np.array([10.0, 1.0, 0.5])
    one = lb.cross_entropy(logits[:1], [0], from_logits=True, weight=weight)
    assert one == pytest.approx(lb.cross_entropy(logits[:1], [0], from_logits=True), rel=1e-14)
    same = np.full(5, 2)
    assert lb.cross_entropy(logits, same, from_logits=True, weight=weight) == pytest.approx(
        lb.cross_entropy(logits, same, from_logits=True), rel=1e-14)


def test_eq_fw_weighted_mean_matches_torch():
    torch = torch_or_skip()
    rng = np.random.default_rng(5)
    logits = rng.normal(0.0, 2.0, size=(9, 4))
    weight = np.array([4.0, 1.0, 0.25, 2.0])
    labels = np.array([0, 1, 2, 3, -100, 1, 0, -100, 2])
    expected = torch.nn.functional.cross_entropy(
        torch.tensor(logits), torch.tensor(labels), weight=torch.tensor(weight), ignore_index=-100)
    got = lb.cross_entropy(logits, labels, from_logits=True, weight=weight, ignore_index=-100)
    assert got == pytest.approx(float(expected), rel=1e-12)


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


# --- eq-fw-pos-weight: w [c y softplus(-z) + (1 - y) softplus(z)] --------------------------------


@SETTINGS
@given(
    z=st.floats(-60.0, 60.0),
    y=st.floats(0.0, 1.0),
    w=st.floats(0.0, 10.0),
    c=st.floats(0.0, 30.0),
)
def test_eq_fw_pos_weight_against_mpmath(z, y, w, c):
    with mpmath.workdps(DIGITS):
        expected = float(mpmath.mpf(w) * (mpmath.mpf(c) * mpmath.mpf(y) * mp_softplus(-z)
                                          + (1 - mpmath.mpf(y)) * mp_softplus(z)))
    got = lb.binary_cross_entropy(np.array([z]), np.array([y]), from_logits=True,
                                  weight=np.array([w]), pos_weight=np.array([c]), reduction="sum")
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-300)


def test_eq_fw_pos_weight_gradient_shares_in_the_chapter():
    # 5 positives, 95 negatives, logits 0: each gradient entry is +-1/2, scaled as the equation says.
    labels = np.r_[np.ones(5), np.zeros(95)]
    logits = np.zeros(100)

    def share(**weights):
        grad = np.abs(lb.binary_cross_entropy_grad(logits, labels, reduction="sum", **weights))
        return grad[:5].sum() / grad.sum()

    assert share() == pytest.approx(5 / 100, rel=1e-14)
    assert share(weight=np.full(100, 19.0)) == pytest.approx(5 / 100, rel=1e-14)
    assert share(pos_weight=np.array([19.0])) == pytest.approx(0.5, rel=1e-14)


def test_eq_fw_pos_weight_matches_torch():
    torch = torch_or_skip()
    rng = np.random.default_rng(11)
    z = rng.normal(0.0, 5.0, size=(16, 3))
    y = rng.integers(0, 2, size=(16, 3)).astype(float)
    w = rng.uniform(0.0, 3.0, size=(16, 3))
    c = np.array([0.5, 4.0, 19.0])
    zt = torch.tensor(z, requires_grad=True)
    expected = torch.nn.functional.binary_cross_entropy_with_logits(
        zt, torch.tensor(y), weight=torch.tensor(w), pos_weight=torch.tensor(c))
    expected.backward()
    got = lb.binary_cross_entropy(z, y, from_logits=True, weight=w, pos_weight=c)
    assert got == pytest.approx(float(expected.detach()), rel=1e-12)
    grad = lb.binary_cross_entropy_grad(z, y, weight=w, pos_weight=c)
    np.testing.assert_allclose(grad, zt.grad.numpy(), rtol=1e-11, atol=1e-14)



# --- the chapter's worked numbers for the focal and hinge losses, by hand -----------------------


def test_focal_default_alpha_weights_a_positive_a_third_of_a_negative():
    # At z = 0: BCE = ln 2, p_t = 1/2, (1 - p_t)^2 = 1/4; alpha_t = 0.25 or 0.75.
    positive = lb.sigmoid_focal_loss(np.zeros(1), np.ones(1))
    negative = lb.sigmoid_focal_loss(np.zeros(1), np.zeros(1))
    assert positive == pytest.approx(0.25 * 0.25 * np.log(2.0), rel=1e-14)
    assert negative == pytest.approx(0.75 * 0.25 * np.log(2.0), rel=1e-14)


def test_hinge_worked_examples():
    # [3.2, 5.1, -1.7], class 0: max(0, 5.1 - 3.2 + 1) + max(0, -1.7 - 3.2 + 1) = 2.9 (CS231n);
    # [1.0, 1.5, 0.8], class 0: 1.5 + 0.8 = 2.3, largest violation 1.5.
    scores = np.array([[3.2, 5.1, -1.7], [1.0, 1.5, 0.8]])
    np.testing.assert_allclose(lb.multiclass_hinge_loss(scores, [0, 0], reduction="none"), [2.9, 2.3], rtol=1e-14)
