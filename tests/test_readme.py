"""The README stands on its own: every file it (and the design it links) points to is in the repository,
and nothing points outside it (a clone has no `../shared/`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
# [text](target) and <a href="target">; a target with a scheme (https:, mailto:) or only an anchor is
# not a file of the repository.
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)|href=\"([^\"]+)\"")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|#)", re.IGNORECASE)


def _links(doc: Path) -> list[str]:
    return [a or b for a, b in LINK.findall(doc.read_text("utf-8"))]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_link_points_to_a_file_of_the_repository(doc: Path):
    targets = [t.split("#")[0] for t in _links(doc) if not EXTERNAL.match(t)]
    assert targets, f"{doc.name} links no file: the pattern no longer finds its links"
    missing = [t for t in targets if not (doc.parent / t).resolve().exists()]
    outside = [t for t in targets if not (doc.parent / t).resolve().is_relative_to(REPO)]
    assert (missing, outside) == ([], [])


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_no_reference_to_a_folder_outside_the_repository(doc: Path):
    assert not re.findall(r"\.\./shared\b|(?<![\w/])shared/DESIGN", doc.read_text("utf-8"))


def test_the_readme_links_the_design():
    assert "docs/DESIGN.md" in _links(REPO / "README.md")
