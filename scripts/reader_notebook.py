"""Turn an executed MyST chapter into a notebook for readers: plain Jupyter Markdown, no outputs.

Jupyter and Colab render CommonMark with `$…$` maths and nothing of MyST, so every MyST construct
is rewritten into what they do render:

- glue roles become the value the build glued (formatted as the website formats it);
- labelled equations get `\\tag{2.1}` with the website's number, `{eq}` references read "(2.1)"
  and link to the equation on the website, and an equation's label in code, `(eq-x)`, reads
  "(2.1)" too; `{numref}`, `{ref}` and `{doc}` become links;
- `{cite:p}` reads "(Shannon, 1948)", and a References section closes the notebook;
- admonitions, margin notes and other boxes become blockquotes with a bold title;
- the introduction's `cite-this-book` block becomes the same BibTeX entry the website shows
  (generated from CITATION.cff by `_ext/edition.py`);
- exercises become headed sections ("### Exercise 2.1"), and each solution a heading one level
  deeper whose section starts collapsed, so the answer stays hidden until the reader opens it.
  The solution's code stays an ordinary, runnable code cell. A collapsed heading is the one
  mechanism both front ends honour for code: JupyterLab and Notebook 7 read the heading cell's
  `jp-MarkdownHeadingCollapsed` metadata, Colab the notebook's `colab.collapsed_sections` list of
  heading-cell ids. (`<details>` can hold only Markdown, not a code cell.)
- cells the website shows only by their output (``remove-input``: the self-check questions, whose
  code holds the answers) keep their code hidden until the reader opens it.

The text is parsed with the same markdown-it-py parser, plugins and options myst-parser uses
(`myst_parser.parsers.mdit.create_md_parser`), so roles, fences, labels and targets are found
as syntax-tree tokens. Plain Markdown between them is kept as written: each MyST construct's
lines (or, for a role, its markup) are replaced by its rendering.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from posixpath import dirname, join, normpath

from book_index import BookIndex
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_nb.core.variables import format_plain_text
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

# The book's `parse: myst_enable_extensions` (the converter is tested against every chapter).
EXTENSIONS = {"amsmath", "colon_fence", "deflist", "dollarmath", "substitution"}
ADMONITIONS = {"admonition", "note", "tip", "hint", "important", "warning", "caution",
               "attention", "danger", "error", "seealso", "margin", "sidebar", "topic", "epigraph"}
DROPPED = {"bibliography", "toctree", "tableofcontents", "solution-end", "glue", "glue:any",
           "glue:figure", "raw"}
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
from code_equation_numbers import LABEL_IN_CODE  # noqa: E402  (the same pattern the site uses)
import edition  # noqa: E402  (the Sphinx extension that writes the citation on the website)

CELL_BREAK = "\x1e"  # splits one converted Markdown cell into several (a solution heading)
OPTION_LINE = re.compile(r":([\w-]+):(?:\s+(.*))?$")  # ":label: ex-1" at the top of a directive


def markdown_parser() -> MarkdownIt:
    """The MarkdownIt parser myst-parser builds for this book's extensions."""
    return create_md_parser(MdParserConfig(enable_extensions=EXTENSIONS), RendererHTML)


@dataclass
class Chapter:
    """What the conversion of one chapter needs and accumulates, cell after cell."""

    docname: str
    index: BookIndex
    parser: MarkdownIt = field(default_factory=markdown_parser)
    heading_level: int = 1  # level of the latest heading: exercises go one deeper
    exercises_seen: int = 0
    citations: list[str] = field(default_factory=list)  # keys, in order of first use
    collapsed: list[str] = field(default_factory=list)  # ids of solution heading cells

    def link(self, text: str, docname: str, anchor: str = "") -> str:
        return f"[{text}]({self.index.url(docname, anchor)})"


def _split_title(content: str) -> tuple[str | None, str]:
    """`text <target>` -> ("text", "target"); `target` -> (None, "target")."""
    content = " ".join(content.split())
    if content.endswith(">") and " <" in content:
        title, target = content[:-1].rsplit(" <", 1)
        return title, target
    return None, content


