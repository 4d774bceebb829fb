"""The scorecards HR opens: the HTML site in headless Chromium, the Excel workbook against the marts.

The warehouse is the real one the session builds from the simulator (seed 7); the latest month and the
latest quarter are rendered. Chromium is Debian's `chromium`, installed here when absent. That no request
leaves a page is shown three ways: the HTML names no remote URL; Chromium loads it with every host
unresolvable and a dead proxy and still shows the charts (they are inline); and Chromium's own network
log holds no request made by the page, while the same log does catch the two requests of a control page.
Screenshots are kept in data/scorecards/screenshots/ to look at.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from dataclasses import dataclass
from html import escape
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook
from PIL import Image

from connectors.landing.tables import raw_table
from dagster_project.publish.charts import EXTENSION_COLOUR
from dagster_project.publish.excel import (
    EVIDENCE_SHEET,
    METRIC_HEADER_ROW,
    PROVENANCE_ROWS,
    RANKING_SHEET,
    WEIGHTED_CONTRIBUTION,
    department_sheet_name,
    write_scorecard_workbook,
)
from dagster_project.publish.glossary import FAMILIES, TERMS
from dagster_project.publish.i18n import code
from dagster_project.publish.scorecard_data import ScorecardError
from dagster_project.publish.scorecards import EVIDENCE_KEY_CAP, page_name, write_scorecards
from tests.conftest import copy_warehouse, query
from tests.publish.browser import load
from tests.publish.provenance_checks import assert_every_page_and_sheet_says_demo_data

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "data" / "scorecards" / "screenshots"
REMOTE_REFERENCE = re.compile(
    r"""(?:\b(?:src|href|action|poster|srcset)\s*=\s*["']?\s*|url\(\s*["']?\s*|@import\s+["']?)"""
    r"""(?:https?:|ftp:)?//""",
    re.IGNORECASE,
)
RANKING_ROW = re.compile(r'<tr data-department="([^"]+)">(.*?)</tr>', re.DOTALL)
TOLERANCE = 1e-9


# -- fixtures ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rendered:
    warehouse: Path
    month: str
    quarter: str
    sites: dict[str, Path]  # period -> index.html
    workbooks: dict[str, Path]  # period -> .xlsx


@pytest.fixture(scope="module")
def rendered(built, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    tmp = tmp_path_factory.mktemp("scorecards")
    warehouse = copy_warehouse(built.path, tmp / "warehouse.duckdb")
    latest = dict(
        query(
            warehouse,
            "select period_type, max(period_id) from marts.fct_department_contribution group by period_type",
        )
    )
    month, quarter = latest["month"], latest["quarter"]
    sites, workbooks = {}, {}
    for period in (month, quarter):
        out = tmp / "scorecards" / period
        sites[period] = write_scorecards(warehouse, period, out)
        workbooks[period] = write_scorecard_workbook(warehouse, period, out / f"scorecard-{period}.xlsx")
    return Rendered(warehouse, month, quarter, sites, workbooks)


@dataclass(frozen=True)
class Load:
    dom: str
    page_requests: list[str]  # URLs the page asked the network for (Chromium's own requests excluded)


def _page_requests(net_log: Path) -> list[str]:
    """URL requests made on behalf of a page opened from a file: their network isolation key is the
    file:// site. Chromium's own background requests (updates, time) have other keys and are ignored."""
    log = json.loads(net_log.read_text())
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        event["params"]["url"]
        for event in log["events"]
        if event["type"] == start_job
        and "file://" in event.get("params", {}).get("network_isolation_key", "")
    ]


def _dom(chromium: str, page: Path, work: Path) -> Load:
    net_log = work / f"net-{len(list(work.glob('net-*.json')))}.json"
    result = load(chromium, page, work, "--dump-dom", f"--log-net-log={net_log}")
    return Load(result.stdout, _page_requests(net_log))


