"""torch parity for the options frameworks add to the losses, values and autograd gradients.

Every combination of class weights, label smoothing and ignore_index, in every reduction,
with index and soft targets, from logits and from probabilities; BCEWithLogitsLoss with
weight and pos_weight; the focal and hinge losses against the torch formulas they follow.
Skipped when torch is not installed.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import lossbook as lb

torch = pytest.importorskip("torch")
F = torch.nn.functional

TOL = 1e-11
N, K = 24, 7
REDUCTIONS = ["mean", "sum", "none"]


def assert_close(actual, expected):
    np.testing.assert_allclose(np.asarray(actual), np.asarray(expected), rtol=TOL, atol=TOL)


def _problem(seed, scale=3.0):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((N, K)) * scale
    labels = rng.integers(0, K, N)
    labels[::5] = -100                                  # some examples to ignore
    soft = rng.dirichlet(np.ones(K), N)
    weight = rng.uniform(0.2, 3.0, K)
    return z, labels, soft, weight


INDEX_CASES = list(itertools.product([False, True], [0.0, 0.15, 1.0], [False, True], REDUCTIONS))


@pytest.mark.parametrize("use_weight, smoothing, use_ignore, reduction", INDEX_CASES)
def test_cross_entropy_options_with_index_targets(use_weight, smoothing, use_ignore, reduction):
    z, labels, _, weight = _problem(seed=1)
    if not use_ignore:
        labels = np.where(labels < 0, 3, labels)
    options = {"weight": weight if use_weight else None, "label_smoothing": smoothing,
               "ignore_index": -100 if use_ignore else None}
    zt = torch.tensor(z, requires_grad=True)
    expected = F.cross_entropy(zt, torch.tensor(labels), weight=torch.tensor(weight) if use_weight else None,
                               label_smoothing=smoothing, reduction=reduction)
    got = lb.cross_entropy(z, labels, from_logits=True, reduction=reduction, **options)
    assert_close(got, expected.detach())
    # Probabilities: the same maths with log p in place of log_softmax.
    assert_close(lb.cross_entropy(lb.softmax(z), labels, reduction=reduction, **options), expected.detach())
    expected.sum().backward()
    grad_reduction = "sum" if reduction == "none" else reduction
    assert_close(lb.cross_entropy_grad(z, labels, reduction=grad_reduction, **options), zt.grad)


SOFT_CASES = list(itertools.product([False, True], [0.0, 0.15, 1.0], REDUCTIONS))


@pytest.mark.parametrize("use_weight, smoothing, reduction", SOFT_CASES)
def test_cross_entropy_options_with_soft_targets(use_weight, smoothing, reduction):
    z, _, soft, weight = _problem(seed=2)
    options = {"weight": weight if use_weight else None, "label_smoothing": smoothing}
    zt = torch.tensor(z, requires_grad=True)
    expected = F.cross_entropy(zt, torch.tensor(soft), weight=torch.tensor(weight) if use_weight else None,
                               label_smoothing=smoothing, reduction=reduction)
    assert_close(lb.cross_entropy(z, soft, from_logits=True, reduction=reduction, **options), expected.detach())
    assert_close(lb.cross_entropy(lb.softmax(z), soft, reduction=reduction, **options), expected.detach())
    expected.sum().backward()
    grad_reduction = "sum" if reduction == "none" else reduction
    assert_close(lb.cross_entropy_grad(z, soft, reduction=grad_reduction, **options), zt.grad)


@pytest.mark.parametrize("scale", [30.0, 300.0])
def test_cross_entropy_options_at_large_logits(scale):
    z, labels, _, weight = _problem(seed=3, scale=scale)
    z = z + 1000.0                                      # a large common offset must not cancel
    expected = F.cross_entropy(torch.tensor(z), torch.tensor(labels), weight=torch.tensor(weight),
                               label_smoothing=0.1, reduction="none")
    got = lb.cross_entropy(z, labels, from_logits=True, weight=weight, label_smoothing=0.1,
                           ignore_index=-100, reduction="none")
    np.testing.assert_allclose(got, expected.numpy(), rtol=1e-13, atol=0)


def test_ignore_index_inside_the_class_range():
    z, labels, _, weight = _problem(seed=4)
    labels = np.where(labels < 0, 0, labels)
    expected = F.cross_entropy(torch.tensor(z), torch.tensor(labels), weight=torch.tensor(weight),
                               ignore_index=0, label_smoothing=0.2)
    assert_close(lb.cross_entropy(z, labels, from_logits=True, weight=weight, ignore_index=0,
                                  label_smoothing=0.2), expected)


def test_batch_of_one_the_class_weight_cancels_out_of_the_mean():
    z, labels, _, weight = _problem(seed=5)
    expected = F.cross_entropy(torch.tensor(z[:1]), torch.tensor(labels[1:2]), weight=torch.tensor(weight))
    got = lb.cross_entropy(z[:1], labels[1:2], from_logits=True, weight=weight)
    assert_close(got, expected)
    assert_close(got, lb.cross_entropy(z[:1], labels[1:2], from_logits=True))


def test_every_target_ignored_is_nan_in_torch_and_an_error_here():
    z, _, _, _ = _problem(seed=6)
    labels = np.full(N, -100)
    assert torch.isnan(F.cross_entropy(torch.tensor(z), torch.tensor(labels)))
    with pytest.raises(ValueError, match=r"every label equals ignore_index=-100.*torch returns NaN"):
        lb.cross_entropy(z, labels, from_logits=True, ignore_index=-100)
    assert_close(lb.cross_entropy(z, labels, from_logits=True, ignore_index=-100, reduction="sum"),
                 F.cross_entropy(torch.tensor(z), torch.tensor(labels), reduction="sum"))


# ---------------------------------------------------------------- BCEWithLogitsLoss

BCE_CASES = list(itertools.product([None, "row", "element"], [False, True], REDUCTIONS))


@pytest.mark.parametrize("weight_shape, use_pos_weight, reduction", BCE_CASES)
def test_bce_with_logits_weight_and_pos_weight(weight_shape, use_pos_weight, reduction):
    rng = np.random.default_rng(7)
    z = rng.standard_normal((N, K)) * 20
    z[0, :2] = [800.0, -800.0]                          # exact at +-800
    y = rng.integers(0, 2, (N, K)).astype(float)
    y[0, :2] = [0.0, 1.0]                               # losses of 800 at both ends
    y[1] = rng.uniform(0, 1, K)                         # soft labels
    weight = {None: None, "row": rng.uniform(0, 2, (N, 1)), "element": rng.uniform(0, 2, (N, K))}[weight_shape]
    pos_weight = rng.uniform(0.1, 5, K) if use_pos_weight else None
    zt = torch.tensor(z, requires_grad=True)
    expected = torch.nn.BCEWithLogitsLoss(
        weight=None if weight is None else torch.tensor(weight),
        pos_weight=None if pos_weight is None else torch.tensor(pos_weight), reduction=reduction)(zt, torch.tensor(y))
    got = lb.binary_cross_entropy(z, y, from_logits=True, weight=weight, pos_weight=pos_weight, reduction=reduction)
    assert_close(got, expected.detach())
    expected.sum().backward()
    grad = lb.binary_cross_entropy_grad(z, y, weight=weight, pos_weight=pos_weight,
                                        reduction="sum" if reduction == "none" else reduction)
    assert_close(grad, zt.grad)


def test_bce_at_logits_800_is_exact():
    z = np.array([800.0, -800.0, 800.0, -800.0])
    y = np.array([0.0, 1.0, 1.0, 0.0])
    got = lb.binary_cross_entropy(z, y, from_logits=True, pos_weight=2.0, reduction="none")
    # 800 exactly where the prediction is wrong (times pos_weight for a positive); exp(-800)
    # underflows to 0 in float64 where it is right.
    np.testing.assert_array_equal(got, [800.0, 1600.0, 0.0, 0.0])
    expected = F.binary_cross_entropy_with_logits(torch.tensor(z), torch.tensor(y),
                                                  pos_weight=torch.tensor(2.0), reduction="none")
    np.testing.assert_array_equal(got, expected.numpy())


# ---------------------------------------------------------------- focal and hinge losses


def torch_softmax_focal(z, labels, gamma, alpha):
    """-alpha_t (1 - p_t)^gamma log p_t written with torch operations (autograd differentiates it)."""
    log_p = torch.log_softmax(z, dim=-1).gather(1, labels[:, None])[:, 0]
    loss = -(1 - log_p.exp()) ** gamma * log_p
    return loss if alpha is None else alpha[labels] * loss


def torchvision_sigmoid_focal(inputs, targets, gamma, alpha):
    """torchvision.ops.sigmoid_focal_loss (reduction "none"), as its source defines it."""
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return loss


@pytest.mark.parametrize("gamma", [0.0, 1.0, 2.0, 3.5])
@pytest.mark.parametrize("use_alpha", [False, True])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_focal_loss_and_autograd(gamma, use_alpha, reduction):
    z, labels, _, _ = _problem(seed=8)
    labels = np.abs(labels) % K
    alpha = np.random.default_rng(9).uniform(0, 1, K) if use_alpha else None
    zt = torch.tensor(z, requires_grad=True)
    per = torch_softmax_focal(zt, torch.tensor(labels), gamma, None if alpha is None else torch.tensor(alpha))
    expected = {"mean": per.mean(), "sum": per.sum(), "none": per}[reduction]
    assert_close(lb.focal_loss(z, labels, gamma=gamma, alpha=alpha, reduction=reduction), expected.detach())
    expected.sum().backward()
    grad = lb.focal_loss_grad(z, labels, gamma=gamma, alpha=alpha, reduction="sum" if reduction == "none" else reduction)
    assert_close(grad, zt.grad)


@pytest.mark.parametrize("gamma, alpha", [(2.0, 0.25), (0.0, None), (1.5, 0.7)])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_sigmoid_focal_loss_matches_torchvision(gamma, alpha, reduction):
    rng = np.random.default_rng(10)
    z = rng.standard_normal((N, K)) * 5
    y = rng.integers(0, 2, (N, K)).astype(float)
    per = torchvision_sigmoid_focal(torch.tensor(z), torch.tensor(y), gamma, -1 if alpha is None else alpha)
    expected = {"mean": per.mean(), "sum": per.sum(), "none": per}[reduction]
    assert_close(lb.sigmoid_focal_loss(z, y, gamma=gamma, alpha=alpha, reduction=reduction), expected)


@pytest.mark.parametrize("margin", [0.0, 1.0, 2.5])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_hinge_is_multi_margin_loss_times_k(margin, reduction):
    z, labels, _, _ = _problem(seed=11, scale=1.0)
    labels = np.abs(labels) % K
    zt = torch.tensor(z, requires_grad=True)
    expected = F.multi_margin_loss(zt, torch.tensor(labels), margin=margin, reduction=reduction)
    assert_close(lb.multiclass_hinge_loss(z, labels, margin=margin, reduction=reduction), K * expected.detach())
    expected.sum().backward()
    grad = lb.multiclass_hinge_loss_grad(z, labels, margin=margin, reduction="sum" if reduction == "none" else reduction)
    assert_close(grad, K * zt.grad)


def test_hinge_subgradient_at_the_kink_is_torchs():
    z = np.array([[2.0, 1.0, 0.5], [0.0, 1.0, 0.0]])   # row 0: class 1 exactly at the margin
    zt = torch.tensor(z, requires_grad=True)
    F.multi_margin_loss(zt, torch.tensor([0, 0]), reduction="sum").backward()
    assert_close(lb.multiclass_hinge_loss_grad(z, [0, 0], reduction="sum"), 3 * zt.grad)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_from_probabilities_with_weight(reduction):
    rng = np.random.default_rng(12)
    p, y = rng.uniform(0.01, 0.99, (N, K)), rng.integers(0, 2, (N, K)).astype(float)
    weight = rng.uniform(0, 2, (N, 1))
    expected = F.binary_cross_entropy(torch.tensor(p), torch.tensor(y), weight=torch.tensor(weight), reduction=reduction)
    assert_close(lb.binary_cross_entropy(p, y, weight=weight, reduction=reduction), expected)
    # pos_weight on probabilities: the same maths as BCEWithLogitsLoss with log p for log sigmoid(z).
    pos_weight = rng.uniform(0.5, 3, K)
    z = np.log(p) - np.log1p(-p)
    expected = F.binary_cross_entropy_with_logits(torch.tensor(z), torch.tensor(y), pos_weight=torch.tensor(pos_weight),
                                                  reduction=reduction)
    np.testing.assert_allclose(lb.binary_cross_entropy(p, y, pos_weight=pos_weight, reduction=reduction), expected,
                               rtol=1e-9, atol=1e-12)