def _anchor(chapter: Chapter, label: str, role: str):
    found = chapter.index.anchors.get(label)
    if found is None:
        raise KeyError(f"{chapter.docname}: {{{role}}}`{label}` names no anchor of the built site")
    return found


def render_role(name: str, content: str, chapter: Chapter) -> str:
    """The Markdown for one MyST role."""
    if name in ("glue", "glue:text", "glue:md"):
        key, _, spec = content.rpartition(":") if ":" in content else (content, "", "")
        data = chapter.index.glue[chapter.docname][key]
        if name == "glue:md":
            return data["text/markdown"]
        return format_plain_text(data["text/plain"], spec or "")
    if name == "eq":
        title, label = _split_title(content)
        found = _anchor(chapter, f"equation-{label}", name)
        return chapter.link(title or found.text, found.docname, found.anchor)
    if name in ("numref", "ref"):
        title, label = _split_title(content)
        found = _anchor(chapter, label, name)
        number = found.text.split()[-1] if found.text else ""
        text = (title or found.text).replace("{number}", number).replace("%s", number)
        return chapter.link(text, found.docname, found.anchor)
    if name == "doc":
        title, target = _split_title(content)
        docname = target.lstrip("/") if target.startswith("/") else normpath(
            join(dirname(chapter.docname), target))
        return chapter.link(title or chapter.index.titles[docname], docname)
    if name.startswith("cite"):
        keys = [k.strip() for k in content.split(",")]
        chapter.citations.extend(k for k in keys if k not in chapter.citations)
        labels = [chapter.index.cite_label(k) for k in keys]
        if name in ("cite:t", "cite:ts"):
            return "; ".join(f"{names} ({year})" for names, year in labels)
        return "(" + "; ".join(f"{names}, {year}" for names, year in labels) + ")"
    if name == "math":
        return f"${content}$"
    title, _ = _split_title(content)
    return title or content  # {term}, {abbr}, {kbd}…: the words the reader sees


def _directive(token: Token) -> tuple[str, str, dict[str, str], str]:
    """(name, argument, options, body) of a ```{name} fence or :::{name} colon fence."""
    name, _, argument = token.info.strip()[1:].partition("}")
    lines = token.content.splitlines()
    options: dict[str, str] = {}
    if lines and lines[0].strip() == "---":  # options as a YAML block
        end = lines.index("---", 1)
        for line in lines[1:end]:
            key, _, value = line.partition(":")
            options[key.strip()] = value.strip()
        lines = lines[end + 1:]
    else:
        while lines and (option := OPTION_LINE.match(lines[0])):
            options[option.group(1)] = (option.group(2) or "").strip()
            lines.pop(0)
    return name, argument.strip(), options, "\n".join(lines).strip("\n")


def _blockquote(title: str, body: str) -> str:
    lines = [f"**{title}**", ""] + body.splitlines() if title else body.splitlines()
    return "\n".join(f"> {line}".rstrip() for line in lines)


def _heading(level: int) -> str:
    return "#" * min(level, 6)


