"""HR-only employee scorecards of one period: an index and a page per department, in English and Chinese,
and a workbook per department in each language (`hr_workbook`).

They name people and show individual scores, so they are HR tier: rendered from the working database's
`hr` marts (the BI snapshot has none), written under `data/hr/scorecards/<period>/` (never under
`data/published/`), and marked "HR confidential / 仅限人力资源" on every page and sheet. Like the department
scorecards they are static and self-contained (CSS inline, no script, nothing loaded from the network),
share their stylesheet, Jinja environment and Excel sheet writer, and say on every page and sheet where
the data came from (a "Demo data / 演示数据" banner for the bundled simulator's). English pages and
workbooks sit in the period's folder, the Chinese ones under the same names in `zh/`, each page linking
to its counterpart. Their files are the HR tier's: readable by their owner only, or by `DCW_HR_GROUP`.
Each person's section walks the path from records to grade: value = numerator / denominator from N
records, score against target and floor, weight, contribution, index, grade; a person who changed role
in the period has one row per role.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from connectors.landing.file_modes import remove_partial_files
from connectors.landing.tables import raw_table
from dagster_project.publish import i18n
from dagster_project.publish.hr_i18n import counted, reason
from dagster_project.publish.hr_scorecard_data import (
    DepartmentPeople,
    HrScorecard,
    PersonRecord,
    RoleScore,
    load_hr_scorecard,
)
from dagster_project.publish.hr_workbook import CONFIDENTIAL, build_department_workbook
from dagster_project.publish.scorecards import (
    INDEX_PAGE,
    UNSAFE_FILE_CHARS,
    ZH_DIR,
    page_name,
    stylesheet,
    template_environment,
    write_page,
)
from dagster_project.publish.weights import rescaling

EVIDENCE_HTML_CAP = 20  # records listed per person and metric on a page; the workbook has them all
TIERS = ("core", "extension")


def workbook_name(department_id: str) -> str:
    return f"{UNSAFE_FILE_CHARS.sub('_', department_id)}.xlsx"


def person_anchor(employee_id: str) -> str:
    return f"p-{UNSAFE_FILE_CHARS.sub('_', employee_id)}"


def _part(value: float | None) -> str:
    """A numerator or denominator: whole numbers without decimals, others with two."""
    if value is None:
        return i18n.DASH
    return i18n.number(value, 0 if float(value).is_integer() else 2)


# -- HTML ------------------------------------------------------------------------------------------------
class _Site:
    """Renders one period's employee scorecards into pages in one language."""

    def __init__(self, sc: HrScorecard, lang: str) -> None:
        self.sc = sc
        self.lang = lang
        other = "zh" if lang == "en" else "en"
        self.env = template_environment()
        self.common: dict[str, Any] = {
            "lang": lang,
            "html_lang": i18n.LANGUAGE_TAGS[lang],
            "css": stylesheet(),
            "confidential": CONFIDENTIAL,
            "t": lambda key, **values: i18n.markup(lang, key, **values),
            "t_other": lambda key, **values: i18n.markup(other, key, **values),
            "counted": lambda key, n, **values: counted(lang, key, n, **values),
            "months": lambda n: counted(lang, "n_months", n),
            "nm": lambda en, zh: i18n.in_order(lang, en, zh)[0],
            "alt": lambda en, zh: i18n.in_order(lang, en, zh)[1],
            "reason": lambda text: reason(lang, text),
            "bold": lambda text: Markup("<b>{}</b>").format(text),
            "code": i18n.code,
            "raw_table": lambda system, stream: i18n.code(raw_table(system, stream)),
            "num": i18n.number,
            "pct": i18n.percent,
            "signed": i18n.signed,
            "part": _part,
            "mv": lambda value, unit: i18n.metric_value(lang, value, unit),
            "period": sc.period,
            "period_label": i18n.period_name(lang, sc.period),
            "scheme_versions": ", ".join(sc.scheme_versions),
            "data_through": sc.data_through.isoformat() if sc.data_through else None,
            "is_partial": sc.is_partial,
            "grade_bands": sc.grade_bands,
            "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "banner": sc.provenance.banner(lang),
            "data_from": sc.provenance.sources_line(lang),
            "page_of": page_name,
            "workbook_of": workbook_name,
            "anchor": person_anchor,
            "evidence_cap": EVIDENCE_HTML_CAP,
        }

    def _counterpart(self, page: str) -> str:
        return f"{ZH_DIR}/{page}" if self.lang == "en" else f"../{page}"

    def index(self) -> str:
        sc = self.sc
        everyone = [r for d in sc.departments.values() for r in d.roles]
        context = dict(
            self.common,
            other_lang_href=self._counterpart(INDEX_PAGE),
            departments=list(sc.departments.values()),
            people=sc.people_count,
            role_rows=len(everyone),
            grade_counts=Counter(r.grade for r in everyone),
            dept_grades={d: Counter(r.grade for r in dept.roles) for d, dept in sc.departments.items()},
            outside=[
                d
                for d in sc.departments.values()
                if d.reconciliation and not d.reconciliation.is_within_tolerance
            ],
            flagged=sum(len(d.flagged) for d in sc.departments.values()),
        )
        return self.env.get_template("hr_index.html.j2").render(context)

    def department(self, dept: DepartmentPeople) -> str:
        sc = self.sc
        people = []
        for employee_id in dept.people:
            roles = sc.roles_of[employee_id]
            here = [r for r in roles if r.department_id == dept.department_id]
            people.append(
                {
                    "first": here[0],
                    "all_roles": roles,
                    "blocks": [self._block(r) for r in here],
                }
            )
        context = dict(
            self.common,
            other_lang_href=self._counterpart(page_name(dept.department_id)),
            dept=dept,
            people=people,
            grade_counts=Counter(r.grade for r in dept.roles),
        )
        return self.env.get_template("hr_department.html.j2").render(context)

    def _block(self, role: RoleScore) -> dict[str, Any]:
        """One role row of a person: the metric lines by tier, and the records behind each metric."""
        lines = self.sc.metrics.get(role.key, ())
        evidence: dict[str, tuple[tuple[PersonRecord, ...], int]] = {}
        for m in lines:
            records = self.sc.evidence.get((*role.key, m.metric_id), ())
            evidence[m.metric_id] = (records[:EVIDENCE_HTML_CAP], len(records))
        return {
            "role": role,
            "tiers": [(tier, rows) for tier in TIERS if (rows := [m for m in lines if m.tier == tier])],
            "lines": lines,
            "evidence": evidence,
            "band": next((b for b in self.sc.grade_bands if b.grade == role.grade), None),
            "rescaled": self._rescaled(lines),
        }

    def _rescaled(self, lines: tuple[Any, ...]) -> Markup | None:
        rescaled = rescaling(lines)
        if rescaled is None:
            return None
        names = [i18n.in_order(self.lang, m.name_en, m.name_zh)[0] for m in rescaled.unobserved]
        return i18n.rescaled_note(self.lang, rescaled, names, i18n.period_name(self.lang, self.sc.period))


