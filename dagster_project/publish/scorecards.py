"""The HTML scorecards of one period: a ranking page and a page per department, in English and Chinese.

HR opens these from a file share or a mail attachment, often with no network, and hands them on. So the
site is static and self-contained: CSS inline, charts inline as SVG drawn by matplotlib, system fonts
only, no script, no request to anywhere. English pages sit in the period's folder (`index.html` first,
then `<department>.html`); the Chinese ones in `zh/` with the same names, and each page links to its
counterpart. Every number comes from the marts through `scorecard_data` (Python never recomputes a
score), so the pages agree with BI and with the Excel workbook.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from connectors.landing.file_modes import remove_partial_files, write_atomically
from connectors.landing.tables import raw_table
from dagster_project.publish import charts, i18n
from dagster_project.publish.check_text import CheckGlossary, CheckText, project_dbt_tests
from dagster_project.publish.scorecard_data import (
    MetricRow,
    QualityFinding,
    RankingRow,
    Scorecard,
    TrendPoint,
    load_scorecard,
)
from dagster_project.publish.weights import rescaling

INDEX_PAGE = "index.html"
ZH_DIR = "zh"
EVIDENCE_KEY_CAP = 50  # record keys listed per metric and stream; the workbook has them all
TIERS = ("core", "extension")
UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9_.-]")


def page_name(department_id: str) -> str:
    """The department page's file name, the same in both languages."""
    return f"{UNSAFE_FILE_CHARS.sub('_', department_id)}.html"


def template_environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("dagster_project.publish", "templates"),
        autoescape=True,  # every name and label is escaped; only our own SVG and CSS are marked safe
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def stylesheet() -> Markup:
    text = resources.files("dagster_project.publish").joinpath("templates/scorecard.css").read_text("utf-8")
    return Markup(text)


def write_page(path: Path, text: str, *, readable: bool) -> None:
    """Write beside the target and rename over it: a reader opening the page never sees half of it.
    ``readable``: the BI tier's mode (everyone), else the HR tier's (owner, or `DCW_HR_GROUP`)."""
    write_atomically(path, lambda partial: partial.write_text(text, encoding="utf-8"), readable=readable)


def _trend_label(lang: str, kind: str, points: Iterable[TrendPoint]) -> str:
    series = "; ".join(f"{p.period_id} {i18n.number(p.contribution_index)}" for p in points)
    return f"{i18n.label(lang, 'index')} ({i18n.label(lang, kind)}): {series}"


def _chart(svg: str, label: str) -> Markup:
    """Our own matplotlib SVG in a labelled figure wrapper (the label is escaped, the SVG is ours)."""
    return Markup('<div role="img" aria-label="{}">').format(label) + Markup(svg) + Markup("</div>")


