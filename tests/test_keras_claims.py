"""Every statement the frameworks chapter makes about Keras, checked against Keras 3 on both of
its backends, TensorFlow and JAX.

Keras fixes its backend when it is first imported, so tests/keras_probe.py measures each backend
in its own subprocess (both at once, once per test run) and these tests compare its numbers with
what the chapter says, recomputed with lossbook or numpy. A test that holds on both backends is
parametrized over them; a test named after one backend checks a behaviour the chapter states for
that backend only. `pytest -k keras`, `-k tensorflow` or `-k jax` selects them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import keras_probe as probe
import lossbook as lb
from frameworks_glue import glued

HERE = Path(__file__).resolve().parent
CHAPTER = (HERE.parent / "chapters" / "frameworks.md").read_text(encoding="utf-8")
BACKENDS = ("tensorflow", "jax")
F32 = 1e-6                                    # Keras computes in float32
KERAS_EPS = 1e-7
CEILING = float(lb.cross_entropy([[0.0, 1.0]], [0], eps=KERAS_EPS))   # the chapter's fw_keras_ceiling
# In float32, 1 - 1e-7 rounds to 1 - 2**-23: the loss of a sure and right prediction, and the
# loss of a sure and wrong one through the upper clip.
ONE_MINUS_EPS = np.float32(1.0) - np.float32(KERAS_EPS)
SURE_AND_RIGHT = float(-np.log(np.float64(ONE_MINUS_EPS)))
UPPER_CEILING = float(-np.log(np.float64(np.float32(1.0) - ONE_MINUS_EPS)))


def run_probe(backend: str, names: list[str]) -> subprocess.Popen:
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3",
           "JAX_PLATFORMS": "cpu", "CUDA_VISIBLE_DEVICES": ""}
    return subprocess.Popen([sys.executable, str(HERE / "keras_probe.py"), *names], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def keras_runs() -> dict[str, dict]:
    """The probe's measurements on each backend (TensorFlow's log noise stays in its stderr)."""
    names = sorted(set(re.findall(r"\bkeras(?:\.\w+)+", CHAPTER)))
    running = {backend: run_probe(backend, names) for backend in BACKENDS}
    results = {}
    for backend, process in running.items():
        out, err = process.communicate(timeout=900)
        assert process.returncode == 0, (
            f"Keras on {backend} failed (its packages come from requirements-frameworks.txt, which "
            f"`make test` installs):\n{err[-4000:]}")
        results[backend] = json.loads(out.strip().splitlines()[-1])
        assert results[backend]["backend"] == backend
    return results


@pytest.fixture(params=BACKENDS)
def keras_on(request, keras_runs) -> dict:
    return keras_runs[request.param]


@pytest.fixture
def tensorflow(keras_runs) -> dict:
    return keras_runs["tensorflow"]


@pytest.fixture
def jax(keras_runs) -> dict:
    return keras_runs["jax"]


def value(entry: dict):
    assert "error" not in entry, f"Keras raised {entry.get('error')}: {entry.get('message')}"
    return entry["value"]


def f32_loss(values) -> np.ndarray:
    return np.asarray(values, dtype=np.float64)


def double_softmax(logits, labels) -> np.ndarray:
    """Cross-entropy of softmax(logits) read as logits: the chapter's double_softmax_loss."""
    return lb.cross_entropy(lb.softmax(np.asarray(logits)), labels, from_logits=True, reduction="none")


def known_model_logits() -> np.ndarray:
    return np.asarray(probe.INPUTS) @ np.asarray(probe.KERNEL) + np.asarray(probe.BIAS)


def warned_about_from_logits(entry: dict) -> bool:
    return any("received `from_logits=True`" in w for w in entry["warnings"])


# --- the tables: what goes in, how a batch is reduced, what guards ln 0 ----------------------


