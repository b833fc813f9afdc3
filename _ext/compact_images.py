"""Sphinx extension: the chapters' figures as 256-colour PNGs, a third of their size.

Matplotlib saves figures as true-colour PNGs with an alpha channel, 20-56 KiB each here. A
figure of lines, markers and a few shaded regions has only a few hundred to a few thousand
colours, nearly all of them the anti-aliased edges, so a 256-colour palette drawn from the image
itself looks the same: on this book's figures the mean change is under 0.1 of 255 per channel.
After the build, each PNG in ``_images`` is rewritten that way when that makes it smaller and
changes it by at most ``MAX_MEAN_ERROR`` on average; a figure with smooth gradients (a
colour map, a photograph) would fail that test and is left as it was.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

MAX_MEAN_ERROR = 0.5  # mean absolute change per channel, out of 255


def palette_png(path: Path) -> bytes | None:
    """The image at ``path`` as a smaller 256-colour PNG, or None if it should stay as it is."""
    with Image.open(path) as image:
        if image.mode == "P":
            return None  # already a palette image (this build wrote it)
        if image.mode == "RGBA" and image.getchannel("A").getextrema() != (255, 255):
            return None  # transparent pixels: the palette below has no alpha
        rgb = image.convert("RGB")
    palette = rgb.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    error = np.abs(np.asarray(rgb, dtype=np.int16) - np.asarray(palette.convert("RGB"), dtype=np.int16)).mean()
    if error > MAX_MEAN_ERROR:
        logger.info("compact_images: %s kept in true colour (a palette would change it by %.2f)", path.name, error)
        return None
    out = io.BytesIO()
    palette.save(out, "PNG", optimize=True)
    return out.getvalue() if out.tell() < path.stat().st_size else None


def compact_images(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for path in sorted((Path(app.outdir) / "_images").glob("*.png")):
        smaller = palette_png(path)
        if smaller is not None:
            path.write_bytes(smaller)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", compact_images)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
