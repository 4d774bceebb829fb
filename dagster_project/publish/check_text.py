"""What HR reads for a quality check: a steward-facing name and meaning, in English and Chinese.

A check's identifier (`cost_centers_resolve`, or a test name dbt generates such as
`relationships_stg_erp__journal_corrections_reversal_gl_entry_id__gl_entry_id__ref_stg_erp__gl_entries_`)
is for engineers; a page never shows it. Each check is described from its own definition:
- a great-expectations check by its `QualityCheck` (dagster_project/quality/checks.py): the English
  name spelled out from its identifier, the meaning and band as written there;
- a generic dbt test (not_null, unique, relationships, ...) from its kind, model and columns in the dbt
  manifest, worded once per kind (or by its own description when the YAML gives one);
- a singular dbt test (`tests/assert_*.sql`) by its description, or else the comment its file opens with.
The places a failed check names ("deals closed 2026-09: 0.031") are worded in Chinese on the Chinese pages
by the patterns each check's query writes them in; identifiers in them stay, in `<code>`. The words of
each language, and every Chinese translation, are in `check_words`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from dagster_project.publish.check_words import (
    GX_ZH,
    PLACES_ZH,
    SINGULAR_FALLBACK,
    SINGULAR_ZH,
    SYSTEMS_ZH,
    codes,
)
from dagster_project.publish.i18n import code
from dagster_project.quality import checks as gx
from dagster_project.quality.dbt_tests import node_under_test
from dagster_project.quality.test_words import GENERIC

DBT_ENGINE = "dbt"
# dbt writes a test's ref as Jinja: `ref('stg_erp__gl_entries')`, or `source('erp', 'gl_entries')`.
REFERENCE = re.compile(r"""(?:ref|source)\(\s*['"]([^'"]+)['"](?:\s*,\s*['"]([^'"]+)['"])?\s*\)""")
# A singular test's file opens with a Jinja comment saying what it asserts (after an optional config).
LEADING_COMMENT = re.compile(r"^\s*(?:\{\{.*?\}\}\s*)?\{#-?(.*?)-?#\}", re.DOTALL)
FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s|$)", re.DOTALL)
NUMBER_RANGE = re.compile(r"\b(\d+) (\d+)\b")
SOURCE_CHECK = re.compile(r"^(hr|erp|ticketing|crm)_(is_fresh|volume_within_band)$")
ACRONYMS = {"crm": "CRM", "erp": "ERP", "hr": "HR", "gl": "GL", "dbt": "dbt"}

# validation._observed and dbt_outcomes write what a check observed in these shapes.
OUTSIDE_BAND = re.compile(r"^(\d+) of (\d+) places outside the band: (.*?)(?: \(\+(\d+) more\))?$", re.DOTALL)
WITHIN_BAND = re.compile(r"^(\d+) places checked, values (\S+) to (\S+)$")
FAILING_ROWS = re.compile(r"^(\d+) failing rows$")
NO_ROWS = "no rows to check"
WITHHELD = "see the HR tier"  # snapshot.WITHHELD_OBSERVATION: an observation that can name people
NO_FAILING_ROWS = "no failing rows"  # dbt_outcomes' expected


def spelled_out(identifier: str) -> str:
    """`crm_revenue_reconciles_with_erp` -> `CRM revenue reconciles with ERP`; `assert_scores_within_0_100`
    -> `Scores within 0–100`."""
    words = identifier.removeprefix("assert_").split("_")
    text = " ".join(ACRONYMS.get(w, w) for w in words if w)
    text = NUMBER_RANGE.sub(lambda m: f"{m[1]}–{m[2]}", text)
    return text[:1].upper() + text[1:]


# -- dbt tests, as the manifest describes them ------------------------------------------------------------
@dataclass(frozen=True)
class DbtTest:
    """One dbt test of the manifest: a generic test's kind and arguments, or a singular test (kind None)."""

    name: str
    kind: str | None
    model: str
    column: str | None
    arguments: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""


def _reference(text: object) -> str:
    match = REFERENCE.search(str(text))
    if not match:
        return str(text)
    return f"{match[1]}.{match[2]}" if match[2] else match[1]