class _Site:
    """Renders one scorecard into pages; charts are drawn once and shared by both languages."""

    def __init__(self, scorecard: Scorecard) -> None:
        self.sc = scorecard
        self.env = template_environment()
        self.css = stylesheet()
        self.generated_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        self.checks = CheckGlossary(project_dbt_tests())
        period_type = scorecard.period.type
        same_type = scorecard.trends.get(period_type, {})
        self.sparklines = {
            row.department_id: charts.sparkline(same_type.get(row.department_id, ()))
            for row in scorecard.ranking
        }
        bands = scorecard.grade_bands
        self.history = {
            row.department_id: {
                kind: charts.history(scorecard.trends.get(kind, {}).get(row.department_id, ()), bands, wide)
                for kind, wide in (("month", True), ("quarter", False))
            }
            for row in scorecard.ranking
        }

    # -- shared context --------------------------------------------------------------------------------
    def _common(self, lang: str, other_lang_href: str) -> dict[str, Any]:
        sc = self.sc
        checked_at = sc.quality.checked_at if sc.quality else None
        if checked_at is not None and checked_at.tzinfo is not None:
            checked_at = checked_at.astimezone(UTC)  # DuckDB hands instants over in the session's zone
        quality_time = checked_at.strftime("%Y-%m-%d %H:%M UTC") if checked_at else ""
        data_through = sc.data_through.isoformat() if sc.data_through else None
        partial = i18n.label(lang, "partial_period", date=data_through) if sc.is_partial else None
        ranked = {row.department_id for row in sc.ranking}

        def mv(value: float | None, unit: str) -> str:
            return i18n.metric_value(lang, value, unit)

        def page_of(department_id: str) -> str:
            return page_name(department_id) if department_id in ranked else "#"

        def check(finding: QualityFinding) -> CheckText:
            f = finding
            return self.checks.describe(f.check_name, f.asset, f.engine, f.expected, f.observed, lang)

        return {
            "lang": lang,
            "other_lang": "zh" if lang == "en" else "en",
            "html_lang": i18n.LANGUAGE_TAGS[lang],
            "other_lang_href": other_lang_href,
            "css": self.css,
            "t": lambda key, **values: i18n.markup(lang, key, **values),
            "raw_table": lambda system, stream: i18n.code(raw_table(system, stream)),
            "num": i18n.number,
            "signed": i18n.signed,
            "pct": i18n.percent,
            "mv": mv,
            "fam": lambda family: i18n.family_name(lang, family),
            "page_of": page_of,
            "check": check,
            "code": i18n.code,
            "period": sc.period,
            "period_label": i18n.period_name(lang, sc.period),
            "scheme_versions": ", ".join(sc.scheme_versions),
            "data_through": data_through,
            # The warehouse's last day, said where it falls in this period (a past period is complete).
            "show_data_through": bool(
                sc.data_through
                and sc.ranking[0].period_start_date <= sc.data_through <= sc.ranking[0].period_end_date
            ),
            "partial_notice": partial,
            "generated_at": self.generated_at,
            "banner": sc.provenance.banner(lang),
            "data_from": sc.provenance.sources_line(lang),
            "quality": sc.quality,
            "quality_time": quality_time,
            "grade_bands": sc.grade_bands,
            "departments": sc.departments,
        }

    # -- pages -----------------------------------------------------------------------------------------
    def index(self, lang: str) -> str:
        sc = self.sc
        ranking = sc.ranking
        changes = [r for r in ranking if r.change_vs_previous is not None]
        rise = max(changes, key=lambda r: r.change_vs_previous or 0.0, default=None)
        fall = min(changes, key=lambda r: r.change_vs_previous or 0.0, default=None)
        kind = "months" if sc.period.type == "month" else "quarters"
        same_type = sc.trends.get(sc.period.type, {})
        context = self._common(lang, f"{ZH_DIR}/{INDEX_PAGE}" if lang == "en" else f"../{INDEX_PAGE}")
        context.update(
            ranking=ranking,
            top=ranking[0],
            rise=rise if rise and (rise.change_vs_previous or 0) > 0 else None,
            fall=fall if fall and (fall.change_vs_previous or 0) < 0 else None,
            average=sum(r.contribution_index for r in ranking) / len(ranking),
            grade_counts=Counter(r.grade for r in ranking),
            sparklines={
                d: _chart(svg, _trend_label(lang, kind, same_type.get(d, ())))
                for d, svg in self.sparklines.items()
            },
            coverage_rows=[r for r in ranking if r.weight_coverage_pct < 100],
            support_rows=sorted(
                (s for s in sc.support.values() if s.department_id in sc.departments),
                key=lambda s: (s.rank_among_service is None, s.rank_among_service or 0, s.department_id),
            ),
            findings=sc.quality.findings if sc.quality else (),
        )
        return self.env.get_template("index.html.j2").render(context)

    def department(self, lang: str, row: RankingRow) -> str:
        sc = self.sc
        d = row.department_id
        metrics = sc.metrics.get(d, ())
        contribution = [m for m in metrics if m.scorecard == "contribution"]
        service = [m for m in metrics if m.scorecard == "support"]
        page = page_name(d)
        context = self._common(lang, f"{ZH_DIR}/{page}" if lang == "en" else f"../{page}")
        trends = {kind: sc.trends.get(kind, {}).get(d, ()) for kind in ("month", "quarter")}
        context.update(
            dept=sc.departments[d],
            row=row,
            ranked=len(sc.ranking),
            family_size=sum(r.department_family == row.department_family for r in sc.ranking),
            headcount=sc.headcount.get(d),
            tier_max={
                tier: sum(m.effective_weight for m in contribution if m.tier == tier) for tier in TIERS
            },
            history_months=_chart(self.history[d]["month"], _trend_label(lang, "months", trends["month"])),
            history_quarters=_chart(
                self.history[d]["quarter"], _trend_label(lang, "quarters", trends["quarter"])
            ),
            rescaled=self._rescaled(lang, contribution),
            contribution_metrics=[
                (tier, rows) for tier in TIERS if (rows := [m for m in contribution if m.tier == tier])
            ],
            service_metrics=service,
            all_metrics=[*contribution, *service],
            evidence=sc.evidence.get(d, {}),
            key_cap=EVIDENCE_KEY_CAP,
            support=sc.support.get(d),
            support_parts=self._support_parts(lang, d, service),
            service_count=len(sc.support),
            served_rows=sc.served.get(d, ()),
            received_rows=sc.received.get(d, ()),
            findings=sc.findings_for(d),
        )
        return self.env.get_template("department.html.j2").render(context)

    def _rescaled(self, lang: str, lines: list[MetricRow]) -> Markup | None:
        rescaled = rescaling(lines)
        if rescaled is None:
            return None
        names = [m.name(lang) for m in rescaled.unobserved]
        return i18n.rescaled_note(lang, rescaled, names, i18n.period_name(lang, self.sc.period))

    def _support_parts(self, lang: str, department_id: str, service: list[MetricRow]) -> list[dict[str, Any]]:
        """The support index's three parts as fct_support_contribution has them, with the scheme's target,
        floor and score of the matching service metric."""
        support = self.sc.support.get(department_id)
        if support is None:
            return []
        by_metric = {m.metric_id: m for m in service}
        other = "zh" if lang == "en" else "en"

        def fmt(value: float | None, unit: str) -> str:
            return i18n.metric_value(lang, value, unit)

        parts = (
            (
                "support_requests_per_fte",
                "requests_per_fte",
                support.requests_per_fte,
                "requests_per_fte",
                support.requests_per_fte_contribution,
                f"{i18n.number(support.requests_resolved_for_others, 0)} / {i18n.number(support.fte)} FTE",
            ),
            (
                "support_sla_attainment",
                "sla_attainment",
                support.sla_attainment,
                "ratio",
                support.sla_attainment_contribution,
                None,
            ),
            (
                "support_requester_satisfaction",
                "requester_satisfaction",
                support.requester_satisfaction,
                "score_1_5",
                support.requester_satisfaction_contribution,
                f"{i18n.label(lang, 'rated')}{i18n.label(lang, 'colon')}{i18n.number(support.ratings, 0)}",
            ),
        )
        rows = []
        for metric_id, label_key, value, unit, points, extra in parts:
            metric = by_metric.get(metric_id)
            rows.append(
                {
                    "label": metric.name(lang) if metric else i18n.label(lang, label_key),
                    "alt_label": metric.name(other) if metric else i18n.label(other, label_key),
                    "value": fmt(value, unit),
                    "target": fmt(metric.target, unit) if metric else i18n.DASH,
                    "floor": fmt(metric.floor, unit) if metric else i18n.DASH,
                    "score": i18n.number(metric.score) if metric else i18n.DASH,
                    "weight": f"{i18n.number(metric.weight, 0)}%" if metric else i18n.DASH,
                    "points": points,
                    "extra": extra,
                }
            )
        return rows


def render_site(scorecard: Scorecard, out_dir: Path) -> Path:
    """Write the scorecard's pages under `out_dir`; returns the English ranking page."""
    site = _Site(scorecard)
    for lang, folder in (("en", out_dir), ("zh", out_dir / ZH_DIR)):
        remove_partial_files(folder)  # what a render killed midway left
        # Department pages first, the ranking last: a reader following a link never lands on a missing page.
        for row in scorecard.ranking:
            write_page(folder / page_name(row.department_id), site.department(lang, row), readable=True)
        write_page(folder / INDEX_PAGE, site.index(lang), readable=True)
    return out_dir / INDEX_PAGE


def write_scorecards(database: Path, period_id: str, out_dir: Path) -> Path:
    """Render the scorecards of `period_id` (`2026-10` or `2026-Q4`) from the marts of `database` (opened
    read-only) into `out_dir` (`data/scorecards/<period_id>/`); returns the path of its `index.html`."""
    return render_site(load_scorecard(Path(database), period_id), Path(out_dir))
