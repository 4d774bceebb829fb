"""What HR reads, page by page and sheet by sheet: pages that fit a 1280 px window, Chinese pages in
Chinese, checks named by what they mean, rescaled weights explained, workbooks filtered and in Chinese.

The warehouse is the session's (seed 7), copied, with a quality run planted in which every check a page can
show failed: each great-expectations check at the first places its own query finds, observed as the gates
word it (`validation._observed`), and one dbt test of every kind the manifest holds plus every singular
test, as `dbt_outcomes` records a failure. The findings table is what scrolled sideways, and where a
generated test name or an English observation would show. Both sites are rendered from that warehouse:
the department scorecards and the HR-only employee scorecards, month and quarter, English and Chinese.
Screenshots to look at go to data/scorecards/screenshots/ (department pages) and data/hr/screenshots/
(HR pages name people: the HR tier's folder).
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from connectors.landing.database import connect
from connectors.landing.file_modes import make_folder
from dagster_project.project import dbt_project
from dagster_project.publish.check_text import SOURCE_CHECK, CheckGlossary, dbt_tests_of
from dagster_project.publish.check_words import GX_ZH, SINGULAR_ZH
from dagster_project.publish.excel import write_scorecard_workbook
from dagster_project.publish.hr_scorecards import page_name, write_hr_scorecards
from dagster_project.publish.hr_workbook import CONFIDENTIAL
from dagster_project.publish.provenance import DEMO_DATA
from dagster_project.publish.scorecards import write_scorecards
from dagster_project.quality.checks import CHECKS, EMPLOYEE_CHECKS
from dagster_project.quality.test_words import GENERIC
from dagster_project.quality.validation import CheckOutcome, _observed, dbt_outcomes, store_outcomes
from tests.conftest import copy_warehouse, query
from tests.publish.browser import WINDOW_WIDTH, load, measure_widths
from tests.publish.language_scan import english_words

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = {
    "scorecards": REPO / "data" / "scorecards" / "screenshots",
    "hr": REPO / "data" / "hr" / "screenshots",
}
PLANTED_RUN = uuid.uuid5(uuid.NAMESPACE_URL, "every-check-fails").hex  # a run id as Dagster writes one
PLACES_PER_CHECK = 3
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Sites:
    warehouse: Path
    periods: tuple[str, str]  # the latest month and its quarter
    scorecards: dict[str, Path]  # period -> folder of the department scorecards
    hr: dict[str, Path]  # period -> folder of the employee scorecards
    workbooks: dict[str, Path]  # period -> the English department workbook
    planted: list[CheckOutcome]

    def pages(self, *, lang: str | None = None, tier: str | None = None) -> list[Path]:
        folders = [*(self.scorecards.values() if tier in (None, "scorecards") else ()),
                   *(self.hr.values() if tier in (None, "hr") else ())]  # fmt: skip
        found = sorted(p for folder in folders for p in folder.rglob("*.html"))
        return [p for p in found if lang is None or (p.parent.name == "zh") == (lang == "zh")]


def _manifest() -> dict:
    return json.loads(Path(dbt_project.manifest_path).read_text(encoding="utf-8"))


def _planted_failures(warehouse: Path, manifest: dict) -> list[CheckOutcome]:
    """Every check a department page shows, failed: GX checks at their first places, and one dbt test of
    each kind and every singular test."""
    ((run_id,),) = query(
        warehouse, "select run_id from quality.quality_results order by checked_at desc limit 1"
    )
    outcomes = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for check in CHECKS:
            frame = con.execute(check.sql, {"run_id": run_id} if "$run_id" in check.sql else None).df()
            failing = [
                {"location": row.location, "value": float(row.value)}
                for row in frame.head(PLACES_PER_CHECK).itertuples()
            ]
            outcomes.append(
                CheckOutcome(check.name, "/".join(check.asset), str(check.severity), False,
                             _observed(frame, failing), check.expected, "great_expectations")
            )  # fmt: skip
    chosen: dict[str, str] = {}
    for unique_id, node in sorted(manifest["nodes"].items()):
        if node["resource_type"] == "test":
            kind = (node.get("test_metadata") or {}).get("name") or node["name"]
            chosen.setdefault(kind, unique_id)
    results = {"results": [{"unique_id": u, "status": "fail", "failures": 1} for u in chosen.values()]}
    return [*outcomes, *dbt_outcomes(results, manifest)]


@pytest.fixture(scope="module")
def sites(built, tmp_path_factory: pytest.TempPathFactory) -> Sites:
    tmp = tmp_path_factory.mktemp("what_hr_reads")
    warehouse = copy_warehouse(built.path, tmp / "warehouse.duckdb")
    planted = _planted_failures(warehouse, _manifest())
    with connect(warehouse) as con:
        store_outcomes(con, planted, PLANTED_RUN)
    ((month,),) = query(
        warehouse, "select max(period_id) from marts.fct_department_contribution where period_type = 'month'"
    )
    quarter = f"{month[:4]}-Q{(int(month[5:]) - 1) // 3 + 1}"
    scorecards, hr, workbooks = {}, {}, {}
    for period in (month, quarter):
        scorecards[period] = write_scorecards(warehouse, period, tmp / "scorecards" / period).parent
        workbooks[period] = write_scorecard_workbook(
            warehouse, period, scorecards[period] / f"scorecard_{period}.xlsx"
        )
        hr[period] = write_hr_scorecards(warehouse, period, tmp / "hr" / period)[0].parent
    return Sites(warehouse, (month, quarter), scorecards, hr, workbooks, planted)


def _screenshot(chromium: str, page: Path, work: Path, tier: str, name: str, height: int = 2400) -> Path:
    target = work / name
    load(chromium, page, work, f"--screenshot={target}", f"--window-size={WINDOW_WIDTH},{height}")
    assert target.exists(), f"chromium wrote no screenshot of {page}"
    folder = make_folder(SCREENSHOTS[tier], readable=tier == "scorecards")
    shutil.copy(target, folder / name)
    return folder / name


def _warehouse_names(warehouse: Path) -> list[str]:
    """The English names the marts give (allow-list rule 1), and the two markings every page carries."""
    rows = query(
        warehouse,
        """select name_en from marts.dim_department union select name_en from marts.metric_catalog
           union select label_en from marts.grade_bands union select role_name_en from marts.job_roles
           union select display_name from hr.fct_employee_scorecard""",
    )
    return [DEMO_DATA, CONFIDENTIAL, *(name for (name,) in rows)]


# -- width -------------------------------------------------------------------------------------------------
def test_every_page_fits_a_1280_px_window(sites: Sites, chromium: str, tmp_path: Path):
    pages = sites.pages()
    widths = measure_widths(chromium, pages, tmp_path)
    assert all(w.viewport == WINDOW_WIDTH for w in widths), "each page was laid out in a 1280 px window"
    wide = [(w.page.relative_to(w.page.parents[2]), w.scroll, w.wide) for w in widths if w.scrolls_sideways]
    assert not wide, f"{len(wide)} of {len(pages)} pages scroll sideways at {WINDOW_WIDTH} px: {wide[:3]}"
    month = sites.periods[0]
    for lang in ("", "zh/"):
        _screenshot(chromium, sites.scorecards[month] / f"{lang}index.html", tmp_path, "scorecards",
                    f"{month}-{lang.strip('/') or 'en'}-index-with-failed-checks.png", 4200)  # fmt: skip
    first = min(p.name for p in sites.pages(lang="zh", tier="hr") if p.name != "index.html")
    _screenshot(chromium, sites.hr[month] / "zh" / "index.html", tmp_path, "hr", f"{month}-zh-index.png")
    _screenshot(
        chromium, sites.hr[month] / "zh" / first, tmp_path, "hr", f"{month}-zh-{first[:-5]}.png", 3200
    )


# -- Chinese pages in Chinese ----------------------------------------------------------------------------
def test_the_language_scan_catches_english_left_on_a_chinese_page():
    """The control: the scan sees what the issue saw ("1 failing rows"), an English word in a code phrase
    and in an attribute, and lets through names, ids, codes and acronyms."""
    page = """<html><head><style>.x { color: red }</style></head><body>
        <p>1 failing rows</p><p title="Language">语言</p>
        <code>stg_erp__gl_entries</code><code>a readable phrase</code>
        <p>人力资源部 Human Resources · D18 · 2026-10 · raw.crm__deals · SLA 达成率 · crm</p>
        <svg><text>ignored</text></svg></body></html>"""
    words = {w.word for w in english_words(page, ["Human Resources"])}
    assert words == {"failing", "rows", "Language", "readable", "phrase"}


def test_the_chinese_pages_hold_no_english_outside_the_allow_list(sites: Sites):
    pages = sites.pages(lang="zh")
    assert len(pages) == len(sites.pages(lang="en")) > 30
    names = _warehouse_names(sites.warehouse)
    found = {}
    for page in pages:
        words = english_words(page.read_text(encoding="utf-8"), names)
        if words:
            found[page.relative_to(page.parents[2]).as_posix()] = [(w.word, w.context) for w in words[:5]]
    assert not found, f"English on {len(found)} of {len(pages)} Chinese pages: {list(found.items())[:4]}"


def test_every_place_a_check_names_is_worded_in_chinese(sites: Sites):
    """Each great-expectations check's places, as its own query writes them on this warehouse (every
    place, not the first few), worded for the Chinese pages."""
    glossary = CheckGlossary(dbt_tests_of(_manifest()))
    ((run_id,),) = query(sites.warehouse, "select run_id from quality.quality_results where run_id <> ? "
                         "order by checked_at desc limit 1", [PLANTED_RUN])  # fmt: skip
    seen = 0
    with duckdb.connect(str(sites.warehouse), read_only=True) as con:
        for check in CHECKS:
            params = {"run_id": run_id} if "$run_id" in check.sql else None
            for (location,) in con.execute(f"select distinct location from ({check.sql})", params).fetchall():
                worded = glossary.place(check.name, location, "zh")
                assert not english_words(str(worded), []), (check.name, location, str(worded))
                seen += 1
    assert seen > 100


# -- checks named by what they mean ----------------------------------------------------------------------
def test_every_check_has_a_name_and_a_meaning_in_both_languages():
    """Every dbt test of the manifest and every great-expectations check: a name and a meaning in both
    languages, none of them its identifier, the Chinese in Chinese."""
    tests = dbt_tests_of(_manifest())
    glossary = CheckGlossary(tests)
    checks = [(name, "dbt", f"x/{t.model}") for name, t in tests.items()]
    checks += [(c.name, "great_expectations", "/".join(c.asset)) for c in (*CHECKS, *EMPLOYEE_CHECKS)]
    assert len(checks) > 500
    for name, engine, asset in checks:
        for lang in ("en", "zh"):
            title, meaning = glossary.name_and_meaning(name, asset, engine, lang)
            assert title and meaning, (name, lang)
            assert name not in f"{title} {meaning}", (name, lang, str(title))
            if lang == "zh":
                assert CJK.search(str(title)) and not english_words(f"<p>{title} {meaning}</p>", []), name
    kinds = {t.kind for t in tests.values()} - {None}
    assert kinds <= set(GENERIC["zh"]), f"kinds without their Chinese wording: {kinds - set(GENERIC['zh'])}"
    singular = {t.name for t in tests.values() if t.kind is None}
    assert singular <= set(SINGULAR_ZH), f"singular tests without Chinese: {singular - set(SINGULAR_ZH)}"
    gx = {(m[2] if (m := SOURCE_CHECK.match(c.name)) else c.name) for c in (*CHECKS, *EMPLOYEE_CHECKS)}
    assert gx <= set(GX_ZH)


def test_a_failed_check_is_named_by_what_it_means_never_by_its_id(sites: Sites):
    glossary = CheckGlossary(dbt_tests_of(_manifest()))
    pages = sites.pages(tier="scorecards")
    html = {p: p.read_text(encoding="utf-8") for p in pages}
    shown = [o for o in sites.planted if not o.asset.startswith("hr/")]
    assert any(o.check.startswith("relationships_") for o in shown) and any(o.engine == "dbt" for o in shown)
    for page, text in html.items():
        leaked = [o.check for o in shown if o.check in text]
        assert not leaked, f"{page} shows check ids {leaked[:3]}"
        assert "failing rows" not in text.replace("no failing rows", "")
    for period, folder in sites.scorecards.items():
        for lang, index in (("en", folder / "index.html"), ("zh", folder / "zh" / "index.html")):
            text = html[index]
            for outcome in shown:
                name, meaning = glossary.name_and_meaning(outcome.check, outcome.asset, outcome.engine, lang)
                assert str(name) in text and str(meaning) in text, (period, lang, outcome.check)
            assert ("1 failing row<" if lang == "en" else "1 行未通过") in text


# -- rescaled weights ------------------------------------------------------------------------------------
def _rescaled_text(page: str) -> list[str]:
    return re.findall(r'<p class="rescaled" data-rescaled="weights">(.*?)</p>', page, re.DOTALL)


def test_rescaled_weights_are_explained_where_they_apply(sites: Sites, tmp_path: Path):
    """In the latest period where some department's weights were rescaled, each department page says so
    exactly when the marts rescaled it, with core's share as scored; the employee pages, for the people
    whose core part passes 30 that way."""
    lines = query(
        sites.warehouse,
        """select period_id, department_id, sum(effective_weight) filter (where tier = 'core'),
               bool_or(round(weight - effective_weight, 6) <> 0)
           from marts.fct_metric_scores where scorecard = 'contribution' group by 1, 2""",
    )
    period = max((p for p, _, _, rescaled in lines if rescaled), default=None)
    assert period, "the simulated company has a department whose weights were rescaled"
    folder = (
        sites.scorecards.get(period) or write_scorecards(sites.warehouse, period, tmp_path / period).parent
    )
    for _, department_id, core, rescaled in (line for line in lines if line[0] == period):
        for lang in ("en", "zh"):
            page = (folder / ("zh" if lang == "zh" else "") / page_name(department_id)).read_text("utf-8")
            notes = _rescaled_text(page)
            assert len(notes) == int(rescaled), (period, department_id, lang)
            if rescaled:
                assert f"{core:.1f}%" in notes[0] and "30%" in notes[0], notes[0]
                assert ("Core now carries" if lang == "en" else "核心现占指数的") in notes[0]
    month = sites.periods[0]
    people = query(
        sites.warehouse,
        """select s.department_id, s.employee_id, sum(m.effective_weight) filter (where m.tier = 'core')
           from hr.fct_employee_scorecard s
           join hr.fct_employee_metric_scores m using (employee_id, role_id, period_id)
           where period_id = ? group by all
           having bool_or(round(m.weight - m.effective_weight, 6) <> 0) and max(s.core_part) > 30
               and count(distinct s.role_id) = 1
           order by 1, 2""",
        [month],
    )
    assert people, "the simulated company has people whose core part passes 30 after rescaling"
    for department_id, employee_id, core in people[:10]:
        for lang in ("en", "zh"):
            page = (sites.hr[month] / ("zh" if lang == "zh" else "") / page_name(department_id)).read_text()
            section = page.split(f'data-employee="{employee_id}">', 1)[1].split('<section class="panel', 1)[0]
            (note,) = _rescaled_text(section)
            assert f"{core:.1f}%" in note and "30" in note, (employee_id, lang, note)


# -- workbooks -------------------------------------------------------------------------------------------
def _workbooks(sites: Sites) -> list[Path]:
    folders = [*sites.scorecards.values(), *sites.hr.values()]
    found = sorted(p for folder in folders for p in folder.rglob("*.xlsx"))
    assert len([p for p in found if p.parent.name == "zh"]) == len(found) // 2 > 2
    return found


def test_every_table_sheet_has_an_autofilter_over_its_table(sites: Sites):
    """Each sheet filters its table: from its header row over every column, down to its last row (on a
    department sheet, the metric table without the totals below it)."""
    for path in _workbooks(sites):
        workbook = load_workbook(path)
        for sheet in workbook.worksheets:
            ref = sheet.auto_filter.ref
            assert ref, (path.name, sheet.title)
            first, last = ref.split(":")
            header, last_row = int(first[1:]), int(last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
            headers = [c.value for c in sheet[header]]
            assert first[0] == "A" and all("\n" in str(h) for h in headers), (path.name, sheet.title, ref)
            assert last.rstrip("0123456789") == sheet.cell(header, len(headers)).column_letter
            below = [sheet.cell(r, 1).value for r in range(last_row + 1, sheet.max_row + 1)]
            assert all(v in ("total", "合计") for v in below), (path.name, sheet.title, ref, below[:3])
            assert last_row > header or sheet.max_row == header, (path.name, sheet.title, ref)
        workbook.close()


def test_the_chinese_workbooks_say_in_chinese_what_the_english_ones_say(sites: Sites):
    for path in _workbooks(sites):
        if path.parent.name != "zh":
            continue
        english = path.parent.parent / path.name
        zh, en = load_workbook(path, read_only=True), load_workbook(english, read_only=True)
        assert len(zh.sheetnames) == len(en.sheetnames)
        for zh_sheet, en_sheet in zip(zh.worksheets, en.worksheets, strict=True):
            assert CJK.search(zh_sheet.title), (path.name, zh_sheet.title)
            zh_rows = list(zh_sheet.iter_rows(values_only=True))
            en_rows = list(en_sheet.iter_rows(values_only=True))
            assert len(zh_rows) == len(en_rows), (path.name, zh_sheet.title)
            for zh_row, en_row in zip(zh_rows[1:], en_rows[1:], strict=True):
                for zh_value, en_value in zip(zh_row, en_row, strict=False):
                    if isinstance(en_value, int | float):
                        assert zh_value == en_value, (path.name, zh_sheet.title, en_row[:3])
                    elif isinstance(en_value, str) and "\n" in en_value:  # a header: Chinese first
                        assert CJK.search(zh_value.split("\n")[0]), (path.name, zh_sheet.title, zh_value)
                    elif en_value in ("core", "extension", "higher", "lower", "ratio", "yes", "no", "total"):
                        assert zh_value != en_value and CJK.search(zh_value), (path.name, en_value, zh_value)
        zh.close()
        en.close()
