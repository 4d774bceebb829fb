"""The raw layer never loses or duplicates a record, whatever the network or the calendar does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from connectors.embedded import SimulatorProcess
from connectors.landing.raw_store import RawStore
from connectors.sources import SOURCES
from simulator import Company
from simulator.clock import now_for
from simulator.company.mess import MALFORMED
from tests.conftest import AS_OF, SEED, all_streams, copy_warehouse, extract_all, query, raw_versions

INCREMENTAL = [(src, st) for src, st in all_streams() if SOURCES[src].stream(st).cursor is not None]


def test_every_stream_lands_records(baseline):
    empty = [key for key, result in baseline.results.items() if result.rows_inserted == 0]
    assert not empty, f"streams that landed nothing: {empty}"
    assert all(r.status == "succeeded" for r in baseline.results.values())


def test_two_full_runs_give_the_same_raw_contents(baseline, simulator, tmp_path):
    extract_all(tmp_path / "second.duckdb", simulator)
    assert raw_versions(tmp_path / "second.duckdb") == raw_versions(baseline.path)


def test_second_incremental_run_adds_nothing(baseline, simulator, tmp_path):
    warehouse = copy_warehouse(baseline.path, tmp_path / "w.duckdb")
    rejects_before = query(warehouse, "select count(*) from raw._rejects")[0][0]
    results = extract_all(warehouse, simulator)
    assert {key: r.rows_inserted for key, r in results.items() if r.rows_inserted} == {}
    assert query(warehouse, "select count(*) from raw._rejects")[0][0] == rejects_before
    # incremental streams re-read only their lookback margin, not everything
    for key in INCREMENTAL:
        assert (
            results[key].rows_fetched < baseline.results[key].rows_fetched
            or baseline.results[key].rows_fetched < 50
        )


def test_a_cursor_in_the_future_returns_nothing(baseline, simulator, tmp_path):
    warehouse = copy_warehouse(baseline.path, tmp_path / "w.duckdb")
    future = datetime(2100, 1, 1, tzinfo=UTC)
    with RawStore(warehouse) as store:
        for source, stream in INCREMENTAL:
            store.set_cursor(source, stream, future)
    results = extract_all(warehouse, simulator, streams=INCREMENTAL)
    fetched = {key: r.rows_fetched for key, r in results.items() if r.rows_fetched}
    # HubSpot's archived deals are listed in full on every read: the API cannot filter them by time.
    assert set(fetched) <= {("crm", "deals")}
    assert all(r.rows_inserted == 0 for r in results.values())


def test_ledger_balances_and_malformed_records_are_kept_with_their_reason(baseline):
    unbalanced = query(
        baseline.path, "select batch_id from raw._loads where rows_fetched != rows_loaded + rows_rejected"
    )
    assert unbalanced == []
    rejects = query(baseline.path, "select source, stream, record_key, reason, raw_text from raw._rejects")
    assert len(rejects) > 0
    for source, stream, _key, reason, raw_text in rejects:
        assert source in SOURCES and stream in {s.name for s in SOURCES[source].streams}
        assert reason and raw_text
        assert any(word in reason for word in ("missing", "not a", "not a JSON object")), reason
    # The ledger counts every rejected fetch; raw._rejects keeps each bad record once (a leave request that
    # spans two months is read in two date windows, and so rejected twice).
    per_stream = query(
        baseline.path, "select source, stream, sum(rows_rejected) from raw._loads group by all"
    )
    kept = dict(
        ((s, t), (n, d))
        for s, t, n, d in query(
            baseline.path,
            "select source, stream, count(*), count(distinct raw_hash) from raw._rejects group by all",
        )
    )
    for source, stream, rejected in per_stream:
        count, distinct = kept.get((source, stream), (0, 0))
        assert count == distinct, f"{source}/{stream}: a bad record kept twice"
        assert (rejected > 0) == (count > 0) and count <= rejected


def test_advancing_the_as_of_lands_only_the_changed_versions(baseline, tmp_path):
    next_day = AS_OF + timedelta(days=1)
    incremental = copy_warehouse(baseline.path, tmp_path / "incremental.duckdb")
    with SimulatorProcess(seed=SEED, scale="s", as_of=next_day) as later:
        results = extract_all(incremental, later)
        extract_all(tmp_path / "fresh.duckdb", later)
    before, after, fresh = (
        raw_versions(baseline.path),
        raw_versions(incremental),
        raw_versions(tmp_path / "fresh.duckdb"),
    )
    for table in before:
        assert after[table] == before[table] | fresh[table], (
            f"raw.{table} differs from old versions + today's"
        )
    changed = sum(len(fresh[t] - before[t]) for t in fresh)
    assert changed == sum(r.rows_inserted for r in results.values())
    assert 0 < changed < 0.05 * sum(len(v) for v in before.values()), "about 1% of records change per day"


@pytest.mark.slow
def test_fault_rate_gives_the_same_raw_contents_as_no_faults(baseline, tmp_path):
    with SimulatorProcess(seed=SEED, scale="s", as_of=AS_OF, fault_rate=0.2) as flaky:
        results = extract_all(tmp_path / "flaky.duckdb", flaky)
    assert sum(r.retries for r in results.values()) > 20, "the faults really happened"
    assert raw_versions(tmp_path / "flaky.duckdb") == raw_versions(baseline.path)


def test_rows_that_disappear_from_odata_are_flagged_by_the_key_scan(baseline, tmp_path):
    streams = [("erp", "budgets"), ("erp", "purchase_invoices")]
    warehouse = copy_warehouse(baseline.path, tmp_path / "w.duckdb")
    later_day = AS_OF + timedelta(days=45)
    with SimulatorProcess(seed=SEED, scale="s", as_of=later_day) as later:
        results = extract_all(warehouse, later, streams=streams, reconcile=True)
        extract_all(tmp_path / "fresh.duckdb", later, streams=streams)
    tombstoned = sum(r.rows_tombstoned for r in results.values())
    assert tombstoned > 0
    for _, stream in streams:
        table = f"raw.erp__{stream}"
        flagged = {k for (k,) in query(warehouse, f"select _key from {table} where _is_deleted")}
        still_there = {k for (k,) in query(tmp_path / "fresh.duckdb", f"select _key from {table}")}
        ever_seen = {k for (k,) in query(warehouse, f"select distinct _key from {table}")}
        assert flagged == ever_seen - still_there


# The simulator's model knows which records it garbled on purpose (simulator/company/mess.py): each
# kind, where it lands, and how the garbled value reads in the record as raw keeps it. A garbled employee
# hire date also garbles that employee's first job history row (one row each).
GARBLED_ON_THE_WIRE = {
    "hr.employees": (
        ("hr__employees", "_payload->>'hireDate' = '0000-00-00'"),
        ("hr__job_history", "_payload->>'date' = '0000-00-00'"),
    ),
    "hr.time_off": (("hr__time_off_requests", "_payload->>'start' = 'not-a-date'"),),
    "erp.gl_entries": (
        ("erp__gl_entries", "json_type(_payload->'AmountInTransactionCurrency') = 'VARCHAR'"),
    ),
    "erp.sales_invoices": (
        ("erp__sales_invoices", "regexp_matches(_payload->>'PostingDate', '^\\d\\d\\.')"),
    ),
    "jira.RD": (("ticketing__rd_issues", "_payload->'fields'->>'customfield_10016' = '?'"),),
    "jira.SD": (("ticketing__service_requests", "_payload->'fields'->>'created' like '%T25:61:%'"),),
    "crm.deals": (("crm__deals", "_payload->'properties'->>'amount' = 'TBD'"),),
    "crm.feedback_submissions": (
        ("crm__feedback_submissions", "_payload->'properties'->>'hs_response_value' = ''"),
    ),
}
# The one garble that leaves a record without its key: it cannot land.
UNLANDABLE = ("erp.purchase_invoices", ("erp", "purchase_invoices"))


def test_garbled_records_land_as_sent_and_only_those_without_a_key_are_rejected(baseline):
    company = Company(SEED, "s")
    now = now_for(AS_OF)
    for kind, places in GARBLED_ON_THE_WIRE.items():
        planted = company.mess_counts(kind, now).get(MALFORMED[kind][1], 0)
        assert planted > 0, f"the simulator planted no {kind} defect at this seed"
        for table, garbled in places:
            landed = query(baseline.path, f"select count(distinct _key) from raw.{table} where {garbled}")
            assert landed == [(planted,)], f"raw.{table}: {MALFORMED[kind][2]}"
    kind, stream = UNLANDABLE
    rejected = query(
        baseline.path,
        "select source, stream, count(distinct raw_hash), any_value(reason) from raw._rejects group by all",
    )
    planted = company.mess_counts(kind, now)[MALFORMED[kind][1]]
    assert rejected == [(*stream, planted, "missing primary key field 'InvoiceID'")]
