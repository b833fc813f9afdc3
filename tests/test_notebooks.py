"""The reader notebooks Colab opens and the download button serves: generated from the current
build, free of MyST, output-free, installing from the repository `_config.yml` names; and the
converter's rendering of each MyST construct."""

from __future__ import annotations

import json
import re
import sys
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
import yaml
from book_chapters import toc_docnames

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import sync_notebooks  # noqa: E402
from book_index import Anchor, BookIndex  # noqa: E402
from reader_notebook import Chapter, convert, reader_notebook  # noqa: E402

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
SOURCES = sync_notebooks.notebook_sources()
SITE = ROOT / "_build" / "html"

# What must never reach a reader's notebook: MyST that Jupyter and Colab show as raw text.
LEFTOVERS = {
    "role": re.compile(r"\{[a-zA-Z][\w:+-]*\}`"),
    "directive fence": re.compile(r"^\s*(`{3,}|:{3,})\s*\{", re.M),
    "directive option": re.compile(r"^\s*:[a-zA-Z][\w-]*:(\s|$)", re.M),
    "equation label": re.compile(r"\$\$\s*\([^)\s]+\)\s*$", re.M),
    "target": re.compile(r"^\s*\([^)\s]+\)=\s*$", re.M),
}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href and href.endswith(".ipynb"):
            self.hrefs.append(href)


def linked_notebooks() -> list[Path]:
    """Every repository notebook a built page links to (Colab button, download button)."""
    if not SITE.is_dir():
        pytest.fail("no built site in _build/html: run `make book` (make test builds it)")
    found = set()
    for page in SITE.glob("chapters/*.html"):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for href in parser.hrefs:
            found.add(ROOT / "chapters" / href.rsplit("/", 1)[-1])
    return sorted(found)


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_every_chapter_in_the_toc_is_a_notebook_with_a_generated_pair():
    notebooks = {f"chapters/{p.stem}" for p in SOURCES}
    # The bibliography page is plain Markdown; every other page of the book runs as a notebook.
    expected = {f for f in toc_docnames() if f != "chapters/references"}
    assert expected <= notebooks, f"chapters without a kernelspec: {sorted(expected - notebooks)}"
    missing = [p.with_suffix(".ipynb").name for p in SOURCES if not p.with_suffix(".ipynb").exists()]
    assert not missing, f"missing notebooks {missing}: run `make book`"
    linked = linked_notebooks()
    assert {p.with_suffix(".ipynb") for p in SOURCES} <= set(linked), linked


def test_committed_notebooks_match_the_build():
    stale = sync_notebooks.main(["notebooks", "--check"])
    assert stale == 0, "reader notebooks are out of date (listed above): run `make book` and commit them"


