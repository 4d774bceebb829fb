"""Everything a period's scorecard shows, read once from the marts (read-only) into plain objects.

The HTML pages and the Excel workbook are both rendered from one `Scorecard`, so the numbers HR reads
on a page, in the workbook and in BI are the same by construction: Python only selects, groups and
formats; it never recomputes a score. The working database is opened read-only, so rendering can run
beside BI readers and never takes the writer's lock.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from connectors.landing.database import connect, has_table
from connectors.sources import SOURCES
from dagster_project.paths import DBT_PROJECT_DIR
from dagster_project.publish.provenance import Provenance, load_provenance
from dagster_project.publish.snapshot import HR_TIER_ASSETS
from dagster_project.quality.counts import count_checks, results_schema
from dagster_project.quality.record import QUALITY_TABLE

MARTS = "marts"
MONTH_ID = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
QUARTER_ID = re.compile(r"^(\d{4})-Q([1-4])$")
# A quality check's asset names the stream it vouches for, e.g. `staging/stg_ticketing__rd_issues`;
# freshness and volume checks are named after their source (`crm_is_fresh`).
STAGING_ASSET = re.compile(r"^staging/stg_([a-z]+)__")
SOURCE_CHECK = re.compile(r"^([a-z]+)_(?:is_fresh|volume_within_band)$")


class ScorecardError(ValueError):
    """The period cannot be published: malformed, or not scored in this warehouse."""


@dataclass(frozen=True)
class Period:
    """A company-local calendar month (`2026-10`) or quarter (`2026-Q4`)."""

    id: str
    type: str  # month or quarter
    year: int
    number: int  # the month (1-12) or the quarter (1-4)

    @classmethod
    def parse(cls, period_id: str) -> Period:
        if match := MONTH_ID.match(period_id):
            return cls(period_id, "month", int(match[1]), int(match[2]))
        if match := QUARTER_ID.match(period_id):
            return cls(period_id, "quarter", int(match[1]), int(match[2]))
        raise ScorecardError(f"period {period_id!r} is neither a month (2026-10) nor a quarter (2026-Q4)")

    @property
    def months(self) -> tuple[int, ...]:
        return (
            (self.number,) if self.type == "month" else tuple(range(3 * self.number - 2, 3 * self.number + 1))
        )


@dataclass(frozen=True)
class Department:
    department_id: str
    name_en: str
    name_zh: str
    family: str
    is_production: bool
    current_headcount: int | None

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class RankingRow:
    """One row of marts.fct_department_contribution."""

    department_id: str
    name_en: str
    name_zh: str
    department_family: str
    is_production: bool
    period_id: str
    period_type: str
    period_start_date: date
    period_end_date: date
    scheme_version: str
    contribution_index: float
    core_subtotal: float
    extension_subtotal: float
    grade: str
    rank_overall: int
    rank_in_family: int
    previous_period_id: str | None
    previous_index: float | None
    change_vs_previous: float | None
    weight_coverage_pct: float
    metrics_observed: int
    metrics_in_scheme: int
    record_count: int
    headcount_at_period_end: int | None

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class MetricRow:
    """One row of marts.fct_metric_scores with the catalog's names."""

    department_id: str
    scorecard: str
    tier: str
    metric_id: str
    name_en: str
    name_zh: str
    scheme_version: str
    metric_value: float | None
    unit: str
    direction: str
    numerator: float | None
    denominator: float | None
    target: float
    floor: float
    score: float | None
    weight: float
    effective_weight: float
    weighted_contribution: float
    record_count: int
    is_observed: bool

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class EvidenceRecord:
    """One row of marts.metric_evidence."""

    department_id: str
    metric_id: str
    month_start_date: date
    source_system: str
    source_stream: str
    record_key: str
    numerator_part: float
    denominator_part: float


@dataclass(frozen=True)
class EvidenceGroup:
    """The records of one source stream behind one metric of one department."""

    metric_id: str
    source_system: str
    source_stream: str
    records: tuple[EvidenceRecord, ...]

    @property
    def record_count(self) -> int:
        return len(self.records)

    @property
    def numerator(self) -> float:
        return sum(r.numerator_part for r in self.records)

    @property
    def denominator(self) -> float:
        return sum(r.denominator_part for r in self.records)


