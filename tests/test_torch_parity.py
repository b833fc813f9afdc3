"""Agreement with torch.nn.functional in float64, values and autograd gradients, to 1e-11.

Skipped when torch is not installed; it is an independent implementation of the same maths.
"""

from __future__ import annotations

import numpy as np
import pytest

import lossbook as lb

torch = pytest.importorskip("torch")
F = torch.nn.functional

TOL = 1e-11


def assert_close(actual, expected):
    np.testing.assert_allclose(np.asarray(actual), np.asarray(expected), rtol=TOL, atol=TOL)


def _problem(scale, seed, n=32, k=10):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, k)) * scale, rng.integers(0, k, n), rng.dirichlet(np.ones(k), n)


@pytest.mark.parametrize("scale", [1.0, 10.0, 100.0])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_with_index_targets(scale, reduction):
    z, labels, _ = _problem(scale, seed=int(scale))
    zt = torch.tensor(z, requires_grad=True)
    expected = F.cross_entropy(zt, torch.tensor(labels), reduction=reduction)
    assert_close(lb.cross_entropy(z, labels, from_logits=True, reduction=reduction), expected.detach())
    expected.sum().backward()
    grad_reduction = "sum" if reduction == "none" else reduction
    assert_close(lb.cross_entropy_grad(z, labels, reduction=grad_reduction), zt.grad)


@pytest.mark.parametrize("scale", [1.0, 10.0, 100.0])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_cross_entropy_with_soft_targets(scale, reduction):
    z, _, soft = _problem(scale, seed=10 + int(scale))
    zt = torch.tensor(z, requires_grad=True)
    expected = F.cross_entropy(zt, torch.tensor(soft), reduction=reduction)
    assert_close(lb.cross_entropy(z, soft, from_logits=True, reduction=reduction), expected.detach())
    expected.backward()
    assert_close(lb.cross_entropy_grad(z, soft, reduction=reduction), zt.grad)


def test_cross_entropy_from_probabilities_matches_nll_of_log():
    z, labels, soft = _problem(3.0, seed=3)
    p = lb.softmax(z)
    pt = torch.tensor(p)
    assert_close(lb.cross_entropy(p, labels), F.nll_loss(torch.log(pt), torch.tensor(labels)))
    assert_close(lb.cross_entropy(p, soft), F.cross_entropy(torch.log(pt), torch.tensor(soft)))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_binary_cross_entropy_from_probabilities(reduction):
    rng = np.random.default_rng(4)
    p, y = rng.uniform(0.01, 0.99, 50), rng.uniform(0, 1, 50)
    expected = F.binary_cross_entropy(torch.tensor(p), torch.tensor(y), reduction=reduction)
    assert_close(lb.binary_cross_entropy(p, y, reduction=reduction), expected)


@pytest.mark.parametrize("scale", [1.0, 10.0, 30.0])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_binary_cross_entropy_with_logits_and_its_gradient(scale, reduction):
    rng = np.random.default_rng(int(scale))
    z, y = rng.standard_normal(50) * scale, rng.integers(0, 2, 50).astype(float)
    y[::3] = rng.uniform(0, 1, len(y[::3]))                           # some soft labels
    zt = torch.tensor(z, requires_grad=True)
    expected = F.binary_cross_entropy_with_logits(zt, torch.tensor(y), reduction=reduction)
    assert_close(lb.binary_cross_entropy(z, y, from_logits=True, reduction=reduction), expected.detach())
    expected.backward()
    assert_close(lb.binary_cross_entropy_grad(z, y, reduction=reduction), zt.grad)


def test_binary_cross_entropy_through_sigmoid_has_the_same_gradient():
    # Autograd through sigmoid then binary_cross_entropy reaches the logits gradient sigma(z) - y.
    rng = np.random.default_rng(5)
    z, y = rng.standard_normal(20) * 3, rng.integers(0, 2, 20).astype(float)
    zt = torch.tensor(z, requires_grad=True)
    loss = F.binary_cross_entropy(torch.sigmoid(zt), torch.tensor(y))
    loss.backward()
    assert_close(lb.binary_cross_entropy(lb.sigmoid(z), y), loss.detach())
    assert_close(lb.binary_cross_entropy_grad(z, y), zt.grad)


def test_activations():
    z, _, _ = _problem(50.0, seed=6)
    zt = torch.tensor(z)
    assert_close(lb.softmax(z), torch.softmax(zt, dim=-1))
    assert_close(lb.log_softmax(z), torch.log_softmax(zt, dim=-1))
    assert_close(lb.logsumexp(z), torch.logsumexp(zt, dim=-1))
    assert_close(lb.sigmoid(z), torch.sigmoid(zt))
    assert_close(lb.log_sigmoid(z), F.logsigmoid(zt))