def render_directive(token: Token, chapter: Chapter) -> str:
    """The Markdown for one directive fence."""
    name, argument, options, body = _directive(token)
    if name in DROPPED:
        return ""
    if name == "exercise":
        number = chapter.index.exercises[chapter.docname][chapter.exercises_seen]
        chapter.exercises_seen += 1
        title = f"{number}: {argument}" if argument else number
        # Its own cell: a heading inside a cell does not end the collapsed solution before it.
        return f"{CELL_BREAK}{{}}{CELL_BREAK}{_heading(chapter.heading_level + 1)} {title}\n\n{convert(body, chapter)}"
    if name in ("solution-start", "solution"):
        found = _anchor(chapter, argument, name)
        cell_id = f"solution-{argument}"
        chapter.collapsed.append(cell_id)
        meta = json.dumps({"id": cell_id, "jp-MarkdownHeadingCollapsed": True})
        heading = f"{_heading(chapter.heading_level + 2)} Solution to {found.text}"
        rest = convert(body, chapter) if body else ""
        return f"{CELL_BREAK}{meta}{CELL_BREAK}{heading}{CELL_BREAK}{{}}{CELL_BREAK}{rest}"
    if name == "cite-this-book":
        return f"```bibtex\n{edition.bibtex(edition.citation(), edition.version(), edition.build_date())}\n```"
    if name in ("math",):
        number = options.get("label")
        tag = f"\n\\tag{{{_anchor(chapter, 'equation-' + number, name).text.strip('()')}}}" if number else ""
        return f"$$\n{body}{tag}\n$$"
    if name in ("figure", "image"):
        image = f"![{options.get('alt', '')}]({chapter.index.baseurl}_images/{argument.rsplit('/', 1)[-1]})"
        label = options.get("name")
        caption = convert(body, chapter) if body else ""
        if label:
            caption = f"**{_anchor(chapter, label, name).text}.** {caption}"
        return f"{image}\n\n{caption}".strip()
    if name in ("code-block", "code", "sourcecode"):
        return f"```{argument}\n{body}\n```"
    if name == "dropdown":
        return f"<details>\n<summary>{argument}</summary>\n\n{convert(body, chapter)}\n\n</details>"
    if name in ("tab-set", "grid", "card-carousel"):
        return convert(body, chapter)
    if name in ("tab-item", "grid-item", "grid-item-card", "card"):
        return f"**{argument}**\n\n{convert(body, chapter)}" if argument else convert(body, chapter)
    if name in ADMONITIONS:
        title = argument or ("See also" if name == "seealso" else name.capitalize())
        return _blockquote(title, convert(body, chapter))
    # Any other directive: its content under its name, so nothing the author wrote is lost.
    return _blockquote(argument or name.capitalize(), convert(body, chapter))


def _replace_roles(text: str, inline: Token, chapter: Chapter) -> str:
    """``text`` (the source lines of ``inline``) with each of its roles rendered."""
    cursor = 0
    for child in inline.children or []:
        if child.type != "myst_role":
            continue
        name = child.meta["name"]
        ticks = "``" if "`" in child.content else "`"
        # The role's own markup, located from the parsed token; whitespace may differ where the
        # role's content wraps onto an indented line.
        pattern = re.escape(f"{{{name}}}{ticks}") + r"\s*".join(
            re.escape(word) for word in child.content.split()) + re.escape(ticks)
        match = re.compile(pattern).search(text, cursor)
        if match is None:
            raise ValueError(f"{chapter.docname}: cannot locate the role {name!r} {child.content!r}")
        rendered = render_role(name, child.content, chapter)
        text = text[:match.start()] + rendered + text[match.end():]
        cursor = match.start() + len(rendered)
    return text


def convert(text: str, chapter: Chapter) -> str:
    """Jupyter Markdown for a piece of MyST Markdown."""
    lines = text.splitlines()
    edits: list[tuple[int, int, str]] = []  # (first line, end line, replacement), in order
    for token in chapter.parser.parse(text):
        if token.type == "heading_open":
            chapter.heading_level = int(token.tag[1])
        if token.map is None:
            continue
        start, end = token.map
        indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())] if start < len(lines) else ""
        if token.type in ("fence", "colon_fence") and token.info.strip().startswith("{"):
            rendered = render_directive(token, chapter)
        elif token.type == "math_block_label":
            number = _anchor(chapter, f"equation-{token.info}", "eq").text.strip("()")
            rendered = f"$$\n{token.content.strip()}\n\\tag{{{number}}}\n$$"
        elif token.type in ("myst_target", "myst_line_comment", "myst_block_break"):
            rendered = ""
        elif token.type == "inline" and any(c.type == "myst_role" for c in token.children or []):
            source = "\n".join(lines[start:end])
            if edits and edits[-1][:2] == (start, end):
                # Another cell of the same table row: its line already has the earlier cells'
                # roles rendered, and those must not be undone.
                source = edits.pop()[2]
            rendered = _replace_roles(source, token, chapter)
            indent = ""
        else:
            continue
        if token.type != "inline" and rendered:
            rendered = f"\n{rendered}\n"  # a block stays a block even with no blank line around it
        edits.append((start, end, "\n".join(indent + line if line else line
                                            for line in rendered.split("\n"))))
    for start, end, rendered in reversed(edits):
        lines[start:end] = [rendered] if rendered else []
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def _markdown_cells(text: str) -> list[dict]:
    """Markdown cells for converted text, split where a solution heading needs its own cell."""
    parts = text.split(CELL_BREAK)
    pieces = [({}, parts[0])] + [(json.loads(parts[i]), parts[i + 1]) for i in range(1, len(parts), 2)]
    cells = []
    for meta, source in pieces:
        source = re.sub(r"\n{3,}", "\n\n", source).strip("\n")
        if source:
            cells.append({"cell_type": "markdown", "metadata": meta, "source": source})
    return cells