def _screenshot(chromium: str, page: Path, work: Path, name: str, height: int = 2000) -> Path:
    target = work / name
    load(chromium, page, work, f"--screenshot={target}", f"--window-size=1400,{height}")
    assert target.exists(), f"chromium wrote no screenshot of {page}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(target, SCREENSHOTS / name)
    return target


# -- helpers -------------------------------------------------------------------------------------------
def _ranking(warehouse: Path, period: str) -> list[dict]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cursor = con.execute(
            "select * from marts.fct_department_contribution where period_id = ? "
            "order by rank_overall, name_en",
            [period],
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def _scores(warehouse: Path, period: str, department_id: str) -> dict[str, tuple]:
    rows = query(
        warehouse,
        """select metric_id, metric_value, target, floor, score, weight, effective_weight,
               weighted_contribution, record_count, numerator, denominator, scorecard, tier, is_observed
           from marts.fct_metric_scores where period_id = ? and department_id = ?""",
        [period, department_id],
    )
    return {r[0]: r[1:] for r in rows}


def _close(actual: object, expected: float | None) -> bool:
    if expected is None:
        return actual is None
    return isinstance(actual, int | float) and math.isclose(
        actual, expected, rel_tol=TOLERANCE, abs_tol=TOLERANCE
    )


def _f1(value: float) -> str:
    """How the pages print an index, a score or a contribution."""
    text = f"{value:,.1f}"
    return text.replace("-", "\u2212")


def _service_department(ranking: list[dict]) -> dict:
    return next(r for r in ranking if not r["is_production"])


# -- the workbook --------------------------------------------------------------------------------------
@pytest.mark.parametrize("which", ["month", "quarter"])
def test_the_workbook_opens_and_its_numbers_are_the_marts(rendered: Rendered, which: str):
    period = getattr(rendered, which)
    workbook = load_workbook(rendered.workbooks[period], read_only=False)
    ranking = _ranking(rendered.warehouse, period)
    assert workbook.sheetnames == [
        RANKING_SHEET,
        *(department_sheet_name(r["department_id"], r["name_en"]) for r in ranking),
        EVIDENCE_SHEET,
    ]

    sheet = workbook[RANKING_SHEET]
    header_row = PROVENANCE_ROWS + 1
    assert sheet.freeze_panes == f"C{header_row + 1}"
    header = [c.value for c in sheet[header_row]]
    assert header[0] == "Rank\n排名" and "Index\n指数" in header and "Change\n变化" in header
    col = {name.split("\n")[0]: i for i, name in enumerate(header)}
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=header_row + 1)]
    assert len(rows) == len(ranking)
    for row, mart in zip(rows, ranking, strict=True):
        assert row[col["Department id"]] == mart["department_id"]
        assert row[col["Department (zh)"]] == mart["name_zh"]
        assert row[col["Grade"]] == mart["grade"]
        assert row[col["Scoring scheme"]] == mart["scheme_version"]
        for name, mart_column in [
            ("Rank", "rank_overall"),
            ("Index", "contribution_index"),
            ("Core", "core_subtotal"),
            ("Extension", "extension_subtotal"),
            ("Previous index", "previous_index"),
            ("Change", "change_vs_previous"),
            ("Rank in family", "rank_in_family"),
            ("Weight coverage %", "weight_coverage_pct"),
            ("Records", "record_count"),
            ("Headcount", "headcount_at_period_end"),
        ]:
            assert _close(row[col[name]], mart[mart_column]), (mart["department_id"], name, row[col[name]])
    assert sheet.column_dimensions["C"].width >= len("Administration & Logistics")

    for mart in ranking:
        sheet = workbook[department_sheet_name(mart["department_id"], mart["name_en"])]
        assert sheet.freeze_panes == f"D{METRIC_HEADER_ROW + 1}"
        summary = {
            h.value.split("\n")[0]: v.value
            for h, v in zip(sheet[header_row], sheet[header_row + 1], strict=False)
        }
        assert summary["Department id"] == mart["department_id"] and summary["Period"] == period
        assert _close(summary["Index"], mart["contribution_index"])
        assert summary["Grade"] == mart["grade"]
        header = [c.value for c in sheet[METRIC_HEADER_ROW]]
        assert header[2] == "Metric id\n指标编号" and header[5] == "Value\n数值"
        expected = _scores(rendered.warehouse, period, mart["department_id"])
        seen, totals = set(), {}
        for row in sheet.iter_rows(min_row=METRIC_HEADER_ROW + 1, values_only=True):
            if not any(v is not None for v in row):
                continue
            if row[0] == "total":
                totals[row[3]] = row[WEIGHTED_CONTRIBUTION]
                continue
            metric_id = row[2]
            value, target, floor, score, weight, eff, contribution, records, num, den, *_ = expected[
                metric_id
            ]
            assert _close(row[5], value) and _close(row[7], target) and _close(row[8], floor)
            assert _close(row[9], score) and _close(row[10], weight) and _close(row[11], eff)
            assert _close(row[12], contribution) and _close(row[13], records)
            assert _close(row[14], num) and _close(row[15], den)
            seen.add(metric_id)
        assert seen == set(expected), mart["department_id"]
        assert _close(totals["Index"], mart["contribution_index"])
        assert _close(totals["Core subtotal"], mart["core_subtotal"])
        contribution_rows = [v for v in expected.values() if v[10] == "contribution"]
        assert math.isclose(sum(v[6] for v in contribution_rows), mart["contribution_index"], abs_tol=1e-6)

    sheet = workbook[EVIDENCE_SHEET]
    assert sheet.freeze_panes == f"C{header_row + 1}"
    evidence = list(sheet.iter_rows(min_row=header_row + 1, values_only=True))
    ((count,),) = query(
        rendered.warehouse, "select count(*) from marts.metric_evidence where period_id = ?", [period]
    )
    assert len(evidence) == count > 1000
    sums: dict[tuple[str, str], list[float]] = {}
    for department_id, _, metric_id, _, _, system, stream, key, numerator, denominator in evidence:
        assert (
            isinstance(key, str)
            and isinstance(numerator, int | float)
            and isinstance(denominator, int | float)
        )
        assert system in {"hr", "erp", "ticketing", "crm"} and stream
        parts = sums.setdefault((department_id, metric_id), [0.0, 0.0])
        parts[0] += numerator
        parts[1] += denominator
    for (department_id, metric_id), (numerator, denominator) in sums.items():
        *_, num, den, _, _, _ = _scores(rendered.warehouse, period, department_id)[metric_id]
        assert math.isclose(numerator, num, rel_tol=1e-9, abs_tol=1e-6), (department_id, metric_id)
        assert math.isclose(denominator, den, rel_tol=1e-9, abs_tol=1e-6), (department_id, metric_id)