def test_no_myst_remains_in_any_linked_notebook():
    found = []
    for path in linked_notebooks():
        for number, cell in enumerate(cells(path)):
            text = "".join(cell["source"])
            if cell["cell_type"] != "markdown":
                continue
            found += [f"{path.name} cell {number}: {kind}: {m.group(0)!r}"
                      for kind, pattern in LEFTOVERS.items() for m in pattern.finditer(text)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_has_no_outputs_and_links_its_page_first(source: Path):
    nb_cells = cells(source.with_suffix(".ipynb"))
    with_outputs = [i for i, c in enumerate(nb_cells) if c.get("outputs") or c.get("execution_count")]
    assert not with_outputs, f"cells {with_outputs} of {source.stem}.ipynb carry outputs"
    first_line = "".join(nb_cells[0]["source"]).splitlines()[0]
    assert f"{CONFIG['html']['baseurl']}chapters/{source.stem}.html" in first_line, first_line


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_install_cell_comes_first_and_is_hidden_on_the_website(source: Path):
    code = [c for c in cells(source.with_suffix(".ipynb")) if c["cell_type"] == "code"]
    first = "".join(code[0]["source"])
    with (ROOT / "pyproject.toml").open("rb") as f:
        release = tomllib.load(f)["project"]["version"]
    spec = f'"lossbook @ git+{CONFIG["repository"]["url"]}@v{release}"'
    assert spec in first, f"{source.stem}: first code cell must install {spec}; run `make book`"
    # Installing only when the import fails keeps the cell a no-op locally and in CI.
    assert first.index("import lossbook") < first.index("pip"), first
    assert "enable_colab_widgets()" in first, f"{source.stem}: first cell must enable Colab's widget manager"
    assert "remove-cell" in code[0]["metadata"].get("tags", []), (
        f"{source.stem}: tag the install cell `:tags: [remove-cell]` so the website hides it "
        "(copy the first two code cells of chapters/intro.md)")
    assert "import lossbook" in "".join(code[1]["source"]), "the imports cell follows the install cell"


def test_install_spec_follows_the_config_and_the_version(tmp_path, monkeypatch):
    """The URL (in _config.yml) and the version (in pyproject.toml) each live in one place: changing
    either changes what the script writes, and the cell pins the release tag, not a branch."""
    config = tmp_path / "_config.yml"
    text = (ROOT / "_config.yml").read_text(encoding="utf-8")
    config.write_text(text.replace(CONFIG["repository"]["url"], "https://github.com/someone/fork"))
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "lossbook"\nversion = "9.8.7"\n')
    monkeypatch.setattr(sync_notebooks, "ROOT", tmp_path)
    assert sync_notebooks.install_spec() == '"lossbook @ git+https://github.com/someone/fork@v9.8.7"'


def test_install_cells_are_rewritten_to_the_release_tag():
    cell = 'pip install "lossbook @ git+https://github.com/lossbook/lossbook@main"'
    written = sync_notebooks.with_install_spec(cell, ROOT / "chapters" / "x.md")
    release = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert written == f'pip install "lossbook @ git+{CONFIG["repository"]["url"]}@v{release}"'


def test_a_chapter_without_the_install_cell_is_refused():
    with pytest.raises(ValueError, match="exactly one install requirement"):
        sync_notebooks.with_install_spec("# A page\n\nno install cell here\n", ROOT / "chapters" / "x.md")


def test_a_new_chapter_gets_a_stand_in_notebook_before_its_first_build(tmp_path, monkeypatch):
    """So that its first build already points the Colab button at the notebook; an existing
    notebook is left alone, and a page without code gets none."""
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    kernel = "---\nkernelspec:\n  name: python3\n---\n"
    (chapters / "new.md").write_text(kernel + "# New\n", encoding="utf-8")
    (chapters / "old.md").write_text(kernel + "# Old\n", encoding="utf-8")
    (chapters / "old.ipynb").write_text("the committed notebook", encoding="utf-8")
    (chapters / "refs.md").write_text("# References\n", encoding="utf-8")
    monkeypatch.setattr(sync_notebooks, "CHAPTERS", chapters)
    stand_ins = sync_notebooks.placeholder_notebooks()
    assert list(stand_ins) == [chapters / "new.ipynb"]
    notebook = nbformat.reads(stand_ins[chapters / "new.ipynb"], as_version=4)
    nbformat.validate(notebook)
    assert "make book" in notebook.cells[0].source


# The converter on a small chapter, against what a reader must see (written out by hand).

@pytest.fixture
def chapter() -> Chapter:
    index = BookIndex(baseurl="https://example.org/book/")
    index.anchors = {
        "equation-eq-x": Anchor("chapters/a", "equation-eq-x", "(3.2)"),
        "fig-x": Anchor("chapters/a", "fig-x", "Fig. 3.1"),
        "ex-x": Anchor("chapters/a", "ex-x", "Exercise 3.4"),
        "sec-y": Anchor("chapters/b", "sec-y", "A section"),
    }
    index.titles = {"chapters/a": "Chapter A", "chapters/b": "Chapter B"}
    index.exercises = {"chapters/a": ["Exercise 3.4"]}
    index.glue = {"chapters/a": {"loss": {"text/plain": "0.35667494393873245"}}}
    from pybtex.database import parse_string
    index.bibliography = parse_string(
        "@book{cover2006, author={Cover, Thomas M. and Thomas, Joy A.}, title={Elements},"
        " publisher={Wiley}, year={2006}}", "bibtex")
    return Chapter("chapters/a", index)


def test_roles_become_values_numbers_links_and_citations(chapter):
    text = ("(tgt)=\n## Losses\n\nThe loss is {glue:text}`loss:.3f` nats by {eq}`eq-x`, see\n"
            "{numref}`fig-x`, {doc}`b`, {ref}`the section <sec-y>` and {cite:p}`cover2006`.\n")
    assert convert(text, chapter) == (
        "## Losses\n\nThe loss is 0.357 nats by [(3.2)](https://example.org/book/chapters/a.html"
        "#equation-eq-x), see\n[Fig. 3.1](https://example.org/book/chapters/a.html#fig-x), "
        "[Chapter B](https://example.org/book/chapters/b.html), [the section]"
        "(https://example.org/book/chapters/b.html#sec-y) and (Cover and Thomas, 2006).")
    assert chapter.citations == ["cover2006"]


def test_labelled_equation_gets_the_website_number_as_a_tag(chapter):
    assert convert("$$\nL = -\\ln p\n$$ (eq-x)\n", chapter) == "$$\nL = -\\ln p\n\\tag{3.2}\n$$"


def test_admonitions_and_margins_become_blockquotes_with_a_bold_title(chapter):
    text = "```{admonition} Careful\n:class: tip\n\nThe loss is {glue:text}`loss:.2f`.\n```\n\n" \
           ":::{margin} Aside\nShort.\n:::\n"
    assert convert(text, chapter) == "> **Careful**\n>\n> The loss is 0.36.\n\n> **Aside**\n>\n> Short."


def test_tabs_keep_every_tab_under_its_title(chapter):
    text = "::::{tab-set}\n:::{tab-item} PyTorch\nTorch text.\n:::\n:::{tab-item} Keras\nKeras text.\n:::\n::::\n"
    assert convert(text, chapter) == "**PyTorch**\n\nTorch text.\n\n**Keras**\n\nKeras text."


def test_exercise_is_a_heading_and_its_solution_a_collapsed_heading_with_runnable_code(chapter):
    executed = {"metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# A\n\n## Exercises\n\n"
         "```{exercise}\n:label: ex-x\n\nCompute it.\n```\n\n```{solution-start} ex-x\n:class: dropdown\n```\n\nLike this:"},
        {"cell_type": "code", "metadata": {}, "source": "assert 1 + 1 == 2", "outputs": []},
        {"cell_type": "markdown", "metadata": {}, "source": "```{solution-end}\n```\n\n## Summary"},
    ]}
    notebook = reader_notebook(executed, chapter)
    shown = [(c["cell_type"], c["source"], c["metadata"]) for c in notebook["cells"]]
    assert shown == [
        ("markdown", "*This notebook is a chapter of lossbook; [read it on the website]"
         "(https://example.org/book/chapters/a.html).*\n\n# A\n\n## Exercises", {}),
        ("markdown", "### Exercise 3.4\n\nCompute it.", {}),
        ("markdown", "#### Solution to Exercise 3.4", {"id": "solution-ex-x", "jp-MarkdownHeadingCollapsed": True}),
        ("markdown", "Like this:", {}),
        ("code", "assert 1 + 1 == 2", {}),
        ("markdown", "## Summary", {}),
    ]
    assert notebook["metadata"]["colab"]["collapsed_sections"] == ["solution-ex-x"]
    assert notebook["cells"][2]["id"] == "solution-ex-x"


