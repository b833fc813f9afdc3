"""The widgets' Python side, without a browser: traits, the loss they keep up to date, the state
they send to the front end, and the errors readers get for bad values.

Expected losses come from their definitions evaluated in 40-digit arithmetic (mpmath), not from
the functions the widgets call."""

from __future__ import annotations

import json
import math

import mpmath
import numpy as np
import pytest
import traitlets
from hypothesis import given, settings
from hypothesis import strategies as st

from lossbook.widgets import BernoulliExplorer, ConfidenceSlider, SoftmaxExplorer

mpmath.mp.dps = 40
REL = 1e-12


def close(actual: float, expected: mpmath.mpf) -> bool:
    if mpmath.isinf(expected):
        return actual == math.inf
    return math.isclose(actual, float(expected), rel_tol=REL, abs_tol=0.0)


def bce_reference(p: float, y: float) -> mpmath.mpf:
    p_, y_ = mpmath.mpf(p), mpmath.mpf(y)
    return mpmath.fsum(w * -mpmath.log(q) for w, q in ((y_, p_), (1 - y_, 1 - p_)) if w != 0)


def softmax_reference(logits, target):
    z = [mpmath.mpf(v) for v in logits]
    total = mpmath.fsum(mpmath.exp(v) for v in z)
    probabilities = [mpmath.exp(v) / total for v in z]
    return mpmath.log(total) - z[target], probabilities


# --- ConfidenceSlider -------------------------------------------------------------------------------

def test_confidence_slider_defaults_to_p_0_9_and_its_loss():
    w = ConfidenceSlider()
    assert w.p == 0.9
    assert close(w.loss, -mpmath.log(mpmath.mpf("0.9")))
    assert close(w.bits, -mpmath.log(mpmath.mpf("0.9"), 2))


@settings(max_examples=60, deadline=None)
@given(st.floats(0.001, 1.0))
def test_confidence_slider_loss_is_minus_log_p_in_nats_and_bits(p):
    w = ConfidenceSlider(p=0.5)
    w.p = p
    assert close(w.loss, -mpmath.log(mpmath.mpf(p)))
    assert close(w.bits, -mpmath.log(mpmath.mpf(p), 2))


def test_hand_worked_values():
    # -ln 0.5 = ln 2 nats = 1 bit; -log2 0.25 = 2 bits.
    assert close(ConfidenceSlider(p=0.5).bits, mpmath.mpf(1))
    assert close(ConfidenceSlider(p=0.25).bits, mpmath.mpf(2))
    assert ConfidenceSlider(p=1.0).loss == 0.0


def test_p_zero_gives_infinite_loss_and_json_safe_state():
    w = ConfidenceSlider(p=0.0)
    assert w.loss == math.inf and w.bits == math.inf
    state = w.get_state()
    assert state["loss"] is None  # JSON has no Infinity; the browser computes its own
    json.dumps({k: v for k, v in state.items()}, allow_nan=False)


def test_a_slider_move_from_the_front_end_updates_loss():
    w = ConfidenceSlider()
    w.set_state({"p": 0.25})  # what ipywidgets does with the front end's message
    assert w.p == 0.25
    assert close(w.loss, 2 * mpmath.log(2))


@pytest.mark.parametrize("bad", [-0.1, 1.5, math.nan, math.inf])
def test_confidence_slider_rejects_p_outside_0_1_with_a_message_that_says_why(bad):
    with pytest.raises(traitlets.TraitError, match=r"p must be in \[0, 1\], got .*p=0\.9"):
        ConfidenceSlider(p=bad)
    w = ConfidenceSlider()
    with pytest.raises(traitlets.TraitError, match=repr(bad).replace("(", r"\(")):
        w.p = bad
    assert w.p == 0.9 and close(w.loss, -mpmath.log(mpmath.mpf("0.9")))


def test_loss_is_read_only():
    with pytest.raises(traitlets.TraitError):
        ConfidenceSlider().loss = 0.0


# --- BernoulliExplorer ------------------------------------------------------------------------------

def test_bernoulli_defaults():
    w = BernoulliExplorer()
    assert (w.p, w.y) == (0.7, 1.0)
    assert close(w.loss, -mpmath.log(mpmath.mpf("0.7")))
    assert math.isclose(w.likelihood, 0.7, rel_tol=REL)


@settings(max_examples=80, deadline=None)
@given(st.floats(0.001, 0.999), st.floats(0.0, 1.0))
def test_bernoulli_loss_and_likelihood_for_hard_and_soft_labels(p, y):
    w = BernoulliExplorer(p=p, y=y)
    assert close(w.loss, bce_reference(p, y))
    p_, y_ = mpmath.mpf(p), mpmath.mpf(y)
    assert close(w.likelihood, p_ ** y_ * (1 - p_) ** (1 - y_))


def test_bernoulli_likelihood_and_loss_are_two_views_of_one_number():
    # For a hard label the loss is minus the log of the likelihood.
    for p, y in [(0.2, 1.0), (0.2, 0.0), (0.93, 1.0)]:
        w = BernoulliExplorer(p=p, y=y)
        assert math.isclose(w.loss, -math.log(w.likelihood), rel_tol=1e-12)


