"""Every statement the frameworks chapter makes about JAX and Optax, checked against them.

JAX runs in float64 here (``jax_enable_x64``), so its numbers are compared with lossbook's to
float64 precision. They need requirements-frameworks.txt, which `make test` installs; they are
never skipped. `pytest -k optax` or `-k jax` selects them.
"""

from __future__ import annotations

import re
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import lossbook as lb
from frameworks_glue import glued

jax.config.update("jax_enable_x64", True)

CHAPTER = (Path(__file__).resolve().parent.parent / "chapters" / "frameworks.md").read_text(encoding="utf-8")
RNG_SEED = 2026


def logits_and_labels(n=6, k=4, seed=RNG_SEED):
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, 3.0, size=(n, k)), rng.integers(0, k, size=n)


def test_optax_softmax_cross_entropy_takes_logits_and_distributions_one_loss_per_example():
    logits, _ = logits_and_labels()
    soft = np.random.default_rng(1).dirichlet(np.ones(4), size=6)
    got = np.asarray(optax.softmax_cross_entropy(jnp.asarray(logits), jnp.asarray(soft)))
    assert got.shape == (6,)                              # no reduction: one loss per example
    np.testing.assert_allclose(got, lb.cross_entropy(logits, soft, from_logits=True, reduction="none"),
                               rtol=1e-12)


def test_optax_integer_label_loss_takes_logits_and_indices():
    logits, labels = logits_and_labels()
    got = np.asarray(optax.softmax_cross_entropy_with_integer_labels(jnp.asarray(logits), jnp.asarray(labels)))
    assert got.shape == (6,)
    np.testing.assert_allclose(got, lb.cross_entropy(logits, labels, from_logits=True, reduction="none"),
                               rtol=1e-12)


def test_jax_one_hot_labels_make_the_distribution_loss_equal_the_integer_one():
    logits, labels = logits_and_labels()
    one_hot = optax.softmax_cross_entropy(jnp.asarray(logits), jax.nn.one_hot(jnp.asarray(labels), 4))
    by_index = optax.softmax_cross_entropy_with_integer_labels(jnp.asarray(logits), jnp.asarray(labels))
    np.testing.assert_allclose(np.asarray(one_hot), np.asarray(by_index), rtol=1e-12)


def test_optax_softmax_applied_twice_has_the_floor():
    # The model's softmax output fed to a loss that wants logits: never below ln(1 + (K-1)/e).
    k = 10
    perfect = jnp.asarray(lb.one_hot(np.arange(k), k))        # the best possible softmax output
    got = np.asarray(optax.softmax_cross_entropy_with_integer_labels(perfect, jnp.arange(k)))
    np.testing.assert_allclose(got, np.log1p((k - 1) / np.e), rtol=1e-12)
    logits, labels = logits_and_labels(n=50, k=k)
    doubled = optax.softmax_cross_entropy_with_integer_labels(jax.nn.softmax(jnp.asarray(logits)),
                                                              jnp.asarray(labels))
    assert np.all(np.asarray(doubled) >= np.log1p((k - 1) / np.e) * (1 - 1e-12))


def test_optax_integer_labels_broadcast_into_every_class_without_an_error():
    # The chapter's cell: loss = y * sum_j -ln p_j, and 0 for every example of class 0.
    logits, _ = logits_and_labels(k=4)
    labels = np.array([0, 2, 1, 0, 3, 0])
    got = np.asarray(optax.softmax_cross_entropy(jnp.asarray(logits), jnp.asarray(labels)[:, None]))
    probs = lb.softmax(logits)
    sum_of_surprisals = 4 * lb.cross_entropy(probs, np.full((6, 4), 0.25), reduction="none")
    np.testing.assert_allclose(got, labels * sum_of_surprisals, rtol=1e-12, atol=1e-300)
    assert np.all(got[labels == 0] == 0.0)


def test_optax_out_of_range_label_gives_nan_without_an_error():
    logits, _ = logits_and_labels(n=3, k=3)
    got = np.asarray(optax.softmax_cross_entropy_with_integer_labels(jnp.asarray(logits), jnp.array([1, 2, 3])))
    assert np.all(np.isfinite(got[:2]))
    assert np.isnan(got[2])


def test_jax_take_along_axis_returns_nan_for_an_index_out_of_bounds():
    picked = jnp.take_along_axis(jnp.asarray([[1.0, 2.0, 3.0]]), jnp.array([[3]]), axis=1)
    assert np.isnan(np.asarray(picked)).all()


def test_optax_smooth_labels_is_the_shared_formula():
    eps, k = 0.1, 10
    target = jax.nn.one_hot(jnp.array([0, 7]), k)
    got = np.asarray(optax.smooth_labels(target, eps))
    np.testing.assert_allclose(got, (1 - eps) * lb.one_hot([0, 7], k) + eps / k, rtol=1e-15)
    # and the smoothed loss is lossbook's label_smoothing
    logits, _ = logits_and_labels(n=2, k=k)
    smoothed_loss = optax.softmax_cross_entropy(jnp.asarray(logits), optax.smooth_labels(target, eps))
    np.testing.assert_allclose(np.asarray(smoothed_loss),
                               lb.cross_entropy(logits, [0, 7], from_logits=True, label_smoothing=eps,
                                                reduction="none"), rtol=1e-12)


