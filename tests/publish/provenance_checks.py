"""What every published page and sheet must say about where its data came from (shared by the tests of a
simulator run and of a configured one)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from openpyxl import load_workbook

from dagster_project.publish import i18n
from dagster_project.publish.glossary import LANGUAGES
from dagster_project.publish.provenance import DEMO_DATA

BANNER = re.compile(r'<div class="provenance-banner" role="alert" data-provenance="banner">([^<]*)</div>')
SOURCES = re.compile(r'<p class="provenance" data-provenance="sources">([^<]*)</p>')


def pages(folders: Iterable[Path]) -> list[Path]:
    found = sorted(page for folder in folders for page in folder.rglob("*.html"))
    assert found, f"no page under {list(folders)}"
    return found


def first_rows(folders: Iterable[Path]) -> dict[tuple[str, str], str]:
    """(workbook, sheet) -> the text of the sheet's first cell, for every workbook under the folders."""
    rows = {}
    workbooks = sorted(book for folder in folders for book in folder.rglob("*.xlsx"))
    assert workbooks, f"no workbook under {list(folders)}"
    for path in workbooks:
        workbook = load_workbook(path, read_only=True)
        for sheet in workbook.worksheets:
            rows[(path.name, sheet.title)] = next(sheet.iter_rows(max_row=1, values_only=True))[0]
        workbook.close()
    return rows


def assert_every_page_and_sheet_says_demo_data(folders: Iterable[Path]) -> None:
    folders = list(folders)
    for page in pages(folders):
        html = page.read_text(encoding="utf-8")
        banners = BANNER.findall(html)
        assert len(banners) == 1 and banners[0].startswith(DEMO_DATA), page
        assert html.index("provenance-banner") < html.index("<main"), f"{page}: the banner comes first"
        (line,) = SOURCES.findall(html)
        assert any(i18n.label(lang, "origin_simulator") in line for lang in LANGUAGES), (page, line)
    for where, text in first_rows(folders).items():
        assert text.startswith(DEMO_DATA), where


def assert_every_page_and_sheet_names_the_hosts(folders: Iterable[Path], origins: dict[str, str]) -> None:
    """No banner anywhere; each source named with its host (`origins`: source -> host) on every page
    and in the first row of every sheet."""
    folders = list(folders)
    for page in pages(folders):
        html = page.read_text(encoding="utf-8")
        assert not BANNER.findall(html) and DEMO_DATA not in html, page
        (line,) = SOURCES.findall(html)
        for source, host in origins.items():
            assert f"{source} {host} (" in line, (page, line)
    for where, text in first_rows(folders).items():
        assert text.startswith("Data from / 数据来源: ") and DEMO_DATA not in text, (where, text)
        for source, host in origins.items():
            assert f"{source} {host} (" in text, (where, text)