# -- the pages, statically -----------------------------------------------------------------------------
def test_no_page_names_anything_remote_and_every_page_has_its_counterpart(rendered: Rendered):
    for period, index in rendered.sites.items():
        site = index.parent
        pages = sorted(site.rglob("*.html"))
        ranking = _ranking(rendered.warehouse, period)
        assert {p.relative_to(site).as_posix() for p in pages} == {
            name
            for r in ranking
            for name in (page_name(r["department_id"]), f"zh/{page_name(r['department_id'])}")
        } | {"index.html", "zh/index.html"}
        for page in pages:
            html = page.read_text(encoding="utf-8")
            assert not REMOTE_REFERENCE.findall(html), (page, REMOTE_REFERENCE.findall(html)[:3])
            assert "<script" not in html and "<link" not in html and "<iframe" not in html, page
            assert html.count("<svg") >= (len(ranking) if page.name == "index.html" else 2), page


def test_evidence_lists_the_first_keys_of_each_stream_with_the_total(rendered: Rendered):
    period = rendered.month
    ranking = _ranking(rendered.warehouse, period)
    department = _service_department(ranking)["department_id"]
    html = (rendered.sites[period].parent / page_name(department)).read_text(encoding="utf-8")
    groups = query(
        rendered.warehouse,
        """select metric_id, source_system, source_stream, count(*) from marts.metric_evidence
           where period_id = ? and department_id = ? group by all""",
        [period, department],
    )
    assert any(n > EVIDENCE_KEY_CAP for *_, n in groups), "a stream with more keys than the cap"
    assert html.count("<details") == len(_scores(rendered.warehouse, period, department))
    for _, system, stream, n in groups:
        assert f"{n} records from {code(raw_table(system, stream))}" in html
        if n > EVIDENCE_KEY_CAP:
            assert f"First {EVIDENCE_KEY_CAP} of {n} record keys" in html
            assert f"… and {n - EVIDENCE_KEY_CAP} more" in html
    keys = re.findall(r'<div class="keys">(.*?)</div>', html, re.DOTALL)
    assert keys and max(k.count("<code") for k in keys) == EVIDENCE_KEY_CAP