@dataclass(frozen=True)
class SupportRow:
    """One row of marts.fct_support_contribution."""

    department_id: str
    scheme_version: str
    support_index: float | None
    grade: str | None
    rank_among_service: int | None
    requests_resolved_for_others: float | None
    fte: float | None
    requests_per_fte: float | None
    requests_per_fte_contribution: float | None
    sla_attainment: float | None
    sla_attainment_contribution: float | None
    ratings: float | None
    requester_satisfaction: float | None
    requester_satisfaction_contribution: float | None
    weight_coverage_pct: float | None


@dataclass(frozen=True)
class CollaborationRow:
    """One row of marts.fct_collaboration: `serving` resolved requests for `requesting`."""

    serving_department_id: str
    requesting_department_id: str | None
    is_own_department: bool
    requests_resolved: int
    resolved_within_sla: int
    ratings: int
    mean_satisfaction: float | None
    mean_first_response_hours: float | None

    @property
    def sla_share(self) -> float | None:
        return self.resolved_within_sla / self.requests_resolved if self.requests_resolved else None


@dataclass(frozen=True)
class TrendPoint:
    """A department's index in one period (a point of a sparkline or a bar of the history chart)."""

    period_id: str
    contribution_index: float
    core_subtotal: float
    extension_subtotal: float
    grade: str
    scheme_version: str


@dataclass(frozen=True)
class Headcount:
    """Headcount at the period's last covered month-end, and the movements within the period."""

    headcount_at_end: int | None
    hires: int
    terminations: int
    voluntary_terminations: int


@dataclass(frozen=True)
class QualityFinding:
    """A check of the latest quality run that did not pass: it travels with the scorecards."""

    check_name: str
    asset: str
    severity: str
    observed: str | None
    expected: str | None
    engine: str | None
    source_system: str | None  # None: not tied to one source, so it applies to every department


@dataclass(frozen=True)
class QualityRun:
    """The latest run of the verdicts the database keeps (None on the scorecard when there are none)."""

    run_id: str
    checked_at: datetime | None
    checks: int
    passed: int
    findings: tuple[QualityFinding, ...]


@dataclass(frozen=True)
class GradeBand:
    grade: str
    min_index: float
    label_en: str
    label_zh: str


GRADE_BANDS_SEED = DBT_PROJECT_DIR / "seeds" / "grade_bands.csv"


def seed_grade_bands() -> tuple[GradeBand, ...]:
    """The bands as the seed defines them (highest first): for a snapshot published before the marts
    carried `grade_bands`, so that the scale shown is still the one the grades were given on."""
    with GRADE_BANDS_SEED.open(newline="", encoding="utf-8") as seed:
        rows = [{**r, "min_index": float(r["min_index"])} for r in csv.DictReader(seed)]
    return tuple(GradeBand(**r) for r in sorted(rows, key=lambda r: r["min_index"], reverse=True))


@dataclass(frozen=True)
class Scorecard:
    """One period's scorecard for every department, as the marts hold it."""

    period: Period
    data_through: date | None  # last day of the latest month the warehouse covers
    departments: dict[str, Department]
    ranking: tuple[RankingRow, ...]  # ordered by rank
    metrics: dict[str, tuple[MetricRow, ...]]
    evidence: dict[str, dict[str, tuple[EvidenceGroup, ...]]]  # department -> metric -> groups
    support: dict[str, SupportRow]
    served: dict[str, tuple[CollaborationRow, ...]]  # what each department resolved for others
    received: dict[str, tuple[CollaborationRow, ...]]  # who resolved requests for each department
    trends: dict[str, dict[str, tuple[TrendPoint, ...]]]  # period type -> department -> points
    headcount: dict[str, Headcount]
    quality: QualityRun | None
    grade_bands: tuple[GradeBand, ...]
    provenance: Provenance  # where the data came from: the simulator (demo data) or the sources' hosts
    source_systems: dict[str, frozenset[str]] = field(default_factory=dict)  # per department, this period

    @property
    def scheme_versions(self) -> tuple[str, ...]:
        return tuple(sorted({row.scheme_version for row in self.ranking}))

    @property
    def is_partial(self) -> bool:
        """True for a period that ends after the data does (the current quarter)."""
        return bool(
            self.ranking and self.data_through and self.data_through < self.ranking[0].period_end_date
        )

    def findings_for(self, department_id: str) -> tuple[QualityFinding, ...]:
        """The failed checks that concern the department: those on a source its metrics read this period,
        and those tied to no single source."""
        if self.quality is None:
            return ()
        systems = self.source_systems.get(department_id)
        return tuple(
            f
            for f in self.quality.findings
            if f.source_system is None or not systems or f.source_system in systems
        )


