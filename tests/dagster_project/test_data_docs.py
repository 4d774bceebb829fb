"""The quality gates' Data Docs open without a network: headless Chromium with every host unresolvable
and a dead proxy loads the index and every check's page, and they list every great-expectations check of
the latest run with the verdict `quality.quality_results` holds."""

from __future__ import annotations

import json
import re
from pathlib import Path

from dagster_project.quality.checks import CHECKS, EMPLOYEE_CHECKS, quality_dir
from dagster_project.quality.data_docs import INDEX, PAGES
from tests.conftest import query
from tests.publish.test_scorecards import REMOTE_REFERENCE, _dom

LISTED = re.compile(r'<tr data-check="([^"]+)" data-passed="(true|false)">')
HEADING = re.compile(r'<h1 data-check="([^"]+)" data-passed="(true|false)">')
PLACE_ROW = re.compile(r"<tr data-place\b")


def _gx_verdicts(built) -> dict[str, tuple[bool, int]]:
    rows = query(
        built.path,
        "select check_name, passed, details from quality.quality_results "
        "where run_id = ? and engine = 'great_expectations'",
        [built.result.run_id],
    )
    return {name: (passed, len(json.loads(details))) for name, passed, details in rows}


def test_the_index_lists_every_gx_check_of_the_run_offline(built, request, tmp_path: Path):
    index = quality_dir(built.path) / INDEX
    load = _dom(request.getfixturevalue("chromium"), index, tmp_path)
    assert load.page_requests == []
    listed = {name: passed == "true" for name, passed in LISTED.findall(load.dom)}
    verdicts = _gx_verdicts(built)
    assert len(verdicts) == len(CHECKS) + len(EMPLOYEE_CHECKS)
    assert listed == {name: passed for name, (passed, _) in verdicts.items()}
    passed = sum(p for p, _ in verdicts.values())
    assert f"{passed} of {len(verdicts)} great-expectations checks passed" in load.dom


def test_every_check_has_a_page_that_loads_offline_with_its_verdict_and_places(
    built, request, tmp_path: Path
):
    browser = request.getfixturevalue("chromium")
    pages = quality_dir(built.path) / PAGES
    for name, (passed, places) in _gx_verdicts(built).items():
        page = pages / f"{name}.html"
        assert not REMOTE_REFERENCE.search(page.read_text("utf-8")), page
        load = _dom(browser, page, tmp_path)
        assert load.page_requests == [], name
        assert HEADING.findall(load.dom) == [(name, "true" if passed else "false")]
        assert len(PLACE_ROW.findall(load.dom)) == places, name
    assert {p.stem for p in pages.glob("*.html")} == set(_gx_verdicts(built)), "no page of another run"
