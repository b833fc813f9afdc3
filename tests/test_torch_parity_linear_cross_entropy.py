"""linear_cross_entropy against torch: F.cross_entropy(h @ W.T + b) and its autograd gradients.

Skipped when torch is not installed, as the other torch parity tests are.
"""

from __future__ import annotations

import numpy as np
import pytest

import lossbook as lb

torch = pytest.importorskip("torch")
F = torch.nn.functional

TOL = 1e-11


def inputs(seed, shape=(24,), d=6, v=50, scale=3.0, pad=False):
    rng = np.random.default_rng(seed)
    h = rng.standard_normal((*shape, d)) * scale
    w, b = rng.standard_normal((v, d)), rng.standard_normal(v)
    y = rng.integers(0, v, shape)
    if pad:
        y.reshape(-1)[::3] = -100
    return h, w, b, y


def torch_reference(h, w, b, y, reduction, ignore_index=-100):
    ht, wt, bt = (torch.tensor(a, requires_grad=True) for a in (h, w, b))
    logits = ht @ wt.T + (0 if b is None else bt)
    # torch wants the class axis second for (B, T, V) logits: flatten instead, as the chapter does.
    loss = F.cross_entropy(logits.reshape(-1, w.shape[0]), torch.tensor(y).reshape(-1),
                           ignore_index=ignore_index, reduction=reduction)
    loss.sum().backward()
    value = loss.detach().numpy()
    return (value.reshape(y.shape) if reduction == "none" else value), ht.grad.numpy(), wt.grad.numpy(), bt.grad.numpy()


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("shape", [(24,), (3, 8)], ids=["tokens", "batch-time"])
@pytest.mark.parametrize("pad", [False, True], ids=["all", "ignore_index"])
@pytest.mark.parametrize("chunk_size", [None, 1, 7])
def test_values_and_gradients_equal_torch(reduction, shape, pad, chunk_size):
    h, w, b, y = inputs(sum(shape) + pad, shape=shape, pad=pad)
    kwargs = {"bias": b, "reduction": reduction, "chunk_size": chunk_size, "ignore_index": -100 if pad else None}
    value, d_h, d_w, d_b = torch_reference(h, w, b, y, reduction)
    np.testing.assert_allclose(lb.linear_cross_entropy(h, w, y, **kwargs), value, rtol=TOL, atol=TOL)
    for got, expected in zip(lb.linear_cross_entropy_grad(h, w, y, **kwargs), (d_h, d_w, d_b)):
        assert got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=TOL, atol=TOL)


def test_without_bias_two_gradients_come_back():
    h, w, b, y = inputs(11)
    ht, wt = (torch.tensor(a, requires_grad=True) for a in (h, w))
    F.cross_entropy(ht @ wt.T, torch.tensor(y)).backward()
    grads = lb.linear_cross_entropy_grad(h, w, y)
    assert len(grads) == 2
    np.testing.assert_allclose(grads[0], ht.grad.numpy(), rtol=TOL, atol=TOL)
    np.testing.assert_allclose(grads[1], wt.grad.numpy(), rtol=TOL, atol=TOL)


def test_float32_agrees_with_torch_float32_to_float32_rounding():
    h, w, b, y = (a.astype(np.float32) if a.dtype == np.float64 else a for a in inputs(12, v=5000, scale=1.0))
    expected = F.cross_entropy(torch.from_numpy(h) @ torch.from_numpy(w).T + torch.from_numpy(b), torch.from_numpy(y))
    assert float(lb.linear_cross_entropy(h, w, y, bias=b)) == pytest.approx(float(expected), rel=1e-6)
