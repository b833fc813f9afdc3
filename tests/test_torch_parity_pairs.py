"""The losses between pairs against torch in float64: values, and autograd gradients against
central differences of lossbook's losses, for every reduction, temperature and beta.

Skipped when torch is not installed. The torch side is written the way practitioners write these
losses: F.kl_div with log_target, F.cross_entropy over the similarity matrix and its transpose,
F.logsigmoid for SigLIP and the preference losses.
"""

from __future__ import annotations

import numpy as np
import pytest

import lossbook as lb

torch = pytest.importorskip("torch")
F = torch.nn.functional

VALUE_TOL = 1e-12
GRAD_RTOL, GRAD_ATOL = 1e-6, 1e-9


def assert_values(actual, expected):
    np.testing.assert_allclose(np.asarray(actual), expected.detach().numpy(), rtol=VALUE_TOL, atol=VALUE_TOL)


def assert_gradient(loss_of, x, tensor):
    """lossbook's loss, differentiated by central differences, against torch's autograd gradient."""
    np.testing.assert_allclose(lb.numerical_gradient(loss_of, x), tensor.grad.numpy(), rtol=GRAD_RTOL, atol=GRAD_ATOL)


def torch_distillation(s, t, T, reduction):
    torch_reduction = "sum" if reduction == "none" else reduction
    out = F.kl_div(F.log_softmax(s / T, dim=-1), F.log_softmax(t / T, dim=-1), log_target=True,
                   reduction="none" if reduction == "none" else torch_reduction) * T**2
    return out.sum(dim=-1) if reduction == "none" else out


@pytest.mark.parametrize("T", [1.0, 2.0, 5.0, 20.0])
@pytest.mark.parametrize("reduction", ["batchmean", "sum", "none"])
def test_distillation_loss_matches_kl_div_times_t_squared(T, reduction):
    rng = np.random.default_rng(int(T))
    s, t = rng.normal(0, 4, (6, 5)), rng.normal(0, 4, (6, 5))
    st_, tt = torch.tensor(s, requires_grad=True), torch.tensor(t, requires_grad=True)
    expected = torch_distillation(st_, tt, T, reduction)
    assert_values(lb.distillation_loss(s, t, temperature=T, reduction=reduction), expected)
    expected.sum().backward()
    total = (lambda x: np.sum(x)) if reduction == "none" else (lambda x: x)
    assert_gradient(lambda v: total(lb.distillation_loss(v, t, temperature=T, reduction=reduction)), s, st_)
    assert_gradient(lambda v: total(lb.distillation_loss(s, v, temperature=T, reduction=reduction)), t, tt)


def test_kl_div_mean_divides_by_examples_times_classes():
    """The chapter's pitfall: "mean", kl_div's default, is "batchmean" divided by the number of classes."""
    rng = np.random.default_rng(7)
    s, t = torch.tensor(rng.normal(size=(8, 10))), torch.tensor(rng.normal(size=(8, 10)))
    args = (F.log_softmax(s, dim=-1), F.log_softmax(t, dim=-1))
    with pytest.warns(UserWarning, match="'mean' divides the total loss by both the batch size and the support size"):
        mean = F.kl_div(*args, log_target=True, reduction="mean")
    with pytest.warns(UserWarning, match="'mean' divides the total loss"):
        default = F.kl_div(*args, log_target=True)  # the slip needs no argument: "mean" is the default
    assert float(default) == float(mean)
    batchmean = F.kl_div(*args, log_target=True, reduction="batchmean")
    np.testing.assert_allclose(float(mean), float(batchmean) / 10, rtol=1e-14)
    np.testing.assert_allclose(float(batchmean), float(lb.distillation_loss(s.numpy(), t.numpy())), rtol=1e-12)
    # and the other pitfall: probabilities of the target in the first argument give another number
    swapped = F.kl_div(F.log_softmax(t, dim=-1), F.log_softmax(s, dim=-1), log_target=True, reduction="batchmean")
    assert abs(float(swapped) - float(batchmean)) > 1e-3


def torch_clip(a, b, tau):
    a, b = F.normalize(a, dim=-1), F.normalize(b, dim=-1)
    logits = a @ b.T / tau
    targets = torch.arange(len(a))
    return (F.cross_entropy(logits, targets) + F.cross_entropy(logits.T, targets)) / 2