# -- entry point -----------------------------------------------------------------------------------------
def render_hr_scorecards(sc: HrScorecard, out_dir: Path) -> dict[str, list[Path]]:
    """Write the pages and workbooks of `sc` under `out_dir` (English) and `out_dir/zh` (Chinese); returns
    per language its index.html, then each department's page and workbook."""
    written: dict[str, list[Path]] = {}
    for lang, folder in (("en", out_dir), ("zh", out_dir / ZH_DIR)):
        site = _Site(sc, lang)
        files = []
        remove_partial_files(folder)  # what a render killed midway left
        # Departments first, the index last: a reader following a link never lands on a missing page.
        for dept in sc.departments.values():
            page = folder / page_name(dept.department_id)
            write_page(page, site.department(dept), readable=False)
            workbook = folder / workbook_name(dept.department_id)
            files += [page, build_department_workbook(sc, dept, workbook, lang)]
        index = folder / INDEX_PAGE
        write_page(index, site.index(), readable=False)
        written[lang] = [index, *files]
    return written


def write_hr_scorecards(database: Path, period_id: str, out_dir: Path) -> list[Path]:
    """Render the employee scorecards of `period_id` (`2026-10` or `2026-Q4`) from the `hr` marts of the
    working `database` (opened read-only) into `out_dir` (`data/hr/scorecards/<period_id>/`): `index.html`,
    and `<department_id>.html` and `<department_id>.xlsx` per department with scored people, in English
    there and in Chinese in `zh/`. Returns the English files, `index.html` first (each has its Chinese
    counterpart under the same name in `zh/`). Raises `ScorecardError` when the period has no employee
    scores."""
    return render_hr_scorecards(load_hr_scorecard(Path(database), period_id), Path(out_dir))["en"]
