"""The site's figures are rewritten as 256-colour PNGs only where that looks the same (_ext/compact_images.py)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import matplotlib
import numpy as np
from PIL import Image

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
from compact_images import MAX_MEAN_ERROR, palette_png  # noqa: E402


def chart(path: Path) -> Path:
    """A figure like the chapters': two curves, markers, a shaded band, text."""
    fig, ax = plt.subplots(figsize=(6, 3.5))
    x = np.linspace(0.01, 0.99, 200)
    ax.plot(x, -np.log(x), label="−log p")
    ax.plot(x, (1 - x) ** 2, label="(1 − p)²")
    ax.fill_between(x, 0, 1, where=x > 0.5, alpha=0.2)
    ax.scatter(x[::20], -np.log(x[::20]), marker="s")
    ax.legend()
    ax.set_title("loss against p")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def pixels(data: bytes | Path) -> np.ndarray:
    with Image.open(io.BytesIO(data) if isinstance(data, bytes) else data) as image:
        return np.asarray(image.convert("RGB"), dtype=np.int16)


def test_a_chart_becomes_a_smaller_palette_png_that_looks_the_same(tmp_path):
    path = chart(tmp_path / "chart.png")
    smaller = palette_png(path)
    assert smaller is not None and len(smaller) < 0.6 * path.stat().st_size
    with Image.open(io.BytesIO(smaller)) as image, Image.open(path) as original:
        assert image.mode == "P" and image.size == original.size
    assert np.abs(pixels(smaller) - pixels(path)).mean() <= MAX_MEAN_ERROR


def test_a_smooth_photograph_like_image_is_left_in_true_colour(tmp_path):
    rng = np.random.default_rng(0)
    noise = rng.integers(0, 256, size=(200, 300, 3), dtype=np.uint8)
    Image.fromarray(noise).save(tmp_path / "noise.png")
    assert palette_png(tmp_path / "noise.png") is None


def test_a_transparent_image_and_a_palette_image_are_left_alone(tmp_path):
    rgba = np.zeros((50, 50, 4), dtype=np.uint8)
    rgba[10:40, 10:40] = (200, 30, 30, 255)
    Image.fromarray(rgba).save(tmp_path / "clear.png")
    assert palette_png(tmp_path / "clear.png") is None
    Image.fromarray(rgba[..., :3]).quantize(4).save(tmp_path / "palette.png")
    assert palette_png(tmp_path / "palette.png") is None