# -- the pages in Chromium -----------------------------------------------------------------------------
def test_chromium_catches_a_page_that_makes_requests(chromium: str, tmp_path: Path):
    """The control: the network log does see a page's requests, so its silence below means something."""
    page = tmp_path / "control.html"
    page.write_text(
        '<!DOCTYPE html><img src="http://example.invalid/a.png">'
        '<link rel="stylesheet" href="https://cdn.example.invalid/b.css"><p>control</p>'
    )
    load = _dom(chromium, page, tmp_path)
    assert "control" in load.dom
    assert sorted(load.page_requests) == ["http://example.invalid/a.png", "https://cdn.example.invalid/b.css"]


@pytest.mark.parametrize("which", ["month", "quarter"])
def test_the_ranking_renders_offline_with_real_numbers_in_both_languages(
    rendered: Rendered, chromium: str, tmp_path: Path, which: str
):
    period = getattr(rendered, which)
    index = rendered.sites[period]
    ranking = _ranking(rendered.warehouse, period)
    for lang, page in (("en", index), ("zh", index.parent / "zh" / "index.html")):
        load = _dom(chromium, page, tmp_path)
        assert load.page_requests == [], f"{page} asked the network for {load.page_requests}"
        rows = dict(RANKING_ROW.findall(load.dom))
        assert list(rows) == [r["department_id"] for r in ranking]
        for mart in ranking:
            row = rows[mart["department_id"]]
            for value in (mart["contribution_index"], mart["core_subtotal"], mart["extension_subtotal"]):
                assert f">{_f1(value)}<" in row, (lang, mart["department_id"], _f1(value))
            assert f">{mart['grade']}<" in row and mart["scheme_version"] in row
            assert escape(mart["name_zh"]) in row and escape(mart["name_en"]) in row
            assert row.count("<svg") == 1, "the trend sparkline is inline"
            if mart["change_vs_previous"] is not None and round(mart["change_vs_previous"], 1) != 0:
                sign = "+" if mart["change_vs_previous"] > 0 else "\u2212"
                assert f"{sign}{_f1(abs(mart['change_vs_previous']))}" in row
        support = dict(re.findall(r'<tr data-support="([^"]+)">(.*?)</tr>', load.dom, re.DOTALL))
        for department, support_index, grade in query(
            rendered.warehouse,
            "select department_id, support_index, grade from marts.fct_support_contribution "
            "where period_id = ?",
            [period],
        ):
            assert f">{_f1(support_index)}<" in support[department] and f">{grade}<" in support[department]
        if lang == "zh":
            title = "月度排名" if which == "month" else "季度排名"
            for label in (title, "排名", "部门", "指数", "等级", "核心", "扩展", "变化", "趋势", "数据质量"):
                assert label in load.dom, label
            assert 'lang="zh-CN"' in load.dom
        else:
            for label in ("Ranking", "Department", "Index", "Grade", "Core", "Extension", "Data quality"):
                assert label in load.dom, label
    if which == "month":
        name = f"{period}-index.png"
        shot = _screenshot(chromium, index, tmp_path, name)
        _screenshot(chromium, index.parent / "zh" / "index.html", tmp_path, f"{period}-zh-index.png")
        with Image.open(shot) as image:
            assert image.size == (1400, 2000)
            assert len(image.convert("RGB").getcolors(1 << 20) or ()) > 50, "the screenshot is not blank"


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


