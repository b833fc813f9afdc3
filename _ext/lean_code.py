"""Sphinx extension: code blocks without the spans that change nothing a reader sees.

Pygments wraps every token of highlighted code in a ``<span class="...">``, even names,
punctuation and spaces, which the site's light and dark code styles draw in the block's own
text colour. Those tokens are two thirds of the spans on a chapter page (3,600 of the 10,600
elements of the training chapter), and every element costs the browser style and layout
work before a page is usable. This extension drops exactly those spans when a page is
written, keeping their text: a token class is dropped only if both code styles the theme uses
(``pygments_light_style``, ``pygments_dark_style``) give it nothing but the plain text's colour,
so every visible colour, weight and slant stays as it was.
"""

from __future__ import annotations

import re
from typing import Any

from pygments.styles import get_style_by_name
from pygments.token import STANDARD_TYPES, Text
from sphinx.application import Sphinx

from page_html import after_render

CODE_BLOCK = re.compile(r'(<div class="highlight"><pre[^>]*>)(.*?)(</pre>)', re.S)
DECORATIONS = ("bold", "italic", "underline", "bgcolor", "border")


def plain_classes(style_names: list[str]) -> set[str]:
    """The token classes every one of these Pygments styles draws exactly like plain text.

    Examples
    --------
    >>> sorted({"n", "p", "w"} & plain_classes(["a11y-high-contrast-light", "a11y-high-contrast-dark"]))
    ['n', 'p', 'w']
    >>> "k" in plain_classes(["a11y-high-contrast-light"])  # keywords are coloured
    False
    """
    styles = [get_style_by_name(name) for name in style_names]
    return {cls for token, cls in STANDARD_TYPES.items() if cls and all(looks_like_text(style, token) for style in styles)}


def looks_like_text(style: Any, token: Any) -> bool:
    """Whether ``style`` draws ``token`` in the plain text's colour, with no weight, slant or box."""
    found = style.style_for_token(token)
    return found["color"] in (None, style.style_for_token(Text)["color"]) and not any(found[key] for key in DECORATIONS)


def drop_plain_spans(html: str, plain: set[str]) -> str:
    """``html`` with the spans of ``plain`` classes inside code blocks replaced by their text.

    >>> drop_plain_spans('<div class="highlight"><pre><span class="n">x</span><span class="o">=</span></pre>', {"n"})
    '<div class="highlight"><pre>x<span class="o">=</span></pre>'
    """
    span = re.compile(r'<span class="(?:%s)">([^<]*)</span>' % "|".join(map(re.escape, sorted(plain))))
    return CODE_BLOCK.sub(lambda block: block.group(1) + span.sub(r"\1", block.group(2)) + block.group(3), html)


def style_names(app: Sphinx) -> list[str]:
    """The light and dark Pygments styles pydata-sphinx-theme writes into pygments.css."""
    options = {**app.builder.theme.get_options(), **(app.config.html_theme_options or {})}  # type: ignore[attr-defined]
    return [options["pygments_light_style"], options["pygments_dark_style"]]


def setup_after_render(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    plain = plain_classes(style_names(app))
    after_render(app, lambda html: drop_plain_spans(html, plain))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", setup_after_render)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
