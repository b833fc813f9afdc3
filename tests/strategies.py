"""Hypothesis strategies shared by the test modules."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays


@st.composite
def distribution(draw, k: int, min_value: float = 0.0) -> np.ndarray:
    """A probability vector of length ``k`` (entries normalised from draws in [min_value, 1])."""
    w = draw(arrays(np.float64, k, elements=st.floats(min_value, 1.0)))
    if w.sum() == 0:
        w[0] = 1.0
    return w / w.sum()
