"""Sphinx extension: each page carries only the widgets it shows, and their code is shared.

myst-nb embeds a notebook's whole widget state in its page: every model the kernel created,
shown or not, each with its anywidget front end (``_esm``, 33 KB for the training playground)
and stylesheet (``_css``) as text. The training chapter builds ten playgrounds, nine of them
only to compute the numbers its prose quotes, so its page carried ten copies of the same
module, and gzip cannot share text that far apart.

After a page is read, this extension

1. keeps only the models a view on the page needs: the model each view names, and the models
   those refer to as ``"IPY_MODEL_<id>"`` (an anywidget's layout);
2. writes each distinct ``_esm`` once for the whole site, as
   ``_static/widgets/<widget>-<hash>.js``: a classic script that hands the source text to the
   host (``assets/anywidget-host.js``), which imports it as a module. It is a classic script, not
   a module file, because pages opened from file:// cannot import modules. The page's state
   keeps ``"_esm": "lossbook-shared:<file name>"`` in its place, and the script is loaded
   (async, as the host) before the page's other scripts;
3. writes each distinct ``_css`` once as ``_static/widgets/widgets-<hash>.css``, linked from the
   head of the pages that use it, so the widgets are styled before they are drawn.

A browser then fetches each widget's code once for the whole site. The models' own traits (the
numbers the widgets start from) are untouched, and Jupyter and Colab, which run the notebooks,
not these pages, are not affected.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from myst_nb.core.render import sanitize_script_content
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from anywidget_check import STATE_KEY, VIEW_SCRIPT

SHARED = "lossbook-shared:"  # the host (assets/anywidget-host.js) looks for this prefix
MODULE_EVENT = "lossbook-widget-module"  # and listens for this event
REFERENCE = re.compile(r"IPY_MODEL_([A-Za-z0-9_-]+)")
FOLDER = "widgets"  # under _static
# Before Sphinx's own scripts (200) and the extensions' (500), and fetched at high priority, so that
# the browser asks for the widgets' modules and the host (all async) first: the widgets are what a
# reader waits for.
WIDGET_PRIORITY = 150
EARLY = {"fetchpriority": "high", "priority": WIDGET_PRIORITY}


def needed_models(states: dict[str, Any], view_ids: list[str]) -> set[str]:
    """The ids of the models the views show and, transitively, the models those refer to.

    Examples
    --------
    >>> states = {"a": {"state": {"layout": "IPY_MODEL_b"}}, "b": {"state": {}}, "c": {"state": {}}}
    >>> sorted(needed_models(states, ["a"]))
    ['a', 'b']
    """
    needed: set[str] = set()
    todo = [model_id for model_id in view_ids if model_id in states]
    while todo:
        model_id = todo.pop()
        if model_id in needed:
            continue
        needed.add(model_id)
        todo.extend(ref for ref in REFERENCE.findall(json.dumps(states[model_id]["state"])) if ref in states)
    return needed


def file_name(stem: str, text: str, suffix: str) -> str:
    """A name that changes whenever the text does, so a browser never runs a stale copy."""
    return f"{stem}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}{suffix}"


def module_script(name: str, source: str) -> str:
    """A classic script that gives ``source`` to the host, under the file's name, and tells it so."""
    return (f"(self.lossbookWidgetModules ??= {{}})[{json.dumps(name)}] = {json.dumps(source)};\n"
            f"self.dispatchEvent(new CustomEvent({json.dumps(MODULE_EVENT)}, {{ detail: {json.dumps(name)} }}));\n")


def share_widget_code(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    docname = env.docname
    js_files = getattr(env, "nb_metadata", {}).get(docname, {}).get("js_files", {})
    if STATE_KEY not in js_files:
        return
    uri, attributes = js_files[STATE_KEY]
    embedded = json.loads(attributes["body"].replace(r"<\/script>", "</script>"))
    views = [json.loads(match.group(1)).get("model_id")
             for node in doctree.findall(nodes.raw) for match in VIEW_SCRIPT.finditer(node.astext())]
    keep = needed_models(embedded["state"], views)
    files: dict[str, str] = {}
    state = {}
    for model_id, model in embedded["state"].items():
        if model_id not in keep:
            continue
        traits = dict(model["state"])
        if model.get("model_module") == "anywidget" and isinstance(traits.get("_esm"), str):
            stem = str(traits.get("_anywidget_id", "widget")).rsplit(".", 1)[-1].lower()
            name = file_name(stem, traits["_esm"], ".js")
            files[name] = module_script(name, traits["_esm"])
            traits["_esm"] = SHARED + name
            if isinstance(traits.get("_css"), str) and traits["_css"]:
                name = file_name("widgets", traits["_css"], ".css")
                files[name] = traits["_css"]
                traits["_css"] = ""
        state[model_id] = {**model, "state": traits}
    embedded["state"] = state
    body = sanitize_script_content(json.dumps(embedded))
    # The state first, then the widget modules, then the rest (the host), in that order.
    scripts = {f"lossbook_widget_{name}": (f"{FOLDER}/{name}", {"async": "async", **EARLY}) for name in files if name.endswith(".js")}
    # myst-nb's keys for the scripts of nb_ipywidgets_js (here, the host): they come first too.
    others = {key: (uri, {**kwargs, **EARLY}) if key.startswith("ipywidgets_") else (uri, kwargs)
              for key, (uri, kwargs) in js_files.items() if key != STATE_KEY}
    js_files.clear()
    # The state goes above the host's tag, so the host finds it as soon as it runs.
    js_files.update({STATE_KEY: (uri, {**attributes, "body": body, "priority": WIDGET_PRIORITY - 1}), **scripts, **others})
    env_files(env)[docname] = files


def env_files(env: BuildEnvironment) -> dict[str, dict[str, str]]:
    """Per page, the widget files it needs: {file name: text}. Kept in the environment, so a page
    that is not read again (its source unchanged) still has its files written."""
    if not hasattr(env, "lossbook_widget_files"):
        env.lossbook_widget_files = {}  # type: ignore[attr-defined]
    return env.lossbook_widget_files  # type: ignore[attr-defined, no-any-return]


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    env_files(env).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    env_files(env).update({name: files for name, files in env_files(other).items() if name in docnames})


def link_styles(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    for name in env_files(app.env).get(pagename, {}):
        if name.endswith(".css"):
            # After every stylesheet the pages share, so those stay one run (_ext/css_bundle.py).
            app.add_css_file(f"{FOLDER}/{name}", priority=900)


def write_files(app: Sphinx, exception: Exception | None) -> None:
    """Write the files the pages need, and only those: a widget's old versions are removed."""
    if exception is not None or app.builder.format != "html":
        return
    folder = Path(app.outdir) / "_static" / FOLDER
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for files in env_files(app.env).values():
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    # After anywidget_check (priority 500), which checks the page's widgets as myst-nb wrote them.
    app.connect("doctree-read", share_widget_code, priority=600)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("html-page-context", link_styles)
    app.connect("build-finished", write_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