@pytest.mark.parametrize("tau", [0.01, 0.07, 0.5, 1.0])
def test_clip_loss_matches_cross_entropy_both_ways(tau):
    rng = np.random.default_rng(int(100 * tau))
    a, b = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
    at, bt = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    expected = torch_clip(at, bt, tau)
    assert_values(lb.clip_loss(a, b, temperature=tau), expected)
    expected.backward()
    assert_gradient(lambda v: lb.clip_loss(v, b, temperature=tau), a, at)
    assert_gradient(lambda v: lb.clip_loss(a, v, temperature=tau), b, bt)


def test_clip_loss_gradient_with_respect_to_a_learnable_temperature():
    rng = np.random.default_rng(8)
    a, b = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    log_scale = torch.tensor(np.log(1 / 0.07), requires_grad=True)  # CLIP learns log(1/tau)
    torch_clip(torch.tensor(a), torch.tensor(b), 1 / log_scale.exp()).backward()
    slope = lb.numerical_gradient(lambda v: lb.clip_loss(a, b, temperature=float(np.exp(-v[0]))), [np.log(1 / 0.07)])
    np.testing.assert_allclose(slope[0], float(log_scale.grad), rtol=GRAD_RTOL)


def torch_siglip(a, b, t, bias):
    a, b = F.normalize(a, dim=-1), F.normalize(b, dim=-1)
    logits = t * a @ b.T + bias
    labels = 2 * torch.eye(len(a), dtype=logits.dtype) - 1
    return -F.logsigmoid(labels * logits).sum() / len(a)


@pytest.mark.parametrize("t, bias", [(10.0, -10.0), (1.0, 0.0), (30.0, -5.0), (1000.0, 3.0)])
def test_siglip_loss_matches_logsigmoid_over_every_pair(t, bias):
    rng = np.random.default_rng(int(t))
    a, b = rng.normal(size=(5, 4)), rng.normal(size=(5, 4))
    at, bt = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    expected = torch_siglip(at, bt, t, bias)
    assert_values(lb.siglip_loss(a, b, t=t, bias=bias), expected)
    expected.backward()
    assert_gradient(lambda v: lb.siglip_loss(v, b, t=t, bias=bias), a, at)
    assert_gradient(lambda v: lb.siglip_loss(a, v, t=t, bias=bias), b, bt)


def reduce_torch(x, reduction):
    return {"mean": x.mean, "sum": x.sum, "none": lambda: x}[reduction]()


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("scale", [1.0, 30.0, 1000.0])
def test_bradley_terry_loss_matches_minus_logsigmoid(reduction, scale):
    rng = np.random.default_rng(int(scale))
    rc, rr = rng.normal(0, scale, 12), rng.normal(0, scale, 12)
    ct, rt = torch.tensor(rc, requires_grad=True), torch.tensor(rr, requires_grad=True)
    expected = reduce_torch(-F.logsigmoid(ct - rt), reduction)
    assert_values(lb.bradley_terry_loss(rc, rr, reduction=reduction), expected)
    expected.sum().backward()
    total = np.sum if reduction == "none" else (lambda x: x)
    assert_gradient(lambda v: total(lb.bradley_terry_loss(v, rr, reduction=reduction)), rc, ct)
    assert_gradient(lambda v: total(lb.bradley_terry_loss(rc, v, reduction=reduction)), rr, rt)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("beta", [0.01, 0.1, 0.5, 5.0])
def test_dpo_loss_matches_the_reference_implementation_in_torch(reduction, beta):
    rng = np.random.default_rng(int(100 * beta))
    logps = [rng.normal(-80, 20, 10) for _ in range(4)]
    tensors = [torch.tensor(x, requires_grad=True) for x in logps]
    pc, pr, rc, rr = tensors
    expected = reduce_torch(-F.logsigmoid(beta * ((pc - pr) - (rc - rr))), reduction)
    assert_values(lb.dpo_loss(*logps, beta=beta, reduction=reduction), expected)
    expected.sum().backward()
    total = np.sum if reduction == "none" else (lambda x: x)
    for i, tensor in enumerate(tensors):
        def loss_of(v, i=i):
            args = list(logps)
            args[i] = v
            return total(lb.dpo_loss(*args, beta=beta, reduction=reduction))
        assert_gradient(loss_of, logps[i], tensor)