def test_keras_losses_take_what_the_table_says(keras_on):
    logits, soft = np.asarray(probe.SMOOTH_LOGITS), np.asarray(probe.SOFT_TARGETS)
    expected_soft = lb.cross_entropy(logits, soft, from_logits=True, reduction="none")
    np.testing.assert_allclose(value(keras_on["cce_soft_logits"]), expected_soft, rtol=F32)
    np.testing.assert_allclose(value(keras_on["cce_soft_probabilities"]), expected_soft, rtol=F32)
    expected_index = lb.cross_entropy(logits, probe.SMOOTH_LABELS, from_logits=True, reduction="none")
    np.testing.assert_allclose(value(keras_on["sparse_logits"]), expected_index, rtol=F32)
    # BinaryCrossentropy: targets anywhere in [0, 1], one loss per row (the mean over its outputs).
    expected_binary = lb.binary_cross_entropy(np.asarray(probe.BINARY_LOGITS), np.asarray(probe.BINARY_TARGETS),
                                              from_logits=True, reduction="none").mean(axis=1)
    np.testing.assert_allclose(value(keras_on["bce_logits"]), expected_binary, rtol=F32)


def test_keras_default_reduction_divides_the_weighted_sum_by_the_batch_size(keras_on):
    assert value(keras_on["default_reductions"]) == ["sum_over_batch_size"] * 3
    weight = np.asarray(probe.CLASS_WEIGHT)
    logits, labels = np.asarray(probe.WEIGHT_LOGITS), np.asarray(probe.WEIGHT_LABELS)
    weighted_terms = lb.cross_entropy(logits, labels, from_logits=True, weight=weight, reduction="none")
    # The chapter's fw_w_batch_keras, not PyTorch's sum divided by the sum of the weights.
    assert value(keras_on["weighted_batch"]) == pytest.approx(weighted_terms.sum() / len(labels), rel=F32)
    assert value(keras_on["weighted_batch"]) != pytest.approx(
        lb.cross_entropy(logits, labels, from_logits=True, weight=weight), rel=1e-2)
    # In a batch of one the weight still scales the loss.
    plain = lb.cross_entropy(logits[:1], labels[:1], from_logits=True)
    assert value(keras_on["weighted_single"]) == pytest.approx(weight[labels[0]] * plain, rel=F32)


def test_keras_clips_probabilities_to_eps_and_one_minus_eps(keras_on):
    assert value(keras_on["epsilon"]) == KERAS_EPS
    # The ceiling -ln(1e-7) that the chapter computes with lossbook's eps...
    assert value(keras_on["cce_probability_zero"]) == pytest.approx(CEILING, rel=F32)
    # ...but Keras also clips from above, so a sure and right prediction costs about 1e-7,
    # where lossbook's eps (a clip to [eps, 1]) gives exactly 0.
    assert value(keras_on["cce_probability_one"]) == pytest.approx(SURE_AND_RIGHT, rel=F32)
    assert lb.cross_entropy([[1.0, 0.0]], [0], eps=KERAS_EPS) == 0.0
    np.testing.assert_allclose(value(keras_on["bce_probability_zero_and_one"]), [CEILING, SURE_AND_RIGHT],
                               rtol=F32)


def test_keras_clips_a_numpy_copy_of_softmax_output_on_both_backends(keras_on):
    # A plain array carries no logits: the clip applies, on TensorFlow too.
    assert value(keras_on["numpy_copy_then_probabilities"]) == pytest.approx(CEILING, rel=F32)


# --- softmax applied twice, and the logits a softmax keeps on TensorFlow ------------------------


def test_keras_tensorflow_softmax_twice_gives_the_true_loss_and_a_warning(tensorflow):
    true_loss = lb.cross_entropy(probe.DOUBLE_LOGITS, [probe.DOUBLE_LABEL], from_logits=True)
    for name in ("double_cce", "double_sparse"):
        assert value(tensorflow[name]) == pytest.approx(true_loss, rel=F32)
        assert warned_about_from_logits(tensorflow[name])


def test_keras_jax_softmax_twice_has_the_floor(jax):
    floor_loss = double_softmax(probe.DOUBLE_LOGITS, [probe.DOUBLE_LABEL])[0]
    for name in ("double_cce", "double_sparse"):
        assert value(jax[name]) == pytest.approx(floor_loss, rel=F32)
        assert value(jax[name]) > np.log1p(2 / np.e)          # equation eq-fw-double-floor, K = 3
        assert not jax[name]["warnings"]


