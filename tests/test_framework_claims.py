"""The chapter Cross-entropy in PyTorch, Keras, JAX and scikit-learn says how PyTorch behaves;
these tests check each such sentence against PyTorch itself, in float64 unless the claim is
about another precision.

Skipped when torch is not installed. The formulas of the chapter are checked, with PyTorch
where it applies, in tests/test_chapter_formulas_frameworks.py.
"""

from __future__ import annotations

import numpy as np
import pytest

import lossbook as lb

torch = pytest.importorskip("torch")
F = torch.nn.functional


def t(values, dtype=torch.float64):
    return torch.tensor(np.asarray(values), dtype=dtype)


# --- the table: what each loss takes ------------------------------------------------------------


def test_cross_entropy_takes_logits_and_nll_loss_takes_log_probabilities():
    rng = np.random.default_rng(1)
    z, y = rng.normal(0.0, 3.0, size=(6, 4)), rng.integers(0, 4, 6)
    reference = lb.cross_entropy(z, y, from_logits=True)
    assert float(F.cross_entropy(t(z), torch.tensor(y))) == pytest.approx(reference, rel=1e-12)
    assert float(F.nll_loss(t(lb.log_softmax(z)), torch.tensor(y))) == pytest.approx(reference, rel=1e-12)


def test_cross_entropy_takes_probability_targets_of_the_input_shape():
    rng = np.random.default_rng(2)
    z, soft = rng.normal(0.0, 3.0, size=(6, 4)), rng.dirichlet(np.ones(4), 6)
    expected = lb.cross_entropy(z, soft, from_logits=True)
    assert float(F.cross_entropy(t(z), t(soft))) == pytest.approx(expected, rel=1e-12)


def test_float_targets_of_another_shape_are_refused():
    z = t(np.zeros((3, 4)))
    with pytest.raises(RuntimeError):
        F.cross_entropy(z, t([0.0, 1.0, 2.0]))


def test_default_reductions_are_the_mean():
    rng = np.random.default_rng(3)
    z, y = rng.normal(size=(5, 3)), rng.integers(0, 3, 5)
    per_example = F.cross_entropy(t(z), torch.tensor(y), reduction="none")
    assert float(F.cross_entropy(t(z), torch.tensor(y))) == pytest.approx(float(per_example.mean()), rel=1e-14)
    p, target = t(rng.uniform(0.05, 0.95, 5)), t(rng.integers(0, 2, 5))
    assert float(torch.nn.BCELoss()(p, target)) == pytest.approx(
        float(F.binary_cross_entropy(p, target, reduction="none").mean()), rel=1e-14)


def test_label_smoothing_matches_torch_for_index_and_soft_targets():
    rng = np.random.default_rng(4)
    z, y, soft = rng.normal(0.0, 3.0, size=(8, 5)), rng.integers(0, 5, 8), rng.dirichlet(np.ones(5), 8)
    for target, tt in ((y, torch.tensor(y)), (soft, t(soft))):
        expected = F.cross_entropy(t(z), tt, label_smoothing=0.1)
        got = lb.cross_entropy(z, target, from_logits=True, label_smoothing=0.1)
        assert got == pytest.approx(float(expected), rel=1e-12)


# --- the gallery ----------------------------------------------------------------------------


@pytest.mark.parametrize("labels", [np.ones(8), np.zeros(8), np.array([0, 1, 1, 0, 1, 0, 0, 1])],
                         ids=["positives", "negatives", "mixed"])
def test_one_output_unit_with_probability_targets_gives_zero_loss_and_gradient(labels):
    z = t(np.random.default_rng(5).normal(0.0, 3.0, size=(8, 1)))
    z.requires_grad_(True)
    loss = F.cross_entropy(z, t(labels[:, None]))
    loss.backward()
    assert float(loss.detach()) == 0.0
    assert float(z.grad.abs().max()) == 0.0


def test_one_output_unit_with_index_targets_refuses_class_one():
    with pytest.raises(IndexError, match="out of bounds"):
        F.cross_entropy(t(np.zeros((2, 1))), torch.tensor([0, 1]))


def test_out_of_range_label_raises_on_the_cpu():
    with pytest.raises(IndexError, match="Target 3 is out of bounds"):
        F.cross_entropy(t(np.zeros((3, 3))), torch.tensor([1, 2, 3]))


def test_a_class_weight_cancels_in_a_batch_of_one():
    z = t([[2.0, -1.0, 0.5]])
    weighted = F.cross_entropy(z, torch.tensor([0]), weight=t([10.0, 1.0, 1.0]))
    assert float(weighted) == pytest.approx(float(F.cross_entropy(z, torch.tensor([0]))), rel=1e-14)


def test_every_target_ignored_gives_nan_in_torch_and_an_error_in_lossbook():
    z = np.random.default_rng(6).normal(size=(4, 3))
    labels = np.full(4, -100)
    zt = t(z).requires_grad_(True)
    loss = F.cross_entropy(zt, torch.tensor(labels))
    loss.backward()
    assert torch.isnan(loss.detach())
    assert float(zt.grad.abs().max()) == 0.0          # the value is NaN, the gradient is zero
    assert float(F.cross_entropy(t(z), torch.tensor(labels), reduction="sum")) == 0.0
    with pytest.raises(ValueError):
        lb.cross_entropy(z, labels, from_logits=True, ignore_index=-100)


def test_bceloss_has_no_gradient_beyond_the_clamp_where_bce_with_logits_has_one():
    z = t([-150.0, 60.0])
    y = t([1.0, 0.0])
    z.requires_grad_(True)
    F.binary_cross_entropy(torch.sigmoid(z), y, reduction="sum").backward()
    assert float(z.grad.abs().max()) < 1e-40
    z.grad = None
    F.binary_cross_entropy_with_logits(z, y, reduction="sum").backward()
    np.testing.assert_allclose(z.grad.numpy(), [-1.0, 1.0], rtol=1e-12)


@pytest.mark.parametrize(("dtype", "below", "above"), [("float32", 16.0, 17.5), ("float64", 36.0, 37.0)])
def test_sigmoid_rounds_to_one_where_the_chapter_says(dtype, below, above):
    zt = torch.tensor([below, above], dtype=getattr(torch, dtype))
    p = torch.sigmoid(zt)
    assert float(p[0]) < 1.0
    assert float(p[1]) == 1.0
    if dtype == "float64":
        assert lb.sigmoid(np.array([below, above])).tolist() == [float(p[0]), 1.0]


def test_float16_cross_entropy_is_exact_where_a_hand_written_softmax_overflows():
    half = torch.tensor([[12.0, 0.0, -3.0]], dtype=torch.float16)
    assert torch.isinf(half.exp()).any()
    naive = half.exp() / half.exp().sum(dim=1, keepdim=True)
    assert torch.isnan(naive).any()
    for label in (0, 1, 2):
        got = F.cross_entropy(half, torch.tensor([label]))
        exact = lb.cross_entropy(half.double().numpy(), [label], from_logits=True)
        assert float(got) == pytest.approx(exact, rel=2e-3, abs=1e-4)


def test_multi_margin_loss_is_the_weston_watkins_sum_divided_by_the_number_of_classes():
    rng = np.random.default_rng(8)
    scores, y = rng.normal(0.0, 2.0, size=(10, 4)), rng.integers(0, 4, 10)
    expected = F.multi_margin_loss(t(scores), torch.tensor(y), reduction="none").numpy()
    np.testing.assert_allclose(lb.multiclass_hinge_loss(scores, y, reduction="none") / 4, expected, rtol=1e-12)
