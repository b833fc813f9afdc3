"""The widget state a built page embeds, read back as the tests need it.

myst-nb writes every widget model of a page into one
``<script type="application/vnd.jupyter.widget-state+json">``, with ``</`` escaped as ``<\\/``."""

from __future__ import annotations

import json
import re

#: The page's widget-state script, in three groups: opening tag, JSON, closing tag.
STATE_SCRIPT = re.compile(r'(<script type="application/vnd\.jupyter\.widget-state\+json">)(.*?)(</script>)', re.S)


def widget_states(html: str) -> list[dict] | None:
    """The traits of each widget model embedded in ``html``, or None if it embeds no state."""
    match = STATE_SCRIPT.search(html)
    if match is None:
        return None
    return [model["state"] for model in json.loads(match.group(2).replace("<\\/", "</"))["state"].values()]
