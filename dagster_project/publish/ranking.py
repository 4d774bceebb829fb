"""The latest month's ranking as people first see it: in the demo's output and the snapshot's preview.

Read from the mart, never recomputed; one query so the two views cannot disagree.
"""

from __future__ import annotations

import duckdb

LATEST_MONTH_SQL = "select max(period_id) from marts.fct_department_contribution where period_type = 'month'"
RANKING_SQL = f"""
    select rank_overall as rank, name_en as department, department_family as family,
        round(contribution_index, 1) as "index", round(core_subtotal, 1) as core,
        round(extension_subtotal, 1) as extension, grade, round(change_vs_previous, 1) as change,
        scheme_version as scheme
    from marts.fct_department_contribution
    where period_id = ({LATEST_MONTH_SQL})
    order by rank_overall, name_en
"""


def latest_month(connection: duckdb.DuckDBPyConnection) -> str:
    """The latest month with scores (YYYY-MM)."""
    [(month,)] = connection.execute(LATEST_MONTH_SQL).fetchall()
    return month


def latest_ranking(connection: duckdb.DuckDBPyConnection) -> tuple[str, list[str], list[tuple]]:
    """(month, column names, rows) of the latest month's ranking."""
    cursor = connection.execute(RANKING_SQL)
    header = [column[0] for column in cursor.description]
    rows = cursor.fetchall()  # before the next query on this connection replaces the result
    return latest_month(connection), header, rows
