"""A NaN or an infinite maximum in any array a public function takes is refused under that
argument's own name, at its index in the array as given.

A function that hands its logits to softmax must not let softmax's parameter name (``z``) reach
the reader, who passed something called ``logits``. Every array argument of every call in
test_inputs_unchanged.CALLS gets a NaN in turn."""

from __future__ import annotations

import inspect
import re

import numpy as np
import pytest

import lossbook as lb

from test_inputs_unchanged import CALLS

CASES = [
    (name, position)
    for name, (_, args, _) in CALLS.items()
    for position, value in enumerate(args)
    if isinstance(value, np.ndarray) and value.dtype.kind == "f"
]


@pytest.mark.parametrize("name,position", CASES)
def test_nan_is_named_after_the_argument_it_is_in(name, position):
    function, args, kwargs = CALLS[name]
    poisoned = list(args)
    poisoned[position] = args[position].copy()
    poisoned[position].flat[-1] = np.nan
    parameter = list(inspect.signature(function).parameters)[position]
    with pytest.raises(ValueError, match=rf"^{re.escape(parameter)} contains NaN"):
        function(*poisoned, **kwargs)


@pytest.mark.parametrize("call", [
    lambda z: lb.softmax(z),
    lambda z: lb.log_softmax(z),
    lambda z: lb.logsumexp(z),
    lambda z: lb.cross_entropy(z, np.zeros(z.shape[:-1], dtype=int), from_logits=True),
    lambda z: lb.cross_entropy(z, np.full(z.shape, 1 / 3), from_logits=True),
    lambda z: lb.cross_entropy(z, np.zeros(z.shape[:-1], dtype=int), from_logits=True, label_smoothing=0.1),
], ids=["softmax", "log_softmax", "logsumexp", "cross_entropy index", "cross_entropy soft", "cross_entropy smoothed"])
def test_nan_is_located_in_the_callers_array_of_any_rank(call):
    z = np.zeros((2, 2, 3))
    z[1, 0, 2] = np.nan
    with pytest.raises(ValueError, match=r"contains NaN \(first at index \(1, 0, 2\)\)"):
        call(z)


def test_nan_is_located_along_any_class_axis():
    z = np.zeros((3, 2))
    z[1, 0] = np.nan
    with pytest.raises(ValueError, match=r"z contains NaN \(first at index \(1, 0\)\)"):
        lb.softmax(z, axis=0)


@pytest.mark.parametrize("call,name", [
    (lambda z: lb.focal_loss(z, [0]), "logits"),
    (lambda z: lb.focal_loss_grad(z, [0]), "logits"),
    (lambda z: lb.cross_entropy_grad(z, [0]), "logits"),
    (lambda z: lb.softmax_squared_error(z, [0]), "logits"),
    (lambda z: lb.distillation_loss(z, [[0.0, 0.0, 0.0]]), "student_logits"),
    (lambda z: lb.distillation_loss([[0.0, 0.0, 0.0]], z), "teacher_logits"),
], ids=["focal_loss", "focal_loss_grad", "cross_entropy_grad", "softmax_squared_error", "student", "teacher"])
def test_an_infinite_logit_is_named_after_the_argument_it_is_in(call, name):
    with pytest.raises(ValueError, match=rf"^(row 0 of {name} has maximum |{name} contains \+)inf.*np\.clip\({name}, "):
        call(np.array([[1.0, np.inf, 0.0]]))


def test_logits_a_float_range_apart_give_exact_probabilities_without_a_warning():
    # pytest turns warnings into errors here (pyproject's filterwarnings).
    np.testing.assert_array_equal(lb.softmax([1e308, -1e308]), [1.0, 0.0])
    np.testing.assert_array_equal(lb.log_softmax([1e308, -1e308]), [0.0, -np.inf])
    assert lb.cross_entropy([[1e308, -1e308]], [0], from_logits=True) == 0.0