def test_a_self_check_questions_code_is_hidden_in_jupyter_and_colab(chapter):
    """The website shows a question (tag remove-input) without its code, which holds the answer;
    the notebook keeps the code, runnable, but hidden until the reader opens it."""
    executed = {"metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# A"},
        {"cell_type": "code", "metadata": {"tags": ["remove-input"]}, "source": "quiz.numeric('How much?', answer=0.5)",
         "outputs": []},
        {"cell_type": "code", "metadata": {}, "source": "x = 1", "outputs": []},
    ]}
    question, plain = reader_notebook(executed, chapter)["cells"][1:3]
    assert question["metadata"]["jupyter"] == {"source_hidden": True}  # JupyterLab, Notebook 7
    assert question["metadata"]["cellView"] == "form"  # Colab: shows the title line instead
    title, code = question["source"].split("\n", 1)
    assert title.startswith("# @title ") and code == "quiz.numeric('How much?', answer=0.5)"
    assert plain["metadata"] == {} and plain["source"] == "x = 1"


def test_an_exercise_after_prose_starts_its_own_cell(chapter):
    """Front ends collapse by a cell's first line: an exercise heading in the middle of a cell that
    ends a collapsed solution would stay hidden in that solution, with its starter code."""
    executed = {"metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# A\n\nSo it is.\n\n"
         "```{exercise}\n:label: ex-x\n\nNow you.\n```"},
        {"cell_type": "code", "metadata": {}, "source": "raise NotImplementedError  # TODO", "outputs": []},
    ]}
    sources = [c["source"] for c in reader_notebook(executed, chapter)["cells"]]
    assert sources[0].endswith("# A\n\nSo it is.")
    assert sources[1:3] == ["## Exercise 3.4\n\nNow you.", "raise NotImplementedError  # TODO"]


def test_a_label_before_a_section_heading_is_an_anchor_named_by_the_heading():
    """A ``(label)=`` target before a heading is an empty <span id> at the section's start; a
    {ref} to it reads as the heading, and an id later in the section is not taken for one."""
    from book_index import _PageParser

    parser = _PageParser()
    parser.feed('<section id="softmax-applied-twice">\n<span id="fw-pit-double"></span><h3>'
                '<span class="section-number">6.3.1. </span>Softmax applied twice<a class="headerlink" '
                'href="#softmax-applied-twice">#</a></h3><p>Text <span id="later"></span></p></section>')
    assert parser.headings == {"softmax-applied-twice": "6.3.1. Softmax applied twice",
                               "fw-pit-double": "6.3.1. Softmax applied twice"}


def test_roles_in_every_cell_of_a_table_row_are_rendered(chapter):
    """The cells of a row share one source line: each cell's roles must survive the next's."""
    text = ("| What | Where |\n|---|---|\n| about {glue:text}`loss:.2f` nats | "
            "{ref}`one <sec-y>`, {ref}`two <fig-x>` |\n")
    assert convert(text, chapter) == (
        "| What | Where |\n|---|---|\n| about 0.36 nats | [one](https://example.org/book/chapters/b.html"
        "#sec-y), [two](https://example.org/book/chapters/a.html#fig-x) |")
