"""What Keras 3 does with the calls the frameworks chapter discusses, measured on one backend.

Run as a script with ``KERAS_BACKEND`` set (``tensorflow`` or ``jax``): it prints one JSON object,
one entry per measurement, each holding the raw numbers Keras returned (or the error it raised)
and the warnings it gave. A backend is fixed when keras is first imported, so
tests/test_keras_claims.py runs this script once per backend, in a subprocess, and compares the
numbers with the chapter. Keras is imported inside ``main`` only: pytest imports every file here to
collect doctests, and that must load no backend.

The inputs live in module constants, which the tests import to compute their own references.
"""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Callable

import numpy as np

DOUBLE_LOGITS = [[5.0, 4.0, 2.0]]           # the logits of the chapter's double-softmax example
DOUBLE_LABEL = 0
SURE_LOGITS = [[30.0, 0.0, 0.0]]            # a sure prediction of class 0...
SURE_WRONG_LABEL = 1                        # ...for an example of class 1: true loss 30 nats
SIGMOID_LOGIT = -30.0                       # a positive example scored -30: true loss 30 nats
SCORES = [[2.0, 1.0, -1.0], [2.0, 1.0, -1.0], [1.0, -2.0, 0.5]]   # the chapter's logits-as-probabilities
SCORE_LABELS = [0, 2, 0]
ONE_UNIT_LOGITS = [[-2.0], [3.0], [0.5], [-4.0]]
ONE_UNIT_LABELS = [[1.0], [0.0], [1.0], [0.0]]
# A small model with known weights: 4 inputs, 3 classes.
KERNEL = [[1.5, -0.5, 0.2], [-1.0, 2.0, 0.3], [0.4, 0.1, -2.0], [0.0, 1.2, 0.7]]
BIAS = [0.1, -0.2, 0.3]
INPUTS = np.random.default_rng(2026).normal(0.0, 1.5, size=(12, 4)).round(3).tolist()
INPUT_LABELS = [0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2]
CLASS_WEIGHT = [10.0, 1.0, 1.0]
WEIGHT_LOGITS = [[0.3, -1.2, 2.0], [1.1, 0.4, -0.7], [-0.5, 2.2, 0.9], [0.0, 0.8, -1.5],
                 [1.7, -0.3, 0.2], [-1.0, 1.0, 0.5]]
WEIGHT_LABELS = [0, 1, 2, 1, 2, 1]
SMOOTH_LOGITS = [[4.0, 1.0, 0.5, 0.0], [-1.0, 0.2, 0.3, 2.5]]
SMOOTH_LABELS = [0, 3]
SOFT_TARGETS = [[0.7, 0.2, 0.1, 0.0], [0.1, 0.1, 0.3, 0.5]]
BINARY_LOGITS = [[0.5, -2.0], [-1.0, 3.0]]
BINARY_TARGETS = [[1.0, 0.0], [0.25, 0.9]]
FAR_LOGITS = [[-150.0], [38.0]]
FAR_LABELS = [[1.0], [0.0]]
SMOOTHING = 0.1
IGNORED = 255