def _figure_caption(cell: dict, chapter: Chapter) -> list[dict]:
    """A caption cell under a code cell whose figure the website numbers and captions."""
    figure = cell.get("metadata", {}).get("mystnb", {}).get("figure")
    if not figure or "caption" not in figure:
        return []
    caption = convert(figure["caption"], chapter)
    if figure.get("name"):
        caption = f"**{_anchor(chapter, figure['name'], 'figure').text}.** {caption}"
    return [{"cell_type": "markdown", "metadata": {}, "source": caption}]


def _numbered_labels(code: str, chapter: Chapter) -> str:
    """``code`` with each equation label in it, ``# equation (eq-pairs-clip)``, replaced by the
    number the website shows, ``# equation (10.5)`` (as _ext/code_equation_numbers.py does there)."""
    return LABEL_IN_CODE.sub(lambda m: _anchor(chapter, f"equation-{m.group(1)}", "eq").text, code)


# The title Colab shows in place of a hidden cell's code (Colab hides code behind a form title).
HIDDEN_CODE_TITLE = "# @title Self-check: run this cell; its code gives the answer away"


def _hidden_code(source: str, metadata: dict) -> tuple[str, dict]:
    """A cell the website shows only by its output (``remove-input``: the self-check questions,
    whose code holds the answers), with its code hidden until the reader asks for it: JupyterLab
    and Notebook 7 collapse the input (``jupyter.source_hidden``), Colab shows the form title in
    its place (``cellView: form`` and a ``# @title`` first line)."""
    return (f"{HIDDEN_CODE_TITLE}\n{source}",
            {**metadata, "cellView": "form", "jupyter": {"source_hidden": True}})


def reader_notebook(executed: dict, chapter: Chapter) -> dict:
    """The reader's notebook (nbformat 4 as a dict) for an executed chapter notebook."""
    cells: list[dict] = []
    for cell in executed["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown":
            cells.extend(_markdown_cells(convert(source, chapter)))
        elif cell["cell_type"] == "code":
            tags = cell.get("metadata", {}).get("tags")
            metadata: dict = {"tags": tags} if tags else {}
            source = _numbered_labels(source, chapter)
            if tags and "remove-input" in tags:
                source, metadata = _hidden_code(source, metadata)
            cells.append({"cell_type": "code", "metadata": metadata,
                          "source": source, "outputs": [], "execution_count": None})
            cells.extend(_figure_caption(cell, chapter))
    page = chapter.index.url(chapter.docname)
    intro = f"*This notebook is a chapter of lossbook; [read it on the website]({page}).*\n\n"
    first = next(c for c in cells if c["cell_type"] == "markdown")
    first["source"] = intro + first["source"]
    references = chapter.index.references(chapter.citations)
    if references:
        cells.append({"cell_type": "markdown", "metadata": {},
                      "source": "## References\n\n" + "\n".join(f"- {r}" for r in references)})
    for number, cell in enumerate(cells):
        # Numbered ids keep the file identical from run to run; solution headings keep theirs,
        # which Colab's collapsed_sections list refers to.
        cell["id"] = cell["metadata"].get("id", f"cell-{number:03d}")
    return {
        "cells": cells,
        "metadata": {"kernelspec": executed["metadata"]["kernelspec"],
                     "language_info": {"name": "python"},
                     "colab": {"collapsed_sections": chapter.collapsed}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