def _own_description(node: Mapping[str, Any]) -> str:
    """The test's description in its YAML, else the first sentence of the comment its SQL opens with."""
    if node.get("description"):
        return " ".join(str(node["description"]).split())
    comment = LEADING_COMMENT.match(node.get("raw_code") or "")
    if not comment:
        return ""
    text = " ".join(comment[1].split())
    sentence = FIRST_SENTENCE.match(text)
    return sentence[1] if sentence else text


def dbt_tests_of(manifest: Mapping[str, Any]) -> dict[str, DbtTest]:
    """Every test of a parsed manifest by its name (the `check_name` dbt results are stored under)."""
    nodes = manifest.get("nodes", {})
    tests = {}
    for node in nodes.values():
        if node.get("resource_type") != "test":
            continue
        metadata = node.get("test_metadata") or {}
        tested = node_under_test(manifest, node)
        model = (nodes.get(tested) or {}).get("name") or tested.rsplit(".", 1)[-1]
        arguments = {k: v for k, v in (metadata.get("kwargs") or {}).items() if k != "model"}
        tests[node["name"]] = DbtTest(
            name=node["name"],
            kind=metadata.get("name"),
            model=model,
            column=node.get("column_name") or arguments.get("column_name"),
            arguments=arguments,
            description=_own_description(node),
        )
    return tests


@cache
def _manifest_tests(path: Path) -> dict[str, DbtTest]:
    if not path.exists():
        return {}
    return dbt_tests_of(json.loads(path.read_text(encoding="utf-8")))


def project_dbt_tests() -> dict[str, DbtTest]:
    """The tests of the project's dbt manifest (empty when it was never prepared: `make install`)."""
    from dagster_project.project import dbt_project

    return _manifest_tests(Path(dbt_project.manifest_path))


# -- the words, per language ------------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckText:
    """A check as HR reads it in one language (Markup: identifiers in it are `<code>`)."""

    name: Markup
    meaning: Markup
    expected: Markup
    observed: Markup


