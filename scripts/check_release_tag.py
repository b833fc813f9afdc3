"""Stop a publish whose reader notebooks would install a release that does not exist.

Each chapter's install cell installs lossbook from the tag ``v<version>``, the version in
``pyproject.toml`` (``make sync`` writes it). A site published before that tag exists hands every
Colab reader a notebook whose first cell fails. This check exits with status 1, saying how to fix
it, when the repository has no such tag or the tag names a commit of another version. It needs only
the standard library and git: the Pages workflow runs it before anything is installed.

Usage: python3 scripts/check_release_tag.py [REPOSITORY]   (default: this repository)
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # In a container job the checkout belongs to another user than the one running the steps, and
    # git refuses such a repository unless it is named safe.
    return subprocess.run(["git", "-c", f"safe.directory={repo}", "-C", str(repo), *args],
                          capture_output=True, text=True, check=False)


def release_problem(repo: Path) -> str | None:
    """Why the release the notebooks install is not tagged in ``repo``, or None if it is."""
    version = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    tag = f"v{version}"
    if git(repo, "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}^{{commit}}").returncode != 0:
        return (f"The reader notebooks install lossbook from the tag {tag} (the version in pyproject.toml), "
                f"and this repository has no such tag. Tag the release commit and push the tag: "
                f"git tag {tag} && git push origin {tag}.")
    tagged = git(repo, "show", f"{tag}:pyproject.toml")
    tagged_version = tomllib.loads(tagged.stdout)["project"]["version"] if tagged.returncode == 0 else None
    if tagged_version != version:
        return (f"The tag {tag} names a commit whose pyproject.toml gives the version {tagged_version!r}, "
                f"not {version!r}: move the tag to the commit that released {version}.")
    return None


def main(argv: list[str]) -> int:
    repo = Path(argv[0]).resolve() if argv else ROOT
    problem = release_problem(repo)
    if problem:
        print(f"::error::{problem}")
        return 1
    print(f"The release the reader notebooks install is tagged in {repo}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