def _run(measure: Callable[[], object]) -> dict:
    """The measurement's value, or the error it raised; with the warnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = {"value": measure()}
        except Exception as error:  # the error is the measurement
            result = {"error": type(error).__name__, "message": str(error)}
    result["warnings"] = [str(w.message) for w in caught]
    return result


def _numbers(x) -> list | float:
    array = np.asarray(x, dtype=np.float64)
    return array.tolist()


def measurements(keras) -> dict[str, Callable[[], object]]:
    """Every measurement, by name; ``keras`` is the imported module."""
    losses, layers = keras.losses, keras.layers

    def f32(values):
        return np.asarray(values, dtype="float32")

    def one_hot(labels, k):
        return np.eye(k, dtype="float32")[labels]

    def softmax_layer(logits):
        return layers.Activation("softmax")(f32(logits))

    def model_with_known_weights(units, activation):
        model = keras.Sequential([keras.Input((4,)), layers.Dense(units, activation=activation)])
        kernel = np.asarray(KERNEL, dtype="float32")[:, :units]
        model.layers[0].set_weights([kernel, np.asarray(BIAS[:units], dtype="float32")])
        return model

    def compiled_double_softmax():
        model = model_with_known_weights(3, "softmax")
        model.compile(loss=losses.SparseCategoricalCrossentropy(from_logits=True))
        return model.evaluate(f32(INPUTS), np.asarray(INPUT_LABELS), batch_size=len(INPUTS), verbose=0)

    def one_unit_training():
        keras.utils.set_random_seed(7)
        x = f32(INPUTS)
        y = (x[:, 0] > 0).astype("float32")[:, None]
        model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="softmax")])
        model.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(0.5))
        history = model.fit(x, y, epochs=30, batch_size=len(x), verbose=0)
        kernel, bias = model.layers[0].get_weights()
        return {"loss": history.history["loss"],
                "predictions": _numbers(model.predict(x, verbose=0)),
                "pre_activation": _numbers(x @ kernel + bias)}

    def on_tensorflow(measure):
        """``measure`` run on the TensorFlow backend, with tensorflow passed in; None elsewhere."""
        def run(*args, **kwargs):
            if keras.backend.backend() != "tensorflow":
                return None
            import tensorflow as tf
            return measure(tf, *args, **kwargs)
        return run

    @on_tensorflow
    def tensorflow_activation_then_loss(tf, activation, loss, y, logits, traced):
        """TensorFlow's own softmax or sigmoid (not Keras's) fed to a loss, called eagerly or
        inside tf.function."""
        def call(z):
            return loss(y, getattr(tf.nn, activation)(z))

        return _numbers((tf.function(call) if traced else call)(f32(logits)))

    @on_tensorflow
    def sure_and_wrong_model(tf, last_layer, run_eagerly, fit=False, policy="float32"):
        """A model with known weights, wrong by 30 nats on its one example, ending in
        ``last_layer``: its loss from model.evaluate, or from one model.fit step that changes
        nothing (learning rate 0)."""
        keras.mixed_precision.set_global_policy(policy)
        try:
            model = keras.Sequential([keras.Input((1,)), layers.Dense(3), last_layer(tf)])
        finally:
            keras.mixed_precision.set_global_policy("float32")
        model.layers[0].set_weights([f32(SURE_LOGITS), np.zeros(3, dtype="float32")])
        model.compile(loss=losses.SparseCategoricalCrossentropy(), run_eagerly=run_eagerly,
                      optimizer=keras.optimizers.SGD(0.0))
        x, y = f32([[1.0]]), np.asarray([SURE_WRONG_LABEL])
        if fit:
            return model.fit(x, y, epochs=1, verbose=0).history["loss"][0]
        return model.evaluate(x, y, verbose=0)

    def tf_softmax(tf):
        return layers.Lambda(tf.nn.softmax)

    def keras_softmax(tf):
        return layers.Activation("softmax")

    def float32_keras_softmax(tf):
        return layers.Activation("softmax", dtype="float32")

    def mixed_precision_dtypes():
        keras.mixed_precision.set_global_policy("mixed_float16")
        try:
            inputs = keras.Input((4,))
            in_dense = layers.Dense(3, activation="softmax")(inputs)
            separate = layers.Activation("softmax", dtype="float32")(layers.Dense(3)(inputs))
            return [str(in_dense.dtype), str(separate.dtype)]
        finally:
            keras.mixed_precision.set_global_policy("float32")

    return {
        # The table: what goes in, what the targets are, how a batch is reduced.
        "cce_soft_logits": lambda: _numbers(losses.CategoricalCrossentropy(
            from_logits=True, reduction=None)(f32(SOFT_TARGETS), f32(SMOOTH_LOGITS))),
        "cce_soft_probabilities": lambda: _numbers(losses.CategoricalCrossentropy(reduction=None)(
            f32(SOFT_TARGETS), keras.ops.convert_to_numpy(keras.ops.softmax(f32(SMOOTH_LOGITS))))),
        "sparse_logits": lambda: _numbers(losses.SparseCategoricalCrossentropy(
            from_logits=True, reduction=None)(np.asarray(SMOOTH_LABELS), f32(SMOOTH_LOGITS))),
        "bce_logits": lambda: _numbers(losses.BinaryCrossentropy(from_logits=True, reduction=None)(
            f32(BINARY_TARGETS), f32(BINARY_LOGITS))),
        "default_reductions": lambda: [losses.CategoricalCrossentropy().reduction,
                                       losses.SparseCategoricalCrossentropy().reduction,
                                       losses.BinaryCrossentropy().reduction],
        # The clip: [eps, 1 - eps] around plain arrays of probabilities.
        "epsilon": lambda: keras.config.epsilon(),
        "cce_probability_zero": lambda: _numbers(losses.CategoricalCrossentropy()(
            one_hot([0], 2), f32([[0.0, 1.0]]))),
        "cce_probability_one": lambda: _numbers(losses.CategoricalCrossentropy()(
            one_hot([0], 2), f32([[1.0, 0.0]]))),
        "bce_probability_zero_and_one": lambda: _numbers(losses.BinaryCrossentropy(reduction=None)(
            f32([[1.0], [1.0]]), f32([[0.0], [1.0]]))),
        # Softmax applied twice, and the logits a softmax layer keeps on TensorFlow.
        "double_cce": lambda: _numbers(losses.CategoricalCrossentropy(from_logits=True)(
            one_hot([DOUBLE_LABEL], 3), softmax_layer(DOUBLE_LOGITS))),
        "double_sparse": lambda: _numbers(losses.SparseCategoricalCrossentropy(from_logits=True)(
            np.asarray([DOUBLE_LABEL]), softmax_layer(DOUBLE_LOGITS))),
        "double_compiled_model": compiled_double_softmax,
        "softmax_layer_then_probabilities": lambda: _numbers(losses.CategoricalCrossentropy()(
            one_hot([SURE_WRONG_LABEL], 3), softmax_layer(SURE_LOGITS))),
        "ops_softmax_then_probabilities": lambda: _numbers(losses.CategoricalCrossentropy()(
            one_hot([SURE_WRONG_LABEL], 3), keras.ops.softmax(f32(SURE_LOGITS)))),
        "numpy_copy_then_probabilities": lambda: _numbers(losses.CategoricalCrossentropy()(
            one_hot([SURE_WRONG_LABEL], 3),
            keras.ops.convert_to_numpy(softmax_layer(SURE_LOGITS)))),
        # TensorFlow's own softmax and sigmoid: read back to their logits only in a graph.
        **{f"tf_{activation}_{kind}_{mode}": (
            lambda activation=activation, loss=loss, y=y, z=z, mode=mode:
            tensorflow_activation_then_loss(activation, loss(), y, z, mode == "traced"))
           for activation, kind, loss, y, z in (
               ("softmax", "probabilities", losses.CategoricalCrossentropy,
                one_hot([SURE_WRONG_LABEL], 3), SURE_LOGITS),
               ("softmax", "from_logits", lambda: losses.CategoricalCrossentropy(from_logits=True),
                one_hot([DOUBLE_LABEL], 3), DOUBLE_LOGITS),
               ("sigmoid", "probabilities", losses.BinaryCrossentropy,
                f32([[0.0]]), [[-SIGMOID_LOGIT]]))
           for mode in ("traced", "eager")},
        "tf_softmax_model_evaluated": lambda: sure_and_wrong_model(tf_softmax, False),
        "tf_softmax_model_evaluated_eagerly": lambda: sure_and_wrong_model(tf_softmax, True),
        "tf_softmax_model_fit": lambda: sure_and_wrong_model(tf_softmax, False, True),
        "tf_softmax_model_fit_eagerly": lambda: sure_and_wrong_model(tf_softmax, True, True),
        "mixed_float16_softmax_evaluated": lambda: sure_and_wrong_model(
            keras_softmax, False, policy="mixed_float16"),
        "mixed_float16_float32_softmax_evaluated": lambda: sure_and_wrong_model(
            float32_keras_softmax, False, policy="mixed_float16"),
        "sigmoid_layer_then_probabilities": lambda: _numbers(losses.BinaryCrossentropy()(
            f32([[1.0]]), layers.Activation("sigmoid")(f32([[SIGMOID_LOGIT]])))),
        # Logits passed as probabilities.
        "scores_categorical": lambda: _numbers(losses.CategoricalCrossentropy(reduction=None)(
            one_hot(SCORE_LABELS, 3), f32(SCORES))),
        "scores_sparse": lambda: _numbers(losses.SparseCategoricalCrossentropy(reduction=None)(
            np.asarray(SCORE_LABELS), f32(SCORES))),
        # Integer labels into a one-hot loss.
        "integer_labels_categorical": lambda: _numbers(losses.CategoricalCrossentropy(
            from_logits=True)(np.asarray([0, 1, 2]), f32(np.zeros((3, 3))))),
        "integer_column_categorical": lambda: _numbers(losses.CategoricalCrossentropy(
            from_logits=True)(np.asarray([[0], [1], [2]]), f32(np.zeros((3, 3))))),
        # One output unit with softmax.
        "one_unit_softmax": lambda: _numbers(softmax_layer(ONE_UNIT_LOGITS)),
        "one_unit_bce": lambda: _numbers(losses.BinaryCrossentropy(reduction=None)(
            f32(ONE_UNIT_LABELS), softmax_layer(ONE_UNIT_LOGITS))),
        "one_unit_training": one_unit_training,
        # Labels out of range; a label to ignore.
        "out_of_range": lambda: _numbers(losses.SparseCategoricalCrossentropy(
            from_logits=True, reduction=None)(np.asarray([1, 2, 3]), f32(WEIGHT_LOGITS[:3]))),
        "ignore_class": lambda: _numbers(losses.SparseCategoricalCrossentropy(
            from_logits=True, ignore_class=IGNORED)(
            np.asarray([WEIGHT_LABELS[0], IGNORED, WEIGHT_LABELS[2]]), f32(WEIGHT_LOGITS[:3]))),
        # Class weights: sum over the batch size.
        "weighted_batch": lambda: _numbers(losses.SparseCategoricalCrossentropy(from_logits=True)(
            np.asarray(WEIGHT_LABELS), f32(WEIGHT_LOGITS),
            sample_weight=f32(CLASS_WEIGHT)[WEIGHT_LABELS])),
        "weighted_single": lambda: _numbers(losses.SparseCategoricalCrossentropy(from_logits=True)(
            np.asarray(WEIGHT_LABELS[:1]), f32(WEIGHT_LOGITS[:1]),
            sample_weight=f32(CLASS_WEIGHT)[WEIGHT_LABELS[:1]])),
        # Label smoothing.
        "smoothing_categorical": lambda: _numbers(losses.CategoricalCrossentropy(
            from_logits=True, label_smoothing=SMOOTHING, reduction=None)(
            one_hot(SMOOTH_LABELS, 4), f32(SMOOTH_LOGITS))),
        "smoothing_binary": lambda: _numbers(losses.BinaryCrossentropy(
            from_logits=True, label_smoothing=SMOOTHING, reduction=None)(
            f32(BINARY_TARGETS), f32(BINARY_LOGITS))),
        "smoothing_sparse": lambda: repr(losses.SparseCategoricalCrossentropy(
            label_smoothing=SMOOTHING)),
        # Binary cross-entropy far out, and float16.
        "bce_far_logits": lambda: _numbers(losses.BinaryCrossentropy(
            from_logits=True, reduction=None)(f32(FAR_LABELS), f32(FAR_LOGITS))),
        "mixed_precision_dtypes": mixed_precision_dtypes,
    }


def resolve(keras, dotted: str) -> bool:
    """Whether ``keras.a.b`` names something in this Keras."""
    obj = keras
    for part in dotted.split(".")[1:]:
        if not hasattr(obj, part):
            return False
        obj = getattr(obj, part)
    return True


def main(names: list[str]) -> None:
    import keras

    results = {name: _run(measure) for name, measure in measurements(keras).items()}
    results["backend"] = keras.backend.backend()
    results["missing_names"] = [name for name in names if not resolve(keras, name)]
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1:])
