"""Sphinx extension: the theme's icons as inline SVG, without the 1.4 MB FontAwesome script.

pydata-sphinx-theme writes its icons as ``<i class="fa-solid fa-sun">`` and loads
``fontawesome.js``, which swaps each for an SVG after the page loads; the theme has no setting
to leave it out. This extension does the swap when the page is written (and draws the icon the theme puts
before a shortened GitHub link with the brands font the same way), from the Font Awesome
Free SVG files of the icons the pages show (``_ext/vendored/icons/``, the same Font Awesome version as the
theme's, refreshed by ``scripts/vendor_site_js.sh``), and drops the script tag. Each SVG keeps
the element's classes and data attributes, so the theme's CSS applies as it did to
fontawesome.js's SVG, and is hidden from screen readers: every icon sits in a labelled control or
beside its text. An icon with no file in ``_ext/vendored/icons/`` is a build warning naming the file to add.
"""

from __future__ import annotations

import html as html_lib
import re
from functools import cache
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from page_html import after_render

logger = logging.getLogger(__name__)

ICONS = Path(__file__).parent / "vendored" / "icons"
# An empty <i> or <span> with a Font Awesome class (fa, fas, fab, far, fa-*) among its classes.
ICON_ELEMENT = re.compile(r'<(i|span)\s+class="(?P<classes>(?:[^"]*\s)?(?:fa[bsr]?|fa-[a-z0-9-]+)(?:\s[^"]*)?)"'
                          r'(?P<attributes>[^>]*)>\s*</\1>')
FONTAWESOME_SCRIPT = re.compile(r'\s*<script[^>]*src="[^"]*_static/scripts/fontawesome\.js[^"]*"[^>]*></script>')
# pydata-sphinx-theme shortens links to GitHub and GitLab and marks them with a class that draws
# the platform's icon from Font Awesome's brands font (115 KiB) in ::before; lossbook.css turns
# that off and the icon is written into the link instead.
PLATFORM_LINK = re.compile(r'<a class="(?:[^"]*\s)?(?P<platform>github|gitlab)(?:\s[^"]*)?"[^>]*>')
DATA_ATTRIBUTE = re.compile(r'\s(data-[a-z-]+)="([^"]*)"')
FAMILIES = {"fa-solid": "solid", "fas": "solid", "fa-brands": "brands", "fab": "brands",
            "fa-regular": "regular", "far": "regular"}
# Font Awesome classes that style an icon rather than name it.
MODIFIERS = {"fa", "fa-lg", "fa-xs", "fa-sm", "fa-xl", "fa-2xs", "fa-2xl", "fa-fw", "fa-spin", "fa-pulse",
             "fa-border", "fa-inverse", "fa-li", "fa-ul", "fa-pull-left", "fa-pull-right", *FAMILIES}


@cache
def icon_svg(family: str, name: str) -> tuple[str, str] | None:
    """(viewBox, inner markup with the licence comment) of one icon, or None without its file."""
    path = ICONS / family / f"{name}.svg"
    if not path.is_file():
        return None
    source = path.read_text(encoding="utf-8")
    match = re.search(r'viewBox="([^"]+)"[^>]*>(.*)</svg>', source, re.S)
    assert match, f"{path} is not a Font Awesome SVG file"
    return match.group(1), match.group(2).replace("<path ", '<path fill="currentColor" ')


def replace_icon(match: re.Match[str], page: str) -> str:
    classes = match.group("classes").split()
    family = next((FAMILIES[c] for c in classes if c in FAMILIES), "solid")
    names = [c.removeprefix("fa-") for c in classes if c.startswith("fa-") and c not in MODIFIERS]
    icon = icon_svg(family, names[0]) if names else None
    if icon is None:
        logger.warning("%s: no SVG for the icon %r; add %s/%s.svg to the icons in scripts/vendor_site_js.sh",
                       page, match.group(0), family, names[0] if names else "?", type="lossbook", subtype="icon")
        return match.group(0)
    view_box, inner = icon
    data = "".join(f' {key}="{html_lib.escape(value)}"' for key, value in DATA_ATTRIBUTE.findall(match.group("attributes")))
    return (f'<svg class="svg-inline--fa {" ".join(classes)}"{data} aria-hidden="true" focusable="false" '
            f'xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}">{inner}</svg>')


def mark_platform_link(match: re.Match[str]) -> str:
    """The GitHub or GitLab icon the theme draws before a shortened link, as inline SVG."""
    platform = match.group("platform")
    icon = f'<i class="fa-brands fa-{platform}"></i>'
    return f"{match.group(0)}{ICON_ELEMENT.sub(lambda found: replace_icon(found, platform), icon)}"


def inline_icons(html: str) -> str:
    page = re.search(r"<title>(.*?)</title>", html, re.S)
    where = page.group(1).strip() if page else "a page"
    html = FONTAWESOME_SCRIPT.sub("", html)
    html = PLATFORM_LINK.sub(mark_platform_link, html)
    return ICON_ELEMENT.sub(lambda match: replace_icon(match, where), html)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", lambda app: after_render(app, inline_icons))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
