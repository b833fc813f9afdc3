"""SimilarityMatrix: a small batch of paired embeddings, scored by CLIP's softmax rows or SigLIP's sigmoids."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import traitlets
from numpy.typing import ArrayLike

import lossbook as lb

from ._base import LossWidget, esm_source

__all__ = ["SimilarityMatrix", "default_embeddings"]

MODES = ("clip", "siglip")


def default_embeddings() -> tuple[np.ndarray, np.ndarray]:
    """Five image and five text embeddings in 6 dimensions: each text near its own image, except
    that texts 1 and 2 (counting from 0) are pulled towards each other's images, so that images 1
    and 2 are each a little closer to the other's text than to their own: a pair easy to confuse.

    Examples
    --------
    >>> images, texts = default_embeddings()
    >>> images.shape, texts.shape
    ((5, 6), (5, 6))
    """
    rng = np.random.default_rng(21)
    images = rng.normal(size=(5, 6))
    texts = images + 0.6 * rng.normal(size=(5, 6))
    texts[[1, 2]] += 0.8 * images[[2, 1]]
    return images, texts


class SimilarityMatrix(LossWidget):
    """The B x B cosine similarities of a batch of image and text embeddings, turned into a loss.

    Row ``i`` is image ``i``, column ``j`` text ``j``; the diagonal holds the true pairs. With
    ``mode="clip"`` each cell shows softmax over its row of similarity / temperature (the
    probability that image ``i`` goes with text ``j``) and the loss is
    :func:`lossbook.clip_loss`, which also reads the columns. With ``mode="siglip"`` each cell
    is an independent sigmoid of similarity / temperature + bias and the loss is
    :func:`lossbook.siglip_loss` with ``t = 1 / temperature``.

    Parameters
    ----------
    images, texts : array_like, shape (B, d), optional
        Paired embeddings, 2 <= B <= 8 (the rows are normalised); by default
        :func:`default_embeddings`. Copied, never modified.
    temperature : float, default 0.1
        tau > 0; the view's slider spans 0.01 to 1.
    mode : {"clip", "siglip"}, default "clip"
    bias : float, default -10.0
        SigLIP's bias (ignored by CLIP); the slider spans -15 to 5.

    Attributes
    ----------
    loss : float
        The loss in nats (read-only).
    similarities : list of list of float
        The cosine similarities (read-only).
    probabilities : list of list of float
        What each cell shows (read-only).

    Raises
    ------
    traitlets.TraitError
        If ``temperature`` is not a positive finite number, ``mode`` is not "clip" or
        "siglip", or ``bias`` is not finite.
    ValueError
        If the embeddings are not two (B, d) arrays of finite numbers with 2 <= B <= 8 and no
        row of zeros.

    Examples
    --------
    >>> w = SimilarityMatrix(temperature=0.5)
    >>> images, texts = default_embeddings()
    >>> w.loss == float(lb.clip_loss(images, texts, temperature=0.5))
    True
    >>> w.mode = "siglip"
    >>> w.loss == float(lb.siglip_loss(images, texts, t=1 / 0.5, bias=-10.0))
    True
    """

    _esm = esm_source("similarity_matrix.js")
    _inputs = ("temperature", "mode", "bias")

    temperature = traitlets.Float(0.1).tag(sync=True)
    mode = traitlets.Unicode("clip").tag(sync=True)
    bias = traitlets.Float(-10.0).tag(sync=True)
    similarities = traitlets.List(traitlets.List(traitlets.Float()), read_only=True).tag(sync=True)
    probabilities = traitlets.List(traitlets.List(traitlets.Float()), read_only=True)

    def __init__(self, images: ArrayLike | None = None, texts: ArrayLike | None = None, *,
                 temperature: float = 0.1, mode: str = "clip", bias: float = -10.0, **kwargs: Any) -> None:
        default_images, default_texts = default_embeddings()
        self._images = np.array(default_images if images is None else images, dtype=float)
        self._texts = np.array(default_texts if texts is None else texts, dtype=float)
        self._similarities = lb.cosine_similarities(self._images, self._texts)
        if not 2 <= len(self._similarities) <= 8:
            raise ValueError(f"the widget shows 2 to 8 pairs, got {len(self._similarities)}; "
                             "pass fewer rows, e.g. images[:5]")
        super().__init__(temperature=temperature, mode=mode, bias=bias, **kwargs)
        self.set_trait("similarities", self._similarities.tolist())

    @traitlets.validate("temperature")
    def _valid_temperature(self, proposal: dict[str, Any]) -> float:
        value = proposal["value"]
        if not (math.isfinite(value) and value > 0.0):
            raise traitlets.TraitError(f"temperature must be a finite number > 0, got {value!r}; pass e.g. temperature=0.1")
        return float(value)

    @traitlets.validate("mode")
    def _valid_mode(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if value not in MODES:
            raise traitlets.TraitError(f"mode must be 'clip' or 'siglip', got {value!r}")
        return str(value)

    @traitlets.validate("bias")
    def _valid_bias(self, proposal: dict[str, Any]) -> float:
        value = proposal["value"]
        if not math.isfinite(value):
            raise traitlets.TraitError(f"bias must be finite, got {value!r}; SigLIP starts from bias=-10.0")
        return float(value)

    def _compute_loss(self) -> float:
        if self.mode == "clip":
            self.set_trait("probabilities", lb.softmax(self._similarities / self.temperature).tolist())
            return float(lb.clip_loss(self._images, self._texts, temperature=self.temperature))
        t = 1.0 / self.temperature
        self.set_trait("probabilities", lb.sigmoid(t * self._similarities + self.bias).tolist())
        return float(lb.siglip_loss(self._images, self._texts, t=t, bias=self.bias))