@pytest.mark.parametrize("p, y, loss", [(0.0, 1.0, math.inf), (1.0, 0.0, math.inf), (1.0, 1.0, 0.0), (0.0, 0.0, 0.0)])
def test_bernoulli_edges(p, y, loss):
    assert BernoulliExplorer(p=p, y=y).loss == loss


def test_bernoulli_updates_on_either_trait():
    w = BernoulliExplorer(p=0.7, y=1.0)
    w.y = 0.0
    assert close(w.loss, -mpmath.log(mpmath.mpf(1) - mpmath.mpf("0.7")))
    w.set_state({"p": 0.5})
    assert close(w.loss, mpmath.log(2))


@pytest.mark.parametrize("kwargs, pattern", [
    ({"p": 1.2}, r"p must be in \[0, 1\], got 1\.2"),
    ({"y": -1.0}, r"y must be in \[0, 1\], got -1\.0; pass a label such as y=1\.0"),
    ({"y": 2.0}, r"got 2\.0"),
])
def test_bernoulli_rejects_bad_values(kwargs, pattern):
    with pytest.raises(traitlets.TraitError, match=pattern):
        BernoulliExplorer(**kwargs)


# --- SoftmaxExplorer --------------------------------------------------------------------------------

def test_softmax_defaults():
    w = SoftmaxExplorer()
    assert w.logits == [5.0, 4.0, 2.0] and w.target == 0
    loss, probabilities = softmax_reference([5, 4, 2], 0)
    assert close(w.loss, loss)
    assert all(close(a, b) for a, b in zip(w.probabilities, probabilities))


finite_logits = st.lists(st.floats(-60, 60), min_size=3, max_size=3)


@settings(max_examples=80, deadline=None)
@given(finite_logits, st.integers(0, 2))
def test_softmax_loss_probabilities_and_gradient(logits, target):
    w = SoftmaxExplorer(logits=logits, target=target)
    loss, probabilities = softmax_reference(logits, target)
    # Relative 1e-12, or, when the loss is tiny, a few ulps of the largest logit: the rounding of
    # a log-sum-exp that subtracts numbers of that size.
    ulps = 4 * 2.0**-52 * max(1.0, *map(abs, logits))
    assert math.isclose(w.loss, float(loss), rel_tol=REL, abs_tol=ulps)
    for k in range(3):
        expected = probabilities[k] - (1 if k == target else 0)
        assert abs(w.gradient[k] - float(expected)) <= 1e-15
        assert abs(w.probabilities[k] - float(probabilities[k])) <= 1e-15


def test_softmax_gradient_by_hand():
    # Equal logits: p = 1/3 each, so the gradient is (1/3, 1/3, -2/3) for target 2, and loss ln 3.
    w = SoftmaxExplorer(logits=[1.0, 1.0, 1.0], target=2)
    assert close(w.loss, mpmath.log(3))
    assert w.gradient == pytest.approx([1 / 3, 1 / 3, -2 / 3], abs=1e-15)


def test_softmax_does_not_keep_or_modify_the_callers_list():
    logits = [1.0, 2.0, 3.0]
    w = SoftmaxExplorer(logits=logits)
    w.logits = [0.0, 0.0, 0.0]
    assert logits == [1.0, 2.0, 3.0]


def test_softmax_updates_when_the_front_end_moves_a_slider_or_picks_a_class():
    w = SoftmaxExplorer()
    w.set_state({"logits": [0, 0, 0]})  # JSON numbers may arrive as ints
    assert w.logits == [0.0, 0.0, 0.0] and close(w.loss, mpmath.log(3))
    w.set_state({"target": 1, "logits": [0.0, 2.0, 0.0]})
    assert close(w.loss, softmax_reference([0, 2, 0], 1)[0])


@pytest.mark.parametrize("kwargs, pattern", [
    ({"logits": [1.0, 2.0]}, r"logits must be 3 finite numbers, got \[1\.0, 2\.0\]; pass e\.g\. logits="),
    ({"logits": [1.0, 2.0, 3.0, 4.0]}, r"got \[1\.0, 2\.0, 3\.0, 4\.0\]"),
    ({"logits": [1.0, math.nan, 0.0]}, r"finite"),
    ({"target": 3}, r"target must be a class index 0, 1 or 2, got 3; pass e\.g\. target=0"),
    ({"target": -1}, r"got -1"),
])
def test_softmax_rejects_bad_values(kwargs, pattern):
    with pytest.raises(traitlets.TraitError, match=pattern):
        SoftmaxExplorer(**kwargs)


def test_softmax_takes_numpy_inputs_but_not_a_fractional_class():
    w = SoftmaxExplorer(logits=np.array([0.0, 2.0, 0.0]), target=np.int64(1))
    assert w.target == 1 and close(w.loss, softmax_reference([0, 2, 0], 1)[0])
    with pytest.raises(TypeError, match=r"target must be an integer class index 0, 1 or 2, got 1\.5"):
        SoftmaxExplorer(target=1.5)


# --- the browser code each widget ships -----------------------------------------------------------

@pytest.mark.parametrize("cls", [ConfidenceSlider, BernoulliExplorer, SoftmaxExplorer])
def test_each_widget_ships_one_module_with_the_shared_maths(cls):
    esm = str(cls._esm)
    assert esm.count("export default") == 1
    assert "function softmaxCrossEntropy" in esm and "function rangeControl" in esm
    assert ".lossbook-widget" in str(cls._css)
