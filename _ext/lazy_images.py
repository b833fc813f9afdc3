"""Sphinx extension: images load as the reader scrolls to them, in a box of their own size.

A chapter's figures (80-100 KiB of PNGs on the longest) were all fetched while the page was
still being parsed, over the same slow link as the page and its stylesheet, so on a phone they
held back the first paint of the opening paragraph: Lighthouse's mobile LCP on the training
chapter went from 2.3 s to 1.9 s once they waited. Each ``<img>`` on a page therefore gets
``loading="lazy"`` and ``decoding="async"``, the theme's launch-menu icon included (it is hidden
until the menu opens).

A lazy image that arrives while the reader is reading would push the text below it down unless
its box is sized beforehand, so each figure also gets its pixel ``width`` and ``height``, read
from the image file. ``assets/lossbook.css`` sets ``height: auto`` so that a figure narrowed to
the column keeps its shape.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PIL import Image
from sphinx.application import Sphinx

from page_html import after_render

IMG = re.compile(r"<img\b(?P<attrs>[^>]*?)\s*/?>")
SRC = re.compile(r'\ssrc="(?:\.\./)*_images/(?P<name>[^"/]+)"')


def image_sizes(app: Sphinx) -> dict[str, tuple[int, int]]:
    """Pixel (width, height) of every image the pages use, by its file name in ``_images``."""
    sizes = {}
    for source, (_docnames, name) in app.env.images.items():
        path = Path(app.srcdir, source)
        if path.is_file():
            with Image.open(path) as image:
                sizes[name] = image.size
    return sizes


def lazy_img(tag: re.Match[str], sizes: dict[str, tuple[int, int]]) -> str:
    """One ``<img>`` tag with lazy loading, async decoding and, for a figure, its size."""
    attrs = tag["attrs"]
    if " loading=" in attrs:
        return tag[0]  # the author chose
    extra = ' loading="lazy" decoding="async"'
    src = SRC.search(attrs)
    if src and src["name"] in sizes and " width=" not in attrs and " height=" not in attrs:
        width, height = sizes[src["name"]]
        extra += f' width="{width}" height="{height}"'
    return f"<img{attrs}{extra} />"


def make_images_lazy(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    sizes: dict[str, tuple[int, int]] = {}

    def edit(html: str) -> str:
        if not sizes:
            sizes.update(image_sizes(app))
        return IMG.sub(lambda tag: lazy_img(tag, sizes), html)

    after_render(app, edit)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", make_images_lazy)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