def test_keras_tensorflow_compiled_model_reads_the_logits_behind_its_softmax(tensorflow):
    # Dense(k, activation="softmax") with SparseCategoricalCrossentropy(from_logits=True), as in
    # the chapter's Keras tab, evaluated by model.evaluate (a traced graph, not eager calls).
    logits, labels = known_model_logits(), probe.INPUT_LABELS
    assert value(tensorflow["double_compiled_model"]) == pytest.approx(
        lb.cross_entropy(logits, labels, from_logits=True), rel=1e-5)
    assert warned_about_from_logits(tensorflow["double_compiled_model"])


def test_keras_jax_compiled_model_applies_softmax_twice(jax):
    logits, labels = known_model_logits(), probe.INPUT_LABELS
    assert value(jax["double_compiled_model"]) == pytest.approx(double_softmax(logits, labels).mean(), rel=1e-5)


def test_keras_tensorflow_probabilities_from_a_softmax_or_sigmoid_are_not_clipped(tensorflow):
    # from_logits=False after a Keras softmax or sigmoid: TensorFlow computes from the logits,
    # so a loss of 30 nats stays 30 instead of the ceiling.
    for name in ("softmax_layer_then_probabilities", "ops_softmax_then_probabilities",
                 "sigmoid_layer_then_probabilities"):
        assert value(tensorflow[name]) == pytest.approx(30.0, rel=F32)
        assert not tensorflow[name]["warnings"]


def test_keras_tensorflow_reads_the_logits_behind_tf_nn_softmax_and_sigmoid_only_in_a_graph(tensorflow):
    # Tensors from TensorFlow's own softmax and sigmoid carry no _keras_logits, but inside
    # tf.function the loss finds the operation that made them and uses its input.
    binary_ceiling = -np.log(1.0 - np.float64(ONE_MINUS_EPS))     # a negative's p clipped to 1 - eps
    assert value(tensorflow["tf_softmax_probabilities_traced"]) == pytest.approx(30.0, rel=F32)
    assert value(tensorflow["tf_softmax_probabilities_eager"]) == pytest.approx(CEILING, rel=F32)
    assert value(tensorflow["tf_sigmoid_probabilities_traced"]) == pytest.approx(30.0, rel=F32)
    assert value(tensorflow["tf_sigmoid_probabilities_eager"]) == pytest.approx(binary_ceiling, rel=F32)


def test_keras_tensorflow_eager_from_logits_applies_tf_nn_softmax_twice(tensorflow):
    true_loss = lb.cross_entropy(probe.DOUBLE_LOGITS, [probe.DOUBLE_LABEL], from_logits=True)
    traced, eager = tensorflow["tf_softmax_from_logits_traced"], tensorflow["tf_softmax_from_logits_eager"]
    assert value(traced) == pytest.approx(true_loss, rel=F32) and warned_about_from_logits(traced)
    assert value(eager) == pytest.approx(double_softmax(probe.DOUBLE_LOGITS, [probe.DOUBLE_LABEL])[0], rel=F32)


def test_keras_tensorflow_fit_reports_the_loss_evaluate_does(tensorflow):
    assert value(tensorflow["tf_softmax_model_fit"]) == pytest.approx(30.0, rel=F32)
    assert value(tensorflow["tf_softmax_model_fit_eagerly"]) == pytest.approx(CEILING, rel=F32)


def test_keras_tensorflow_mixed_float16_softmax_is_clipped_unless_its_layer_is_float32(tensorflow):
    assert value(tensorflow["mixed_float16_softmax_evaluated"]) == pytest.approx(CEILING, rel=F32)
    assert value(tensorflow["mixed_float16_float32_softmax_evaluated"]) == pytest.approx(30.0, rel=F32)


def test_keras_jax_probabilities_from_a_softmax_or_sigmoid_are_clipped(jax):
    for name in ("softmax_layer_then_probabilities", "ops_softmax_then_probabilities",
                 "sigmoid_layer_then_probabilities"):
        assert value(jax[name]) == pytest.approx(CEILING, rel=F32)


# --- logits passed as probabilities -----------------------------------------------------------


def clipped_f32(p) -> np.ndarray:
    return np.clip(np.asarray(p, dtype=np.float32), np.float32(KERAS_EPS), ONE_MINUS_EPS).astype(np.float64)


