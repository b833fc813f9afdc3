"""lossbook.notebook: the helpers that let a chapter run in the book build, in Jupyter and in Colab."""

from __future__ import annotations

import sys
import types

import pytest

from lossbook.notebook import enable_colab_widgets, glue


def test_enable_colab_widgets_turns_on_colab_custom_widget_manager(monkeypatch):
    calls = []
    output = types.ModuleType("google.colab.output")
    output.enable_custom_widget_manager = lambda: calls.append("enabled")
    colab = types.ModuleType("google.colab")
    colab.output = output
    google = types.ModuleType("google")
    google.colab = colab
    monkeypatch.setitem(sys.modules, "google", google)
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setitem(sys.modules, "google.colab.output", output)
    assert enable_colab_widgets() is None
    assert calls == ["enabled"]


def test_enable_colab_widgets_does_nothing_outside_colab(monkeypatch):
    monkeypatch.setitem(sys.modules, "google.colab", None)  # makes the import fail, as off Colab
    assert enable_colab_widgets() is None


def test_glue_without_myst_nb_returns_the_value_and_stores_nothing(monkeypatch):
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # as on a bare Colab runtime
    assert glue("x", 0.25) == 0.25


def test_glue_with_myst_nb_hands_the_value_to_it(monkeypatch):
    seen = {}
    fake = types.ModuleType("myst_nb")
    fake.glue = lambda name, value, display=False: seen.update({name: (value, display)})
    monkeypatch.setitem(sys.modules, "myst_nb", fake)
    assert glue("loss", 0.357) == 0.357
    assert seen == {"loss": (0.357, False)}


@pytest.mark.parametrize("name, error", [(3, TypeError), ("", ValueError)])
def test_glue_rejects_a_bad_name_and_says_how_to_fix_it(name, error):
    with pytest.raises(error, match=r"glue\('loss', 0.35\)"):
        glue(name, 1.0)
