"""FocalLossExplorer's Python side, without a browser: its traits, the loss it keeps up to date,
the state it sends to the front end, and the errors readers get for bad values.

Expected losses come from the focal loss's definition -α (1 - p_t)^γ ln p_t (Lin et al., 2017)
evaluated in 40-digit arithmetic (mpmath), or from values worked out by hand."""

from __future__ import annotations

import json
import math

import mpmath
import pytest
import traitlets
from hypothesis import given, settings
from hypothesis import strategies as st

from lossbook.widgets import FocalLossExplorer

mpmath.mp.dps = 40
REL = 1e-12


def focal_reference(p_t: float, gamma: float, alpha: float) -> mpmath.mpf:
    p, g, a = mpmath.mpf(p_t), mpmath.mpf(gamma), mpmath.mpf(alpha)
    weight = a * (1 - p) ** g  # mpmath's 0**0 is 1
    if weight == 0:
        return mpmath.mpf(0)
    return weight * (mpmath.inf if p == 0 else -mpmath.log(p))


def close(actual: float, expected: mpmath.mpf) -> bool:
    if mpmath.isinf(expected):
        return actual == math.inf
    return math.isclose(actual, float(expected), rel_tol=REL, abs_tol=0.0)


def test_defaults_are_the_papers_gamma_and_alpha():
    w = FocalLossExplorer()
    assert (w.gamma, w.alpha, w.p_t) == (2.0, 0.25, 0.3)
    assert close(w.loss, focal_reference(0.3, 2.0, 0.25))


@settings(max_examples=100, deadline=None)
@given(st.floats(0.001, 1.0), st.floats(0.0, 5.0), st.floats(0.0, 1.0))
def test_loss_is_the_focal_loss_for_every_slider_position(p_t, gamma, alpha):
    w = FocalLossExplorer(gamma=gamma, alpha=alpha, p_t=p_t)
    assert close(w.loss, focal_reference(p_t, gamma, alpha))


def test_hand_worked_values():
    # gamma = 0, alpha = 1: cross-entropy, ln 2 at p_t = 1/2.
    assert close(FocalLossExplorer(gamma=0.0, alpha=1.0, p_t=0.5).loss, mpmath.log(2))
    # gamma = 2 at p_t = 0.9 discounts by (0.1)^2 = 1/100, alpha = 0.25 by another 4.
    assert close(FocalLossExplorer(gamma=2.0, alpha=0.25, p_t=0.9).loss,
                 -mpmath.log(mpmath.mpf("0.9")) / 400)
    assert FocalLossExplorer(p_t=1.0).loss == 0.0
    assert FocalLossExplorer(gamma=0.0, p_t=1.0).loss == 0.0


@settings(max_examples=60, deadline=None)
@given(st.floats(0.001, 0.999), st.floats(0.0, 5.0), st.floats(0.01, 1.0))
def test_focal_loss_never_exceeds_alpha_times_cross_entropy(p_t, gamma, alpha):
    focal = FocalLossExplorer(gamma=gamma, alpha=alpha, p_t=p_t).loss
    plain = FocalLossExplorer(gamma=0.0, alpha=1.0, p_t=p_t).loss
    assert focal <= alpha * plain * (1 + 1e-15)


def test_p_zero_is_infinite_unless_alpha_is_zero_and_the_state_stays_json():
    w = FocalLossExplorer(p_t=0.0)
    assert w.loss == math.inf
    assert w.get_state()["loss"] is None  # JSON has no Infinity; the browser computes its own
    json.dumps(w.get_state(), allow_nan=False)
    w.alpha = 0.0
    assert w.loss == 0.0


def test_a_move_from_the_front_end_updates_the_loss():
    w = FocalLossExplorer()
    w.set_state({"gamma": 0, "alpha": 1, "p_t": 0.25})  # JSON numbers may arrive as ints
    assert close(w.loss, 2 * mpmath.log(2))
    w.set_state({"gamma": 1.0})
    assert close(w.loss, mpmath.mpf("0.75") * 2 * mpmath.log(2))


@pytest.mark.parametrize("kwargs, pattern", [
    ({"gamma": -0.5}, r"gamma must be a finite number >= 0, got -0\.5; pass e\.g\. gamma=2\.0"),
    ({"gamma": math.nan}, r"got nan"),
    ({"gamma": math.inf}, r"got inf"),
    ({"alpha": 1.5}, r"alpha must be in \[0, 1\], got 1\.5; pass a class weight such as alpha=0\.25"),
    ({"alpha": -0.1}, r"got -0\.1"),
    ({"p_t": 1.01}, r"p_t must be in \[0, 1\], got 1\.01; pass a probability such as p_t=0\.3"),
    ({"p_t": math.nan}, r"got nan"),
])
def test_bad_values_raise_a_trait_error_that_says_how_to_fix_them(kwargs, pattern):
    with pytest.raises(traitlets.TraitError, match=pattern):
        FocalLossExplorer(**kwargs)
    w = FocalLossExplorer()
    name, value = next(iter(kwargs.items()))
    with pytest.raises(traitlets.TraitError):
        setattr(w, name, value)
    assert close(w.loss, focal_reference(0.3, 2.0, 0.25))  # unchanged after the refusal


def test_loss_is_read_only():
    with pytest.raises(traitlets.TraitError):
        FocalLossExplorer().loss = 0.0


def test_it_ships_one_module_with_the_shared_maths_and_css():
    esm = str(FocalLossExplorer._esm)
    assert esm.count("export default") == 1
    assert "function focalLoss" in esm and "function rangeControl" in esm
    assert ".lossbook-widget" in str(FocalLossExplorer._css)