def test_keras_categorical_rescales_rows_then_clips_on_both_backends(keras_on):
    scores, labels = np.asarray(probe.SCORES), np.asarray(probe.SCORE_LABELS)
    rescaled = clipped_f32(scores / scores.sum(axis=1, keepdims=True))
    expected = -np.log(rescaled[np.arange(3), labels])
    np.testing.assert_allclose(value(keras_on["scores_categorical"]), expected, rtol=F32)


def test_keras_tensorflow_sparse_clips_first_and_rescales_after(tensorflow):
    scores, labels = np.asarray(probe.SCORES), np.asarray(probe.SCORE_LABELS)
    clipped = clipped_f32(scores)
    expected = -np.log(clipped[np.arange(3), labels] / clipped.sum(axis=1))
    np.testing.assert_allclose(value(tensorflow["scores_sparse"]), expected, rtol=F32)
    assert not np.allclose(value(tensorflow["scores_sparse"]), value(tensorflow["scores_categorical"]))


def test_keras_jax_sparse_rescales_first_like_the_categorical_loss(jax):
    np.testing.assert_allclose(value(jax["scores_sparse"]), value(jax["scores_categorical"]), rtol=F32)


# --- integer labels into a one-hot loss; one output unit with softmax -------------------------


def test_keras_categorical_loss_refuses_integer_labels_with_a_shape_error(keras_on):
    for name in ("integer_labels_categorical", "integer_column_categorical"):
        assert keras_on[name].get("error") == "ValueError"
        assert "shape" in keras_on[name]["message"]


def test_keras_softmax_of_one_unit_is_one_and_warns(keras_on):
    assert value(keras_on["one_unit_softmax"]) == [[1.0]] * len(probe.ONE_UNIT_LOGITS)
    assert any("always return the value 1" in w for w in keras_on["one_unit_softmax"]["warnings"])


def test_keras_tensorflow_one_unit_softmax_with_bce_is_the_sigmoid_loss_of_the_logit(tensorflow):
    logits, labels = np.asarray(probe.ONE_UNIT_LOGITS), np.asarray(probe.ONE_UNIT_LABELS)
    expected = lb.binary_cross_entropy(logits, labels, from_logits=True, reduction="none")[:, 0]
    np.testing.assert_allclose(value(tensorflow["one_unit_bce"]), expected, rtol=F32)


def test_keras_jax_one_unit_softmax_with_bce_is_flat_at_the_clip(jax):
    labels = np.asarray(probe.ONE_UNIT_LABELS)[:, 0]
    expected = np.where(labels == 1.0, SURE_AND_RIGHT, UPPER_CEILING)
    np.testing.assert_allclose(value(jax["one_unit_bce"]), expected, rtol=F32)


def test_keras_tensorflow_one_unit_softmax_model_learns_yet_predicts_one(tensorflow):
    run = value(tensorflow["one_unit_training"])
    labels = (np.asarray(probe.INPUTS)[:, 0] > 0)
    assert run["loss"][-1] < 0.5 * run["loss"][0]
    assert np.all(np.asarray(run["predictions"]) == 1.0)
    # What it learned is a logistic regression on the pre-activation logit.
    assert np.mean((np.asarray(run["pre_activation"])[:, 0] > 0) == labels) >= 0.9


def test_keras_jax_one_unit_softmax_model_learns_nothing(jax):
    run = value(jax["one_unit_training"])
    assert len(set(run["loss"])) == 1
    assert np.all(np.asarray(run["predictions"]) == 1.0)


# --- labels out of range, ignored labels ------------------------------------------------------


def test_keras_tensorflow_out_of_range_label_raises_on_the_cpu(tensorflow):
    assert tensorflow["out_of_range"].get("error") == "InvalidArgumentError"
    assert "label value of 3" in tensorflow["out_of_range"]["message"]


def test_keras_jax_out_of_range_label_gives_a_loss_of_zero(jax):
    got = value(jax["out_of_range"])
    logits = np.asarray(probe.WEIGHT_LOGITS[:2])
    np.testing.assert_allclose(got[:2], lb.cross_entropy(logits, [1, 2], from_logits=True, reduction="none"),
                               rtol=F32)
    assert got[2] == 0.0