def fetch_rows(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort record keys as people read them: `RD-9` before `RD-10`, `1002` before `1010`."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part)


def _source_system(check_name: str, asset: str) -> str | None:
    if match := SOURCE_CHECK.match(check_name):
        return match[1] if match[1] in SOURCES else None
    if match := STAGING_ASSET.match(asset or ""):
        return match[1] if match[1] in SOURCES else None
    return None


def _quality(con: duckdb.DuckDBPyConnection) -> QualityRun | None:
    """The latest run's checks on department-level data: the BI tier holds no HR-tier verdict, so
    the count is `CheckCount.department_level`, which the demo prints beside the whole run's."""
    schema = results_schema(con)
    count = count_checks(con, schema=schema)
    if count is None:
        return None
    checked_at = con.execute(
        f"select max(checked_at) from {schema}.{QUALITY_TABLE} where run_id = ?", [count.run_id]
    ).fetchone()[0]
    rows = fetch_rows(
        con,
        f"""select check_name, asset, severity, passed, observed, expected, engine
            from {schema}.{QUALITY_TABLE} where run_id = ? and asset not like '{HR_TIER_ASSETS}'
                and not passed
            order by severity = 'blocking' desc, check_name, asset""",
        [count.run_id],
    )
    findings = tuple(
        QualityFinding(
            check_name=r["check_name"],
            asset=r["asset"],
            severity=r["severity"],
            observed=r["observed"],
            expected=r["expected"],
            engine=r["engine"],
            source_system=_source_system(r["check_name"], r["asset"]),
        )
        for r in rows
    )
    return QualityRun(
        count.run_id, checked_at, count.department_level, count.department_level_passed, findings
    )


def load_grade_bands(con: duckdb.DuckDBPyConnection) -> tuple[GradeBand, ...]:
    if not has_table(con, MARTS, "grade_bands"):
        return seed_grade_bands()
    rows = fetch_rows(
        con, f"select grade, min_index, label_en, label_zh from {MARTS}.grade_bands order by min_index desc"
    )
    return tuple(GradeBand(**r) for r in rows) or seed_grade_bands()


def _headcount(con: duckdb.DuckDBPyConnection, period: Period) -> dict[str, Headcount]:
    first, last = min(period.months), max(period.months)
    rows = fetch_rows(
        con,
        f"""select department_id,
                arg_max(headcount_at_month_end, month_start_date) as headcount_at_end,
                sum(hires)::int as hires, sum(terminations)::int as terminations,
                sum(voluntary_terminations)::int as voluntary_terminations
            from {MARTS}.fct_department_headcount
            where year(month_start_date) = ? and month(month_start_date) between ? and ?
            group by department_id""",
        [period.year, first, last],
    )
    return {r.pop("department_id"): Headcount(**r) for r in rows}


def load_scorecard(database: Path, period_id: str) -> Scorecard:
    """Read one period's scorecard from the marts of `database`, opened read-only."""
    period = Period.parse(period_id)
    with connect(database, read_only=True) as con:
        ranking = tuple(
            RankingRow(**r)
            for r in fetch_rows(
                con,
                f"""select department_id, name_en, name_zh, department_family, is_production, period_id,
                        period_type, period_start_date, period_end_date, scheme_version, contribution_index,
                        core_subtotal, extension_subtotal, grade, rank_overall, rank_in_family,
                        previous_period_id, previous_index, change_vs_previous, weight_coverage_pct,
                        metrics_observed, metrics_in_scheme, record_count, headcount_at_period_end
                    from {MARTS}.fct_department_contribution where period_id = ?
                    order by rank_overall, name_en""",
                [period.id],
            )
        )
        if not ranking:
            scored = [
                p
                for (p,) in con.execute(
                    f"select distinct period_id from {MARTS}.fct_department_contribution order by 1"
                ).fetchall()
            ]
            raise ScorecardError(
                f"no department is scored in {period.id} (scored periods: {', '.join(scored) or 'none'})"
            )
        departments = {
            r["department_id"]: Department(**r)
            for r in fetch_rows(
                con,
                f"""select department_id, name_en, name_zh, family, is_production, current_headcount
                    from {MARTS}.dim_department order by department_id""",
            )
        }
        # A department ranked in an earlier period may have left dim_department (no employees any more).
        for row in ranking:
            departments.setdefault(
                row.department_id,
                Department(
                    row.department_id,
                    row.name_en,
                    row.name_zh,
                    row.department_family,
                    row.is_production,
                    None,
                ),
            )

        metrics: dict[str, list[MetricRow]] = defaultdict(list)
        for r in fetch_rows(
            con,
            f"""select s.department_id, s.scorecard, s.tier, s.metric_id, c.name_en, c.name_zh,
                    s.scheme_version, s.metric_value, s.unit, s.direction, s.numerator, s.denominator,
                    s.target, s.floor, s.score, s.weight, s.effective_weight, s.weighted_contribution,
                    s.record_count, s.is_observed
                from {MARTS}.fct_metric_scores s
                left join {MARTS}.metric_catalog c using (metric_id)
                where s.period_id = ?
                order by s.department_id, s.scorecard, s.tier, s.weight desc, s.metric_id""",
            [period.id],
        ):
            r["name_en"] = r["name_en"] or r["metric_id"]
            r["name_zh"] = r["name_zh"] or r["name_en"]
            metrics[r["department_id"]].append(MetricRow(**r))

        grouped: dict[tuple[str, str, str, str], list[EvidenceRecord]] = defaultdict(list)
        for r in fetch_rows(
            con,
            f"""select department_id, metric_id, month_start_date, source_system, source_stream,
                    record_key, numerator_part, denominator_part
                from {MARTS}.metric_evidence where period_id = ?""",
            [period.id],
        ):
            record = EvidenceRecord(**r)
            grouped[
                (record.department_id, record.metric_id, record.source_system, record.source_stream)
            ].append(record)
        evidence: dict[str, dict[str, list[EvidenceGroup]]] = defaultdict(lambda: defaultdict(list))
        systems: dict[str, set[str]] = defaultdict(set)
        for (department_id, metric_id, system, stream), records in sorted(grouped.items()):
            records.sort(key=lambda rec: (natural_key(rec.record_key), rec.month_start_date))
            evidence[department_id][metric_id].append(
                EvidenceGroup(metric_id, system, stream, tuple(records))
            )
            systems[department_id].add(system)

        support = {
            r["department_id"]: SupportRow(**r)
            for r in fetch_rows(
                con,
                f"""select department_id, scheme_version, support_index, grade, rank_among_service,
                        requests_resolved_for_others, fte, requests_per_fte, requests_per_fte_contribution,
                        sla_attainment, sla_attainment_contribution, ratings, requester_satisfaction,
                        requester_satisfaction_contribution, weight_coverage_pct
                    from {MARTS}.fct_support_contribution where period_id = ?""",
                [period.id],
            )
        }

        served: dict[str, list[CollaborationRow]] = defaultdict(list)
        received: dict[str, list[CollaborationRow]] = defaultdict(list)
        for r in fetch_rows(
            con,
            f"""select serving_department_id, requesting_department_id, is_own_department,
                    requests_resolved, resolved_within_sla, ratings, mean_satisfaction,
                    mean_first_response_hours
                from {MARTS}.fct_collaboration where period_id = ?
                order by requests_resolved desc, requesting_department_id nulls last""",
            [period.id],
        ):
            row = CollaborationRow(**r)
            served[row.serving_department_id].append(row)
            if row.requesting_department_id:
                received[row.requesting_department_id].append(row)

        trends: dict[str, dict[str, list[TrendPoint]]] = {
            "month": defaultdict(list),
            "quarter": defaultdict(list),
        }
        for r in fetch_rows(
            con,
            f"""select department_id, period_type, period_id, contribution_index, core_subtotal,
                    extension_subtotal, grade, scheme_version
                from {MARTS}.fct_department_contribution
                where period_start_date <= (select max(period_end_date)
                                            from {MARTS}.fct_department_contribution where period_id = ?)
                order by period_start_date""",
            [period.id],
        ):
            department_id, period_type = r.pop("department_id"), r.pop("period_type")
            trends[period_type][department_id].append(TrendPoint(**r))

        data_through = con.execute(
            f"select max(month_end_date) from {MARTS}.fct_department_headcount"
        ).fetchall()[0][0]
        return Scorecard(
            period=period,
            data_through=data_through,
            departments=departments,
            ranking=ranking,
            metrics={k: tuple(v) for k, v in metrics.items()},
            evidence={d: {m: tuple(g) for m, g in by_metric.items()} for d, by_metric in evidence.items()},
            support=support,
            served={k: tuple(v) for k, v in served.items()},
            received={k: tuple(v) for k, v in received.items()},
            trends={t: {d: tuple(p) for d, p in by_dept.items()} for t, by_dept in trends.items()},
            headcount=_headcount(con, period),
            quality=_quality(con),
            grade_bands=load_grade_bands(con),
            provenance=load_provenance(con),
            source_systems={d: frozenset(s) for d, s in systems.items()},
        )
