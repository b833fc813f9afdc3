"""A NaN in any array a public function takes is refused under that argument's own name.

A function that hands its logits to softmax must not let softmax's parameter name (``z``) reach
the reader, who passed something called ``logits``. Every array argument of every call in
test_inputs_unchanged.CALLS gets a NaN in turn."""

from __future__ import annotations

import inspect
import re

import numpy as np
import pytest

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