class CheckGlossary:
    """Names, meanings and observations of the checks in a language; dbt tests from `dbt_tests`."""

    def __init__(self, dbt_tests: Mapping[str, DbtTest]) -> None:
        self.dbt_tests = dbt_tests
        self.gx_checks = {c.name: c for c in (*gx.CHECKS, *gx.EMPLOYEE_CHECKS)}

    def describe(
        self,
        check_name: str,
        asset: str,
        engine: str | None,
        expected: str | None,
        observed: str | None,
        lang: str,
    ) -> CheckText:
        """A check's row of `quality_results` as HR reads it in `lang`."""
        name, meaning = self.name_and_meaning(check_name, asset, engine, lang)
        return CheckText(
            name,
            meaning,
            self.expected(check_name, expected, lang),
            self.observed(check_name, observed, lang),
        )

    # -- name and meaning --------------------------------------------------------------------------------
    def name_and_meaning(
        self, check_name: str, asset: str, engine: str | None, lang: str
    ) -> tuple[Markup, Markup]:
        if engine == DBT_ENGINE or check_name in self.dbt_tests:
            return self._dbt(check_name, asset, lang)
        check = self.gx_checks.get(check_name)
        if check is None:  # a check this version does not know (an older run's): its identifier spelled out
            return Markup(escape(spelled_out(check_name))), Markup("")
        if lang == "en":
            return Markup(escape(spelled_out(check.name))), Markup(escape(check.meaning))
        name, meaning, _ = self._gx_zh(check_name)
        return Markup(escape(name)), Markup(escape(meaning))

    def _gx_zh(self, check_name: str) -> tuple[str, str, str]:
        source = SOURCE_CHECK.match(check_name)
        if source:
            system = SYSTEMS_ZH[source[1]]
            return tuple(text.format(source=system) for text in GX_ZH[source[2]])  # type: ignore[return-value]
        return GX_ZH[check_name]

    def _dbt(self, check_name: str, asset: str, lang: str) -> tuple[Markup, Markup]:
        test = self.dbt_tests.get(check_name)
        if test is None:  # not in this manifest: say what kind of test it is, never its generated name
            kind = next((k for k in GENERIC["en"] if k and check_name.startswith(f"{k}_")), "test")
            return self._generic(
                DbtTest(check_name, kind, asset.rsplit("/", 1)[-1], None), lang, unknown=True
            )
        if test.kind is None:
            if lang == "zh":
                name, meaning = SINGULAR_ZH.get(test.name, SINGULAR_FALLBACK["zh"])
                return Markup(escape(name)), Markup(escape(meaning))
            meaning = test.description or SINGULAR_FALLBACK["en"]
            return Markup(escape(spelled_out(test.name))), Markup(escape(meaning))
        return self._generic(test, lang)

    def _generic(self, test: DbtTest, lang: str, unknown: bool = False) -> tuple[Markup, Markup]:
        args = test.arguments
        values = {
            "model": code(test.model),
            "column": code(test.column or "?"),
            "columns": codes(list(args.get("columns") or []), lang),
            "values": codes(list(args.get("values") or []), lang),
            "to": code(_reference(args.get("to", "?"))),
            "field": code(args.get("field", "?")),
            "index": code(args.get("index", "?")),
            "within": codes(list(args.get("within") or []), lang),
            "kind": code(test.kind),
        }
        kind = "" if unknown else test.kind or ""
        if kind == "accepted_values" and any(" " in str(v) for v in args.get("values") or ()):
            kind = f"{kind}_phrases" if f"{kind}_phrases" in GENERIC[lang] else kind
        name, meaning = GENERIC[lang].get(kind, GENERIC[lang][""])
        described = lang == "en" and test.description
        return (
            Markup(escape(name)).format(**values),
            Markup(escape(test.description)) if described else Markup(escape(meaning)).format(**values),
        )

    # -- the band and what was observed -------------------------------------------------------------------
    def expected(self, check_name: str, expected: str | None, lang: str) -> Markup:
        if not expected:
            return Markup("—")
        if lang == "en":
            return Markup(escape(expected))
        if expected == NO_FAILING_ROWS:
            return Markup("没有未通过的行")
        if check_name in self.gx_checks:
            return Markup(escape(self._gx_zh(check_name)[2]))
        return Markup("—")

    def observed(self, check_name: str, observed: str | None, lang: str) -> Markup:
        """What the check saw, in the language; the places it names worded by `place`."""
        text = (observed or "").strip()
        if not text:
            return Markup("—")
        if match := FAILING_ROWS.match(text):
            n = int(match[1])
            return Markup(
                escape(f"{n} 行未通过" if lang == "zh" else f"{n} failing row{'s' if n != 1 else ''}")
            )
        if text == NO_ROWS:
            return Markup("没有可检查的数据" if lang == "zh" else escape(text))
        if text == WITHHELD:
            if lang == "zh":
                return Markup("观测结果可能含员工信息，仅在人力资源层级提供")
            return Markup("withheld here (it can name people): see the HR tier")
        if match := WITHIN_BAND.match(text):
            if lang == "zh":
                return Markup(escape(f"检查了 {match[1]} 处，数值 {match[2]} 至 {match[3]}"))
            return Markup(escape(text))
        if match := OUTSIDE_BAND.match(text):
            failing, total, places, more = match.groups()
            listed = Markup("; " if lang == "en" else "；").join(
                self._place(check_name, place, lang) for place in places.split("; ")
            )
            if lang == "zh":
                head = Markup(escape(f"{total} 处中有 {failing} 处超出范围："))
                tail = Markup(escape(f"（另有 {more} 处）")) if more else Markup("")
            else:
                head = Markup(escape(f"{failing} of {total} places outside the band: "))
                tail = Markup(escape(f" (+{more} more)")) if more else Markup("")
            return head + listed + tail
        if lang == "zh":  # a dbt status other than pass/fail: the run log has its message
            status = text.split(":", 1)[0]
            return Markup("dbt 运行状态 {}（详见 Dagster 运行日志）").format(code(status))
        return Markup(escape(text))

    def _place(self, check_name: str, place: str, lang: str) -> Markup:
        location, _, value = place.rpartition(": ")
        if not location:
            location, value = place, ""
        worded = self.place(check_name, location, lang)
        return worded + (Markup(escape(f"{'：' if lang == 'zh' else ': '}{value}")) if value else Markup(""))

    def place(self, check_name: str, location: str, lang: str) -> Markup:
        """A place a check names, worded for the language."""
        if lang == "en":
            return Markup(escape(location))
        family = SOURCE_CHECK.match(check_name)
        for pattern, zh in PLACES_ZH.get(family[2] if family else check_name, ()):
            if match := pattern.match(location):
                return zh(match)
        return code(location)