@pytest.mark.parametrize("which", ["month", "quarter"])
def test_a_department_page_renders_offline_with_real_numbers_in_both_languages(
    rendered: Rendered, chromium: str, tmp_path: Path, which: str
):
    period = getattr(rendered, which)
    ranking = _ranking(rendered.warehouse, period)
    mart = _service_department(ranking)  # a service department: it has the support view too
    department = mart["department_id"]
    scores = _scores(rendered.warehouse, period, department)
    catalog = dict(query(rendered.warehouse, "select metric_id, name_zh from marts.metric_catalog"))
    ((support_index,),) = query(
        rendered.warehouse,
        "select support_index from marts.fct_support_contribution where period_id = ? and department_id = ?",
        [period, department],
    )
    served = query(
        rendered.warehouse,
        """select d.name_en, d.name_zh from marts.fct_collaboration c
           join marts.dim_department d on d.department_id = c.requesting_department_id
           where c.period_id = ? and c.serving_department_id = ?""",
        [period, department],
    )
    site = rendered.sites[period].parent
    for lang, page in (("en", site / page_name(department)), ("zh", site / "zh" / page_name(department))):
        load = _dom(chromium, page, tmp_path)
        assert load.page_requests == [], f"{page} asked the network for {load.page_requests}"
        dom = load.dom
        assert f">{_f1(mart['contribution_index'])}<" in dom
        for value in (mart["core_subtotal"], mart["extension_subtotal"], support_index):
            assert _f1(value) in dom
        for metric_id, (_, _, _, score, _, _, contribution, *_) in scores.items():
            assert f">{_f1(contribution)}<" in dom, (lang, metric_id)
            if score is not None:
                assert f">{_f1(score)}<" in dom, (lang, metric_id)
            assert catalog[metric_id] in dom
        assert dom.count("<svg") >= 2, "the history charts are inline"
        assert "<details" in dom
        if lang == "zh":
            for label in ("指数走势", "指标", "目标值", "下限", "得分", "权重", "贡献分", "数据依据",
                          "对其他部门的支持", "服务的部门", "数据质量", mart["name_zh"]):  # fmt: skip
                assert label in dom, label
            assert all(escape(name_zh) in dom for _, name_zh in served)
        else:
            for label in ("Index over time", "Metrics", "Target", "Floor", "Score", "Weight", "Contribution",
                          "Evidence", "Support for other departments", "Departments served", "Data quality",
                          escape(mart["name_en"])):  # fmt: skip
                assert label in dom, label
            assert all(escape(name_en) in dom for name_en, _ in served)
    if which == "month":
        shot = _screenshot(
            chromium, site / page_name(department), tmp_path, f"{period}-{department}.png", 3000
        )
        _screenshot(
            chromium, site / "zh" / page_name(department), tmp_path, f"{period}-zh-{department}.png", 3000
        )
        with Image.open(shot) as image:
            colours = {colour: n for n, colour in image.convert("RGB").getcolors(1 << 24) or ()}
            bars = colours.get(_hex_rgb(EXTENSION_COLOUR), 0)
        assert bars > 500, "the inline history chart is drawn although no request could succeed"


