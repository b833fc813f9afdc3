"""Sphinx extension: fail the build on a page that displays a widget the site cannot run.

The static site runs widgets with ``assets/anywidget-host.js``, which can run only anywidgets:
their front end travels inside the widget state (the ``_esm`` trait), so no widget library has
to be shipped. Any other widget (an ipywidgets slider, a widget from another package) would be
dead on the page, so each such view is reported as an error where the chapter displays it;
``-W`` makes the build fail. The fix is to write the widget as an anywidget (see
``lossbook/widgets``), or to not display it in the chapter.
"""

from __future__ import annotations

import json
import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

VIEW_SCRIPT = re.compile(r'<script type="application/vnd\.jupyter\.widget-view\+json">(.*?)</script>', re.S)
STATE_KEY = "ipywidgets_state"  # myst-nb's key for the page's widget-state script
URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


def widget_states(app: Sphinx, docname: str) -> dict[str, Any]:
    """The page's widget models by id, as myst-nb embeds them (empty when it embeds none)."""
    js_files = getattr(app.env, "nb_metadata", {}).get(docname, {}).get("js_files", {})
    if STATE_KEY not in js_files:
        return {}
    _, attributes = js_files[STATE_KEY]
    return dict(json.loads(attributes["body"]).get("state", {}))


def refusal(model: dict[str, Any] | None) -> str | None:
    """Why the static site cannot run this model, or None if it can.

    Examples
    --------
    >>> refusal({"model_module": "anywidget", "model_name": "AnyModel", "state": {"_esm": "export default {}"}})
    >>> refusal({"model_module": "@jupyter-widgets/controls", "model_name": "IntSliderModel", "state": {}})
    '@jupyter-widgets/controls.IntSliderModel is not an anywidget'
    """
    if model is None:
        return "its model is missing from the page's widget state"
    esm = model.get("state", {}).get("_esm")
    if model.get("model_module") != "anywidget" or not isinstance(esm, str):
        return f"{model.get('model_module')}.{model.get('model_name')} is not an anywidget"
    if URL.match(esm.strip()):
        return f"its front end is loaded from {esm.strip()!r}, outside the site; pass the module's source as _esm"
    return None


def check_widget_views(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    states = widget_states(app, docname)
    for node in doctree.findall(nodes.raw):
        for match in VIEW_SCRIPT.finditer(node.astext()):
            model_id = json.loads(match.group(1)).get("model_id")
            reason = refusal(states.get(model_id))
            if reason:
                logger.error(
                    "this page displays a widget the static site cannot run: %s. Only anywidgets "
                    "run on the site (assets/anywidget-host.js): write it as one, or do not display it.",
                    reason, location=node, type="lossbook", subtype="widget",
                )


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", check_widget_views)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
