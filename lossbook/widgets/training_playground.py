"""TrainingPlayground: a linear softmax classifier trained by gradient descent while you watch."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import traitlets
from numpy.typing import NDArray

import lossbook as lb
from lossbook.datasets import DATASETS, make_dataset

from ._base import LossWidget, _finite_or_none, check_unit_interval, esm_source

__all__ = ["TrainingPlayground", "LOSSES", "STARTS"]

#: The training losses the playground offers, with what each one is.
LOSSES = {
    "cross_entropy": "cross-entropy of the softmax, with optional label smoothing",
    "squared_error": "squared error between the softmax probabilities and the one-hot targets",
    "hinge": "multiclass hinge loss (Weston-Watkins) on the logits, margin 1",
    "focal": "softmax focal loss -(1 - p_t)^gamma ln p_t",
}


#: Where training starts: all zeros, or a model that is confidently wrong about every class.
STARTS = {
    "zeros": "all weights and biases 0: every class gets probability 1/K",
    "wrong": "weights pointing away from each class's own points: confidently wrong",
}
#: How far the "wrong" start points away from each class: z_k = -WRONG_SCALE * (x . mean_k).
WRONG_SCALE = 1.5


def _finite_list(values: list[float], widget: Any) -> list[float | None]:
    # JSON has no NaN or Infinity: a diverged run sends null, which the browser reads as such.
    return [v if math.isfinite(v) else None for v in values]


def _list_from_json(values: list[float | None], widget: Any) -> list[float]:
    return [math.nan if v is None else float(v) for v in values]


def _choice(name: str, value: str, choices: dict[str, str]) -> str:
    if value not in choices:
        raise traitlets.TraitError(
            f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}; "
            f"pass e.g. {name}={next(iter(choices))!r}"
        )
    return value


class TrainingPlayground(LossWidget):
    """Train a linear softmax classifier on 2-D data, in the browser or with :meth:`train`.

    The model gives each class a logit ``z = x W + b`` (``W`` of shape 2 x K) and takes
    full-batch gradient descent steps on the mean training loss plus the L2 penalty
    ``l2 * sum(W**2)`` of :func:`lossbook.l2_penalty` on the weights (not the biases), whose
    gradient is ``2 * l2 * W``. The view
    shows the decision regions with the data, the loss and accuracy curves, and buttons to
    play, step and reset; the browser takes the same steps as :meth:`train`. Changing the
    dataset, the seed, the loss or the start resets the training.

    Parameters
    ----------
    dataset : {"clouds", "moons", "imbalanced"}, default "clouds"
        The data, drawn by :func:`lossbook.datasets.make_dataset` from ``seed``.
    loss : {"cross_entropy", "squared_error", "hinge", "focal"}, default "cross_entropy"
        The training loss (the trait is ``loss_function``; ``loss`` holds its value).
    learning_rate : float, default 0.5
        Step size, > 0.
    l2 : float, default 0.0
        Strength lambda >= 0 of the L2 penalty ``lambda * sum(W**2)`` on the weights.
    label_smoothing : float, default 0.0
        Label smoothing in [0, 1]; used by the cross-entropy only.
    gamma : float, default 2.0
        Focusing parameter of the focal loss, >= 0.
    seed : int, default 0
        Seed of the data, in [0, 2**32).
    start : {"zeros", "wrong"}, default "zeros"
        Where :meth:`reset` puts the parameters: all zeros, or ``W[:, k] = -1.5 * mean_k``
        (the mean of class k's points) and ``b = 0``, a model confidently wrong about every
        class.

    Attributes
    ----------
    loss : float
        Training objective at the current parameters: mean loss plus the L2 penalty (read-only).
    accuracy : float
        Training accuracy at the current parameters (read-only).
    step : int
        Gradient steps taken since the last reset.
    weights : list of float
        ``W`` row by row, then ``b``: 3K numbers.
    loss_history, accuracy_history : list of float
        ``loss`` and ``accuracy`` after 0, 1, ..., ``step`` steps.

    Raises
    ------
    traitlets.TraitError
        For an unknown dataset or loss, a learning rate that is not a positive number, a
        negative ``l2`` or ``gamma``, or ``label_smoothing`` outside [0, 1].

    Examples
    --------
    >>> w = TrainingPlayground(learning_rate=0.5)
    >>> round(w.loss, 6)   # all logits 0: ln 3
    1.098612
    >>> w.train(20)
    >>> w.step, w.loss < 0.5, w.accuracy > 0.85
    (20, True, True)
    """

    _esm = esm_source("training_playground.js")
    _inputs = ("weights", "l2", "label_smoothing", "gamma")

    dataset = traitlets.Unicode("clouds").tag(sync=True)
    loss_function = traitlets.Unicode("cross_entropy").tag(sync=True)
    learning_rate = traitlets.Float(0.5).tag(sync=True)
    l2 = traitlets.Float(0.0).tag(sync=True)
    label_smoothing = traitlets.Float(0.0).tag(sync=True)
    gamma = traitlets.Float(2.0).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
    start = traitlets.Unicode("zeros").tag(sync=True)
    step = traitlets.Int(0).tag(sync=True)
    weights = traitlets.List(traitlets.Float(allow_none=True)).tag(
        sync=True, to_json=_finite_list, from_json=_list_from_json)
    loss_history = traitlets.List(traitlets.Float()).tag(
        sync=True, to_json=_finite_list, from_json=_list_from_json)
    accuracy_history = traitlets.List(traitlets.Float()).tag(
        sync=True, to_json=_finite_list, from_json=_list_from_json)
    accuracy = traitlets.Float(read_only=True).tag(sync=True, to_json=_finite_or_none)

    def __init__(self, dataset: str = "clouds", loss: str = "cross_entropy", learning_rate: float = 0.5,
                 l2: float = 0.0, label_smoothing: float = 0.0, gamma: float = 2.0, seed: int = 0,
                 start: str = "zeros", **kwargs: Any) -> None:
        self._data_key: tuple[str, int] | None = None
        super().__init__(dataset=dataset, loss_function=loss, learning_rate=learning_rate, l2=l2,
                         label_smoothing=label_smoothing, gamma=gamma, seed=seed, start=start,
                         weights=self._zeros(dataset), **kwargs)
        self._reset()
        self.observe(lambda change: self.reset(), names=["dataset", "seed", "loss_function", "start"])

    # --- validation -------------------------------------------------------------------------------

    @traitlets.validate("dataset")
    def _valid_dataset(self, proposal: dict[str, Any]) -> str:
        return _choice("dataset", proposal["value"], DATASETS)

    @traitlets.validate("loss_function")
    def _valid_loss(self, proposal: dict[str, Any]) -> str:
        return _choice("loss", proposal["value"], LOSSES)

    @traitlets.validate("start")
    def _valid_start(self, proposal: dict[str, Any]) -> str:
        return _choice("start", proposal["value"], STARTS)

    @traitlets.validate("learning_rate")
    def _valid_learning_rate(self, proposal: dict[str, Any]) -> float:
        value = float(proposal["value"])
        if not 0.0 < value < math.inf:
            raise traitlets.TraitError(
                f"learning_rate must be a positive finite number, got {value!r}; pass e.g. learning_rate=0.5")
        return value

    @traitlets.validate("l2", "gamma")
    def _valid_non_negative(self, proposal: dict[str, Any]) -> float:
        name, value = proposal["trait"].name, float(proposal["value"])
        if not 0.0 <= value < math.inf:
            example = "l2=0.01" if name == "l2" else "gamma=2.0"
            raise traitlets.TraitError(f"{name} must be a finite number >= 0, got {value!r}; pass e.g. {example}")
        return value

    @traitlets.validate("label_smoothing")
    def _valid_smoothing(self, proposal: dict[str, Any]) -> float:
        return check_unit_interval("label_smoothing", proposal["value"], "e.g. label_smoothing=0.1")

    @traitlets.validate("seed")
    def _valid_seed(self, proposal: dict[str, Any]) -> int:
        value = int(proposal["value"])
        if not 0 <= value < 2**32:
            raise traitlets.TraitError(f"seed must be in [0, 2**32), got {value!r}; pass e.g. seed=0")
        return value

    @traitlets.validate("weights")
    def _valid_weights(self, proposal: dict[str, Any]) -> list[float]:
        value = [math.nan if v is None else float(v) for v in proposal["value"]]
        expected = len(self._zeros(self.dataset))
        if len(value) != expected:
            raise traitlets.TraitError(
                f"weights must hold {expected} numbers for dataset {self.dataset!r} (W row by row, then b), "
                f"got {len(value)}; call reset() to start from zeros")
        return value

    # --- training ---------------------------------------------------------------------------------

    @staticmethod
    def _zeros(dataset: str) -> list[float]:
        k = 2 if dataset == "moons" else 3
        return [0.0] * (3 * k)

    def _data(self) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
        key = (self.dataset, self.seed)
        if self._data_key != key:
            self._cached = make_dataset(*key)
            self._data_key = key
        return self._cached

    def _parameters(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        theta = np.array(self.weights, dtype=np.float64)
        k = len(theta) // 3
        return theta[: 2 * k].reshape(2, k), theta[2 * k:]

    def _logit_loss_and_grad(self, Z: NDArray[np.float64], labels: NDArray[np.intp]) -> tuple[float, NDArray[np.float64]]:
        """The mean training loss of the logits Z and its gradient in Z, from lossbook."""
        name = self.loss_function
        if name == "cross_entropy":
            smoothing = self.label_smoothing
            return (float(lb.cross_entropy(Z, labels, from_logits=True, label_smoothing=smoothing)),
                    lb.cross_entropy_grad(Z, labels, label_smoothing=smoothing))
        if name == "squared_error":
            return float(lb.softmax_squared_error(Z, labels)), lb.softmax_squared_error_grad(Z, labels)
        if name == "hinge":
            return float(lb.multiclass_hinge_loss(Z, labels)), lb.multiclass_hinge_loss_grad(Z, labels)
        return (float(lb.focal_loss(Z, labels, gamma=self.gamma)),
                lb.focal_loss_grad(Z, labels, gamma=self.gamma))

    def _evaluate(self, W: NDArray[np.float64], b: NDArray[np.float64]) -> tuple[float, float, NDArray[np.float64], NDArray[np.float64]]:
        """Objective, accuracy, and the objective's gradients in W and b."""
        X, labels = self._data()
        # A diverging run overflows on its way to infinity; train() stops there, as the page does.
        with np.errstate(over="ignore", invalid="ignore"):
            Z = X @ W + b
            if not np.all(np.isfinite(Z)):
                return math.nan, math.nan, np.full_like(W, math.nan), np.full_like(b, math.nan)
            data_loss, G = self._logit_loss_and_grad(Z, labels)
            objective = data_loss + float(lb.l2_penalty(W, self.l2))
            return objective, float(lb.accuracy(Z, labels)), X.T @ G + lb.l2_penalty_grad(W, self.l2), G.sum(axis=0)

    def train(self, steps: int) -> None:
        """Take ``steps`` full-batch gradient descent steps, as the browser's Step button does.

        Parameters
        ----------
        steps : int
            How many steps, >= 0. Training stops early if the loss overflows (a learning rate
        far too large): ``step`` then counts the steps taken, the last of them non-finite.

        Raises
        ------
        ValueError
            If ``steps`` is negative.
        TypeError
            If ``steps`` is not an integer.
        """
        if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)):
            raise TypeError(f"steps must be an integer, got {steps!r}; pass e.g. train(100)")
        if steps < 0:
            raise ValueError(f"steps must be >= 0, got {steps}; pass e.g. train(100)")
        W, b = self._parameters()
        losses, accuracies = list(self.loss_history), list(self.accuracy_history)
        objective, _, dW, db = self._evaluate(W, b)
        taken = 0
        while taken < steps and math.isfinite(objective):
            with np.errstate(over="ignore", invalid="ignore"):
                W, b = W - self.learning_rate * dW, b - self.learning_rate * db
            objective, accuracy, dW, db = self._evaluate(W, b)
            losses.append(objective)
            accuracies.append(accuracy)
            taken += 1
        with self.hold_sync():
            self.loss_history, self.accuracy_history = losses, accuracies
            self.step += taken
            self.weights = W.ravel().tolist() + b.tolist()

    def reset(self) -> None:
        """Back to step 0 at the ``start`` parameters, with a fresh history (the Reset button)."""
        with self.hold_sync():
            self._reset()

    def _start_weights(self) -> list[float]:
        if self.start == "zeros":
            return self._zeros(self.dataset)
        X, labels = self._data()
        k = int(labels.max()) + 1
        W = np.zeros((2, k))
        for c in range(k):
            # Summed one point at a time, in order, as the browser does: the same rounding.
            members = X[labels == c].tolist()
            for d in (0, 1):
                total = 0.0
                for point in members:
                    total += point[d]
                W[d, c] = -WRONG_SCALE * (total / len(members))
        weights: list[float] = W.ravel().tolist()
        return weights + [0.0] * k

    def _reset(self) -> None:
        self.set_trait("weights", self._start_weights())
        self.step = 0
        self._refresh()
        self.loss_history, self.accuracy_history = [self.loss], [self.accuracy]

    def _compute_loss(self) -> float:
        objective, accuracy, _, _ = self._evaluate(*self._parameters())
        self.set_trait("accuracy", accuracy)
        return objective
