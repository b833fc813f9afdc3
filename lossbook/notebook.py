"""Helpers that let a chapter run the same way in the book build, in Jupyter and in Colab.

The book build executes chapters with myst-nb installed; a bare Colab runtime does not have
it. These helpers use the book's machinery when it is there and step aside when it is not,
so a chapter never needs an ``if`` of its own.
"""

from __future__ import annotations

from typing import Any

__all__ = ["glue", "enable_colab_widgets"]


def glue(name: str, value: Any, display: bool = False) -> Any:
    """Store ``value`` under ``name`` for the page's ``{glue}`` roles, and return it.

    In the book build this is :func:`myst_nb.glue`; the prose then cites the value with
    ``{glue:text}`name:.3f```, so no computed number is ever typed by hand. Where myst-nb
    is not installed (Colab, a plain Jupyter kernel) nothing is stored and, with
    ``display=True``, the value is shown as the cell's output instead.

    Parameters
    ----------
    name : str
        The key the prose refers to. Must be a non-empty string.
    value : object
        What to store: a number, an array, a figure.
    display : bool, default False
        Whether to also show the value as output of the cell.

    Returns
    -------
    object
        ``value`` itself, so ``x = glue("x", compute())`` reads naturally.

    Raises
    ------
    TypeError
        If ``name`` is not a string.
    ValueError
        If ``name`` is empty.

    Examples
    --------
    >>> glue("answer", 42)
    42
    """
    if not isinstance(name, str):
        raise TypeError(f"glue name must be a str, got {type(name).__name__} {name!r}; "
                        "pass the key the prose uses, e.g. glue('loss', 0.35)")
    if not name:
        raise ValueError("glue name is empty; pass the key the prose uses, e.g. glue('loss', 0.35)")
    try:
        from myst_nb import glue as myst_glue  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        if display:
            from IPython.display import display as show

            show(value)  # type: ignore[no-untyped-call, unused-ignore]
        return value
    myst_glue(name, value, display=display)
    return value


def enable_colab_widgets() -> None:
    """Let Colab render the course's third-party (anywidget) widgets.

    Colab shows only its built-in widgets until the custom widget manager is enabled; see
    ``google.colab.output.enable_custom_widget_manager``. Anywhere else this does nothing.
    It returns nothing, so a chapter's first cell can end with it without printing a value.

    Examples
    --------
    >>> enable_colab_widgets()  # outside Colab: nothing happens, nothing is shown
    """
    try:
        from google.colab import output  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except ImportError:
        return
    output.enable_custom_widget_manager()