# -- quality warnings and bad input ---------------------------------------------------------------------
def test_quality_warnings_travel_with_the_departments_they_concern(rendered: Rendered, tmp_path: Path):
    warehouse = copy_warehouse(rendered.warehouse, tmp_path / "warehouse.duckdb")
    period = rendered.month
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            """insert into quality.quality_results
               select 'crm_volume_within_band', 'staging/stg_crm__deals', 'warning', false,
                   '1 of 4 places outside the band: raw.crm__deals: 0.97', 'between 99% and 150%',
                   run_id, checked_at, 'great_expectations', '[]'
               from quality.quality_results order by checked_at desc limit 1"""
        )
    site = write_scorecards(warehouse, period, tmp_path / "site").parent
    ranking = _ranking(warehouse, period)
    crm_departments = {
        d for (d,) in query(
            warehouse,
            "select distinct department_id from marts.metric_evidence "
            "where period_id = ? and source_system = 'crm'",
            [period],
        )
    }  # fmt: skip
    assert crm_departments and crm_departments != {r["department_id"] for r in ranking}
    for row in ranking:
        for html in (
            (site / page_name(row["department_id"])).read_text(encoding="utf-8"),
            (site / "zh" / page_name(row["department_id"])).read_text(encoding="utf-8"),
        ):
            concerned = row["department_id"] in crm_departments
            named = "CRM volume within band" in html or "CRM 系统数据量在正常范围内" in html
            assert named == concerned, row["department_id"]
            assert ('data-quality-warnings="none"' in html) != concerned
            assert "crm_volume_within_band" not in html, "HR reads a check by its name, never its id"
    assert "CRM volume within band" in (site / "index.html").read_text(encoding="utf-8")
    assert "CRM 系统数据量在正常范围内" in (site / "zh" / "index.html").read_text(encoding="utf-8")

    with duckdb.connect(str(warehouse)) as con:
        con.execute("drop table quality.quality_results")
    site = write_scorecards(warehouse, period, tmp_path / "without").parent
    assert "No quality results are recorded" in (site / "index.html").read_text(encoding="utf-8")
    assert "没有质量检查结果" in (site / "zh" / "index.html").read_text(encoding="utf-8")


def test_a_period_that_is_malformed_or_not_scored_is_refused(rendered: Rendered, tmp_path: Path):
    with pytest.raises(ScorecardError, match="neither a month"):
        write_scorecards(rendered.warehouse, "2026-13", tmp_path)
    with pytest.raises(ScorecardError, match="no department is scored in 2031-Q1"):
        write_scorecard_workbook(rendered.warehouse, "2031-Q1", tmp_path / "x.xlsx")
    assert not list(tmp_path.iterdir())


def test_every_term_is_said_in_both_languages():
    """A term the Chinese pages or workbooks would say in English is a translation left undone."""
    terms = {**TERMS, **{f"family {k}": t for k, t in FAMILIES.items()}}
    assert all(t.en.strip() and t.zh.strip() for t in terms.values())
    assert [key for key, t in terms.items() if t.zh == t.en] == []


def test_a_simulator_run_says_demo_data_on_every_page_and_every_sheet(rendered: Rendered):
    """The session's warehouse was extracted from the bundled simulator: every page (both languages,
    ranking and departments, month and quarter) opens with the banner, every sheet's first row too."""
    assert_every_page_and_sheet_says_demo_data(site.parent for site in rendered.sites.values())


def test_a_snapshot_without_grade_bands_shows_the_scale_of_the_seed(monkeypatch, tmp_path):
    """The bands come from dbt's seed, not a copy in Python: an edited seed is what the pages show."""
    from dagster_project.publish import scorecard_data

    seed = tmp_path / "grade_bands.csv"
    seed.write_text("grade,min_index,label_en,label_zh\nB,50,Fine,良好\nA,75,Good,优秀\nD,0,Weak,不合格\n")
    monkeypatch.setattr(scorecard_data, "GRADE_BANDS_SEED", seed)
    with duckdb.connect() as older_snapshot:
        bands = scorecard_data.load_grade_bands(older_snapshot)
    assert [(b.grade, b.min_index, b.label_en, b.label_zh) for b in bands] == [
        ("A", 75.0, "Good", "优秀"),
        ("B", 50.0, "Fine", "良好"),
        ("D", 0.0, "Weak", "不合格"),
    ]
