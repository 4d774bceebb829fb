"""Data Docs: a page per great-expectations check of the latest run, and an index, readable offline.

GX's own Data Docs site loads its styles and scripts from public CDNs (blank without a network), and
an ephemeral context keeps only the validations of the process that built the site last (2 of 20: the
HR tier's gates ran after the others). These pages are rendered from GX's validation results instead:
plain HTML with inline styles, no script, no remote reference. Each gates process writes the pages of
its own checks and rewrites the index from `quality.quality_results`, so the index lists every GX check
of the run however many processes judged them; a page whose check is not in the run is removed.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from jinja2 import Environment, FileSystemLoader, select_autoescape

from connectors.landing.file_modes import make_private, remove_partial_files, write_atomically
from dagster_project.quality.record import QUALITY_RESULTS

INDEX = "index.html"
PAGES = "checks"
GX_ENGINE = "great_expectations"
# What GX's own site left in the folder (CDN-dependent pages): replaced by these pages.
GX_SITE_LEFTOVERS = ("expectations", "validations", "static")
TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class ExpectationResult:
    """One expectation of a check's suite, as GX judged it."""

    expectation: str  # what it expects, in words
    passed: bool
    observed: str


@dataclass(frozen=True)
class ValidationPage:
    """One check's validation: the verdict, the suite's expectations, every place measured."""

    check: str
    asset: str
    severity: str
    passed: bool
    expected: str
    meaning: str
    fix: str
    observed: str
    expectations: list[ExpectationResult]
    places: list[dict[str, Any]] = field(default_factory=list)  # location, value, records, within_band


def expectation_result(
    kind: str, kwargs: Mapping[str, Any], passed: bool, result: Mapping[str, Any]
) -> ExpectationResult:
    """A GX expectation's result in words (the two kinds the gates use; any other by its name)."""
    if kind == "expect_table_row_count_to_be_between":
        return ExpectationResult(
            f"at least {kwargs.get('min_value')} place to check",
            passed,
            f"{result.get('observed_value')} places",
        )
    if kind == "expect_column_values_to_be_between":
        band = f"between {_bound(kwargs.get('min_value'))} and {_bound(kwargs.get('max_value'))}"
        outside = result.get("unexpected_count", 0)
        return ExpectationResult(
            f"`{kwargs.get('column')}` {band} at every place",
            passed,
            f"{outside} of {result.get('element_count', 0)} places outside",
        )
    return ExpectationResult(kind, passed, str(result.get("observed_value", "")))


def _bound(value: object) -> str:
    return "no limit" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def write_data_docs(
    connection: duckdb.DuckDBPyConnection, run_id: str, docs: Path, pages: Sequence[ValidationPage]
) -> Path:
    """Write the pages of `pages` and the index of the run's GX checks; returns the index."""
    folder = docs / PAGES
    folder.mkdir(parents=True, exist_ok=True)
    remove_partial_files(folder)
    for page in pages:
        _write(
            folder / f"{page.check}.html", TEMPLATES.get_template("data_docs_check.html.j2").render(page=page)
        )
    checks = [
        dict(
            zip(
                ("check", "asset", "severity", "passed", "observed", "expected", "checked_at"),
                row,
                strict=True,
            )
        )
        for row in connection.execute(
            "select check_name, asset, severity, passed, observed, expected, checked_at "
            f"from {QUALITY_RESULTS} where run_id = ? and engine = ? "
            "order by severity = 'blocking' desc, check_name",
            [run_id, GX_ENGINE],
        ).fetchall()
    ]
    in_run = {f"{check['check']}.html" for check in checks}
    for stale in folder.glob("*.html"):
        if stale.name not in in_run:
            stale.unlink()
    for leftover in GX_SITE_LEFTOVERS:
        shutil.rmtree(docs / leftover, ignore_errors=True)
    index = docs / INDEX
    _write(
        index,
        TEMPLATES.get_template("data_docs_index.html.j2").render(
            run_id=run_id,
            checks=checks,
            passed=sum(bool(c["passed"]) for c in checks),
            checked_at=max((c["checked_at"] for c in checks), default=None),
            pages=PAGES,
        ),
    )
    make_private(docs)  # the pages show failing places: employee ids among them
    return index


def _write(path: Path, text: str) -> None:
    """A page of the HR tier (it shows failing places: employee ids among them), written whole."""
    write_atomically(path, lambda partial: partial.write_text(text, encoding="utf-8"), readable=False)
