"""one_hot and from_one_hot."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lossbook as lb


def test_one_hot_rows_are_distributions_on_the_labelled_class():
    np.testing.assert_array_equal(lb.one_hot([2, 0], num_classes=4), [[0, 0, 1, 0], [1, 0, 0, 0]])
    assert lb.one_hot([2, 0]).shape == (2, 3)
    assert lb.one_hot([1]).dtype == np.float64


def test_one_hot_keeps_leading_shape_and_accepts_whole_floats():
    assert lb.one_hot(np.zeros((2, 3), dtype=int), num_classes=5).shape == (2, 3, 5)
    np.testing.assert_array_equal(lb.one_hot([1.0, 0.0]), [[0, 1], [1, 0]])


def test_one_hot_of_no_labels_needs_num_classes():
    assert lb.one_hot([], num_classes=3).shape == (0, 3)
    with pytest.raises(ValueError, match=r"labels is empty.*num_classes=3"):
        lb.one_hot([])


@settings(max_examples=60, deadline=None)
@given(labels=st.lists(st.integers(0, 9), min_size=1, max_size=20))
def test_round_trip(labels):
    np.testing.assert_array_equal(lb.from_one_hot(lb.one_hot(labels, num_classes=10)), labels)


def test_label_out_of_range():
    with pytest.raises(ValueError, match=r"labels contains class index 3 but there are only 3 classes"):
        lb.one_hot([0, 3], num_classes=3)


def test_negative_label():
    with pytest.raises(ValueError, match=r"labels must be non-negative class indices, got -2"):
        lb.one_hot([-2, 1])


def test_fractional_label():
    with pytest.raises(ValueError, match=r"labels must be whole-number class indices, got 1\.5"):
        lb.one_hot([1.5])


def test_string_labels():
    with pytest.raises(TypeError, match=r"labels must be integer class indices, got an array of dtype <U3.*0, 1, 2"):
        lb.one_hot(["cat", "dog"])


@pytest.mark.parametrize("num_classes, error", [(2.5, TypeError), ("3", TypeError), (0, ValueError)])
def test_bad_num_classes(num_classes, error):
    with pytest.raises(error, match=r"num_classes must be"):
        lb.one_hot([0], num_classes=num_classes)


def test_from_one_hot_refuses_soft_rows_and_suggests_argmax():
    with pytest.raises(ValueError, match=r"row 1 of y is not one-hot.*np\.argmax\(y, axis=-1\)"):
        lb.from_one_hot([[1, 0], [0.5, 0.5]])


def test_from_one_hot_refuses_a_scalar():
    with pytest.raises(ValueError, match=r"y is a single number"):
        lb.from_one_hot(1.0)


@pytest.mark.parametrize("flag", [True, np.True_])
def test_num_classes_true_is_refused_not_read_as_one(flag):
    with pytest.raises(TypeError, match=r"^num_classes must be an integer such as 3, got (np\.)?True_?$"):
        lb.one_hot([0], num_classes=flag)
