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
