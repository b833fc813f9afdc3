"""Edit each HTML page Sphinx writes, after its template is rendered (used by the other extensions here).

Sphinx has no event that hands over a page's finished HTML, and some of what the site fixes is in
the theme's templates (icons, labels), not in the document. ``after_render(app, edit)`` wraps the
HTML builder's template renderer so that ``edit(html) -> html`` sees every complete page (the
theme also renders page fragments with it; those are passed through untouched).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sphinx.application import Sphinx


def after_render(app: Sphinx, edit: Callable[[str], str]) -> None:
    """Apply ``edit`` to every complete page the HTML builder renders from now on."""
    if app.builder.format != "html":
        return
    templates = app.builder.templates  # type: ignore[attr-defined]
    render = templates.render

    def render_page(template: str, context: dict[str, Any]) -> str:
        html = render(template, context)
        return edit(html) if "</body>" in html else html

    templates.render = render_page
