"""SurprisalText: a text shaded character by character by its surprisal under a character model."""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets
from numpy.typing import ArrayLike

import lossbook as lb

from ._base import LossWidget, esm_source

__all__ = ["SurprisalText"]

MODELS = ("unigram", "bigram")
#: Decimals kept of the log-probabilities sent to the page: the page and Python then compute
#: from the same numbers, and the widget's state stays small.
DECIMALS = 4


def _table(name: str, values: ArrayLike, shape: tuple[int, ...]) -> list[Any]:
    array = np.asarray(values, dtype=np.float64)
    if array.shape != shape or not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite log-probabilities of shape {shape}, got shape {array.shape}; "
                         "smooth the counts (alpha > 0) so that no entry is -inf")
    rounded: list[Any] = np.round(array, DECIMALS).tolist()
    return rounded


class SurprisalText(LossWidget):
    """A text whose characters are shaded by their surprisal -ln p under a unigram or bigram model.

    The first character is context only; every later one is predicted, from nothing (unigram)
    or from the character before it (bigram), with the model's log-probabilities divided by
    the temperature before the softmax. Focusing or hovering a character shows its p and -ln p;
    the arrow keys move along the text.

    Parameters
    ----------
    text : str
        The text shown, at least two characters, all in ``alphabet``.
    alphabet : str
        The model's characters, in the order of the tables' entries.
    unigram : array_like, shape ``(V,)``
        Log-probability of each character.
    bigram : array_like, shape ``(V, V)``
        Row ``a``: log-probabilities of the next character after ``a``.
    model : {"unigram", "bigram"}, default "bigram"
    temperature : float, default 1.0
        Positive; the logits are ``log p / temperature``.

    Attributes
    ----------
    loss : float
        Mean surprisal of the predicted characters, in nats (read-only).

    Raises
    ------
    ValueError
        For a text shorter than two characters or with characters outside ``alphabet``,
        or tables of the wrong shape or with infinite entries.
    traitlets.TraitError
        For an unknown model or a temperature that is not positive.

    Examples
    --------
    >>> w = SurprisalText("abab", "ab", [np.log(0.5)] * 2, np.log([[0.1, 0.9], [0.9, 0.1]]))
    >>> round(w.loss, 4)   # -ln 0.9 for each of the three predicted characters
    0.1054
    >>> w.model = "unigram"
    >>> round(w.loss, 4)   # ln 2
    0.6931
    """

    _esm = esm_source("surprisal_text.js")
    _inputs = ("text", "alphabet", "unigram", "bigram", "model", "temperature")

    text = traitlets.Unicode().tag(sync=True)
    alphabet = traitlets.Unicode().tag(sync=True)
    unigram = traitlets.List(traitlets.Float()).tag(sync=True)
    bigram = traitlets.List(traitlets.List(traitlets.Float())).tag(sync=True)
    model = traitlets.Unicode("bigram").tag(sync=True)
    temperature = traitlets.Float(1.0).tag(sync=True)

    def __init__(self, text: str, alphabet: str, unigram: ArrayLike, bigram: ArrayLike,
                 model: str = "bigram", temperature: float = 1.0, **kwargs: Any) -> None:
        alphabet, ids = lb.encode_characters(text, alphabet)
        if len(ids) < 2:
            raise ValueError(f"text must have at least two characters (one of context, one predicted), got {text!r}")
        size = len(alphabet)
        super().__init__(text=text, alphabet=alphabet, unigram=_table("unigram", unigram, (size,)),
                         bigram=_table("bigram", bigram, (size, size)), model=model,
                         temperature=temperature, **kwargs)

    @traitlets.validate("model")
    def _valid_model(self, proposal: dict[str, Any]) -> str:
        if proposal["value"] not in MODELS:
            raise traitlets.TraitError(f"model must be 'unigram' or 'bigram', got {proposal['value']!r}")
        value: str = proposal["value"]
        return value

    @traitlets.validate("temperature")
    def _valid_temperature(self, proposal: dict[str, Any]) -> float:
        value: float = proposal["value"]
        if not (np.isfinite(value) and value > 0):
            raise traitlets.TraitError(f"temperature must be a positive number, got {value!r}; pass e.g. 1.0")
        return value

    def surprisals(self) -> np.ndarray:
        """-ln p of each predicted character (all but the first), in nats, at the current settings."""
        ids = lb.encode_characters(self.text, self.alphabet)[1]
        previous, following = ids[:-1], ids[1:]
        if self.model == "bigram":
            logits = np.asarray(self.bigram)[previous]
        else:
            logits = np.broadcast_to(np.asarray(self.unigram), (len(following), len(self.alphabet)))
        return np.asarray(lb.cross_entropy(logits / self.temperature, following, from_logits=True,
                                           reduction="none"))

    def _compute_loss(self) -> float:
        return float(self.surprisals().mean())