def test_keras_ignore_class_leaves_the_example_out_of_the_mean(keras_on):
    labels = np.asarray([probe.WEIGHT_LABELS[0], probe.IGNORED, probe.WEIGHT_LABELS[2]])
    expected = lb.cross_entropy(np.asarray(probe.WEIGHT_LOGITS[:3]), labels, from_logits=True,
                                ignore_index=probe.IGNORED)
    assert value(keras_on["ignore_class"]) == pytest.approx(expected, rel=F32)


# --- label smoothing ----------------------------------------------------------------------------


def test_keras_categorical_label_smoothing_is_the_shared_formula(keras_on):
    eps, k = probe.SMOOTHING, 4
    smoothed = (1 - eps) * lb.one_hot(probe.SMOOTH_LABELS, k) + eps / k
    expected = lb.cross_entropy(np.asarray(probe.SMOOTH_LOGITS), smoothed, from_logits=True, reduction="none")
    np.testing.assert_allclose(value(keras_on["smoothing_categorical"]), expected, rtol=F32)


def test_keras_binary_label_smoothing_pulls_each_target_towards_one_half(keras_on):
    eps = probe.SMOOTHING
    smoothed = np.asarray(probe.BINARY_TARGETS) * (1 - eps) + eps / 2
    expected = lb.binary_cross_entropy(np.asarray(probe.BINARY_LOGITS), smoothed, from_logits=True,
                                       reduction="none").mean(axis=1)
    np.testing.assert_allclose(value(keras_on["smoothing_binary"]), expected, rtol=F32)


def test_keras_sparse_loss_has_no_label_smoothing(keras_on):
    assert keras_on["smoothing_sparse"].get("error") == "TypeError"
    assert "label_smoothing" in keras_on["smoothing_sparse"]["message"]


# --- far logits, float16, and the names the chapter uses ----------------------------------------


def test_keras_binary_cross_entropy_on_logits_has_no_cap(keras_on):
    expected = lb.binary_cross_entropy(np.asarray(probe.FAR_LOGITS), np.asarray(probe.FAR_LABELS),
                                       from_logits=True, reduction="none")[:, 0]
    np.testing.assert_allclose(value(keras_on["bce_far_logits"]), expected, rtol=F32)
    assert min(value(keras_on["bce_far_logits"])) > 30.0


def test_keras_mixed_float16_softmax_runs_in_float16_unless_its_layer_is_float32(keras_on):
    assert value(keras_on["mixed_precision_dtypes"]) == ["float16", "float32"]


def test_keras_names_in_the_chapter_exist(keras_on):
    assert keras_on["missing_names"] == []


# --- the numbers the chapter shows, against Keras itself ----------------------------------------


# (glued name, backends that return it, measurement, index in its value)
GLUED_FROM_KERAS = [
    ("fw_keras_true_loss", ["tensorflow"], "double_cce", None),
    ("fw_keras_double_loss", ["jax"], "double_cce", None),
    ("fw_keras_ceiling", BACKENDS, "cce_probability_zero", None),
    ("fw_keras_floor", BACKENDS, "cce_probability_one", None),
    ("fw_tf_softmax_traced", ["tensorflow"], "tf_softmax_model_evaluated", None),
    ("fw_tf_softmax_eager", ["tensorflow"], "tf_softmax_model_evaluated_eagerly", None),
    ("fw_keras_one_unit_negative", ["jax"], "one_unit_bce", 1),
    ("fw_fromlogits_first", BACKENDS, "scores_categorical", 0),
    ("fw_fromlogits_second", BACKENDS, "scores_categorical", 1),
    ("fw_fromlogits_third", BACKENDS, "scores_categorical", 2),
]


@pytest.mark.parametrize(("name", "backends", "measurement", "index"),
                         [pytest.param(*row, id=row[0]) for row in GLUED_FROM_KERAS])
def test_keras_returns_the_number_the_chapter_glues(keras_runs, name, backends, measurement, index):
    for backend in backends:
        got = value(keras_runs[backend][measurement])
        got = got if index is None else got[index]
        assert got == pytest.approx(glued(name), rel=F32), f"{name} on {backend}"