def test_optax_sigmoid_binary_cross_entropy_takes_logits_and_has_no_cap():
    z = np.array([-150.0, -3.0, 0.0, 2.5, 38.0])
    y = np.array([1.0, 0.25, 1.0, 0.0, 0.0])
    got = np.asarray(optax.sigmoid_binary_cross_entropy(jnp.asarray(z), jnp.asarray(y)))
    np.testing.assert_allclose(got, lb.binary_cross_entropy(z, y, from_logits=True, reduction="none"), rtol=1e-12)
    assert got[0] == pytest.approx(150.0, rel=1e-12)


def test_optax_multiclass_hinge_loss_is_the_largest_violation():
    # The chapter's scores: the Crammer-Singer form gives 2.9 and 1.5 where the sum gives 2.9 and 2.3.
    scores = np.array([[3.2, 5.1, -1.7], [1.0, 1.5, 0.8]])
    got = np.asarray(optax.losses.multiclass_hinge_loss(jnp.asarray(scores), jnp.array([0, 0])))
    np.testing.assert_allclose(got, [2.9, 1.5], rtol=1e-12)
    np.testing.assert_allclose(lb.multiclass_hinge_loss(scores, [0, 0], reduction="none"), [2.9, 2.3], rtol=1e-12)


def test_jax_and_optax_names_in_the_chapter_exist():
    modules = {"optax": optax, "jax": jax, "jnp": jnp}
    names = sorted(set(re.findall(r"\b(optax|jax|jnp)((?:\.\w+)+)", CHAPTER)))
    assert names, "the chapter names no JAX or Optax function: has the pattern changed?"
    missing = []
    for module, dotted in names:
        obj = modules[module]
        for part in dotted.strip(".").split("."):
            obj = getattr(obj, part, None)
        if obj is None:
            missing.append(module + dotted)
    assert not missing, f"the chapter names what this JAX/Optax does not have: {missing}"


# --- JAX autograd as an independent reference for lossbook's gradients --------------------------


def test_jax_grad_matches_lossbook_cross_entropy_grad_with_every_option():
    logits, labels = logits_and_labels(n=8, k=5)
    labels[3] = -100
    weight = np.array([4.0, 1.0, 0.25, 2.0, 0.5])

    def loss(z):
        # PyTorch's definition: class j's weight multiplies its share of the smoothed target, and
        # the mean divides by the weights of the true classes of the examples kept.
        kept = jnp.asarray(labels != -100)
        safe = jnp.where(kept, jnp.asarray(labels), 0)
        target = 0.9 * jax.nn.one_hot(safe, z.shape[1]) + 0.1 / z.shape[1]
        terms = -jnp.sum(jnp.asarray(weight) * target * jax.nn.log_softmax(z), axis=1)
        return jnp.sum(terms * kept) / jnp.sum(jnp.asarray(weight)[safe] * kept)

    expected = np.asarray(jax.grad(loss)(jnp.asarray(logits)))
    got = lb.cross_entropy_grad(logits, labels, weight=weight, label_smoothing=0.1, ignore_index=-100)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-15)


def test_jax_grad_matches_lossbook_binary_cross_entropy_grad_with_weights():
    rng = np.random.default_rng(11)
    z, y = rng.normal(0.0, 5.0, size=(16, 3)), rng.integers(0, 2, size=(16, 3)).astype(float)
    w, c = rng.uniform(0.0, 3.0, size=(16, 3)), np.array([0.5, 4.0, 19.0])

    def loss(logits):
        terms = c * y * jax.nn.softplus(-logits) + (1 - y) * jax.nn.softplus(logits)
        return jnp.mean(w * terms)

    expected = np.asarray(jax.grad(loss)(jnp.asarray(z)))
    np.testing.assert_allclose(lb.binary_cross_entropy_grad(z, y, weight=w, pos_weight=c), expected,
                               rtol=1e-10, atol=1e-15)


def test_jax_grad_of_softmax_applied_twice_has_the_length_the_chapter_glues():
    # The chapter's confidently wrong example: ten classes, true class 0, a logit of 5 on class 3.
    wrong = np.zeros((1, 10))
    wrong[0, 3] = 5.0
    label = jnp.array([0])

    def right(z):
        return optax.softmax_cross_entropy_with_integer_labels(z, label).sum()

    def doubled(z):
        return optax.softmax_cross_entropy_with_integer_labels(jax.nn.softmax(z), label).sum()

    right_length = np.linalg.norm(np.asarray(jax.grad(right)(jnp.asarray(wrong))))
    doubled_length = np.linalg.norm(np.asarray(jax.grad(doubled)(jnp.asarray(wrong))))
    assert right_length == pytest.approx(glued("fw_double_right_grad"), rel=1e-12)
    assert doubled_length == pytest.approx(glued("fw_double_wrong_grad"), rel=1e-6)
    assert doubled_length < right_length / 10
