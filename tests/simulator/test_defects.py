"""Planted defects: each kind shows on the wire exactly where the manifest says, and nowhere else.

Two simulators of the same company (seed 7, scale s, as-of 2026-10-31) run side by side, one with every
defect planted and one with none; each test diffs what they serve. With no defects, every endpoint the
defects touch serves the same bytes whether ``defects`` is omitted, None or empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import requests
from sim_clients import Clients

from connectors.embedded import SimulatorProcess, simulator_from_env
from connectors.settings import SIMULATOR_DEFECTS_ENV
from simulator import Company, Simulator, start_simulator
from simulator.__main__ import main as cli_main
from simulator.company.mess import european_spelling
from simulator.defects import (
    KINDS,
    MANIFEST_KEYS_MAX,
    UNMAPPED_COST_CENTER,
    defect_month,
    manifest,
    parse_kinds,
)

SEED, SCALE, AS_OF = 7, "s", date(2026, 10, 31)
MONTH = "2026-09"
SHANGHAI = timezone(timedelta(hours=8))
SD_ALL = "project = SD ORDER BY updated ASC, key ASC"


@pytest.fixture(scope="module")
def planted() -> Iterator[Clients]:
    with start_simulator(port=0, seed=SEED, scale=SCALE, as_of=AS_OF, defects="all") as handle:
        yield Clients(handle)


@pytest.fixture(scope="module")
def clean() -> Iterator[Clients]:
    with start_simulator(port=0, seed=SEED, scale=SCALE, as_of=AS_OF) as handle:
        yield Clients(handle)


@pytest.fixture(scope="module")
def entries(planted: Clients) -> list[dict]:
    r = planted.http.get(planted.handle.url + "/_sim/defects")
    assert r.status_code == 200
    return r.json()


def _entry(entries: list[dict], kind: str, stream: str) -> dict:
    (hit,) = [e for e in entries if e["kind"] == kind and e["stream"] == stream]
    return hit


def _assert_keys(entry: dict, keys: set[str]) -> None:
    """The manifest names exactly these keys (its list is the first 50 in key order, plus the count)."""
    assert entry["key_count"] == len(keys) > 0
    ordered = sorted(keys, key=lambda k: (len(k), k)) if all(k.isdigit() for k in keys) else sorted(keys)
    assert entry["keys"] == ordered[:MANIFEST_KEYS_MAX]


def _by(rows: list[dict], key: str) -> dict[str, dict]:
    out = {str(row[key]): row for row in rows}
    assert len(out) == len(rows), f"duplicate {key}"
    return out


def _content(issue: dict) -> tuple:
    return issue["key"], issue["fields"], issue["changelog"]


def _jira_instant(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z")


# ---- the manifest --------------------------------------------------------------------------------
def test_manifest_over_http_equals_the_pure_function_and_covers_every_kind(entries, clean):
    assert entries == manifest(Company(SEED, SCALE), AS_OF, "all")
    assert list(dict.fromkeys(e["kind"] for e in entries)) == list(KINDS)  # registry order
    for e in entries:
        assert set(e) == {"kind", "source", "stream", "where", "keys", "key_count", "month"}
        assert e["source"] == KINDS[e["kind"]].source and e["where"] and e["keys"]
        assert e["month"] == ("2026-10" if e["kind"] == "stale_source" else MONTH)
    assert clean.http.get(clean.handle.url + "/_sim/defects").json() == []
    assert defect_month(AS_OF) == (2026, 9)


@pytest.mark.parametrize("kind", list(KINDS))
def test_one_kind_plants_only_itself(kind):
    got = manifest(Company(SEED, SCALE), AS_OF, kind)
    assert got and {e["kind"] for e in got} == {kind}


def test_kinds_are_validated_and_all_means_every_kind():
    assert parse_kinds("all") == tuple(KINDS) == parse_kinds(list(reversed(KINDS)))
    assert parse_kinds(None) == parse_kinds("") == parse_kinds(" , ") == ()
    assert parse_kinds("stale_source, wrong_timezone") == ("wrong_timezone", "stale_source")
    with pytest.raises(ValueError, match=r"unknown defect kind.*bogus.*valid kinds: unmapped_cost_center"):
        parse_kinds("wrong_timezone,bogus")
    with pytest.raises(ValueError, match="defect month 2025-10 before the history starts"):
        Simulator(SEED, SCALE, date(2025, 11, 20), defects="all")
    Simulator(SEED, SCALE, date(2025, 11, 20), defects="stale_source")  # needs no defect month


def test_cli_rejects_an_unknown_kind_naming_the_valid_ones(capsys):
    with pytest.raises(SystemExit) as exc:
        cli_main(["--port", "0", "--defects", "minutes_not_hours,nope"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "nope" in err and all(k in err for k in KINDS)


def test_simulator_process_and_the_environment_pass_defects_through(monkeypatch):
    monkeypatch.setenv(SIMULATOR_DEFECTS_ENV, "duplicated_keys")
    assert simulator_from_env().defects == "duplicated_keys"
    monkeypatch.delenv(SIMULATOR_DEFECTS_ENV)
    assert simulator_from_env().defects == ""
    with SimulatorProcess(seed=SEED, scale=SCALE, as_of=AS_OF, defects=("duplicated_keys",)) as proc:
        got = requests.get(proc.url + "/_sim/defects", timeout=30).json()
    assert [e["kind"] for e in got] == ["duplicated_keys"] and got[0]["key_count"] == 3


# ---- ERP -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def gl(planted: Clients, clean: Clients) -> tuple[dict[str, dict], dict[str, dict]]:
    return (
        _by(planted.walk_odata("GLEntries", page_size=5000), "EntryID"),
        _by(clean.walk_odata("GLEntries", page_size=5000), "EntryID"),
    )


def test_unmapped_cost_center(planted, clean, entries, gl):
    ccs_p = _by(planted.walk_odata("CostCenters"), "CostCenterID")
    ccs_c = _by(clean.walk_odata("CostCenters"), "CostCenterID")
    assert set(ccs_p) - set(ccs_c) == {UNMAPPED_COST_CENTER}
    assert all(ccs_p[k] == v for k, v in ccs_c.items())  # CC9990 and the rest untouched
    extra = ccs_p[UNMAPPED_COST_CENTER]
    assert (extra["CostCenterName"], extra["ValidFrom"], extra["ResponsiblePersonEmail"]) == (
        "PMO TRANSITION",
        "2026-09-01",
        None,
    )
    assert _entry(entries, "unmapped_cost_center", "cost_centers")["keys"] == [UNMAPPED_COST_CENTER]

    rows_p, rows_c = gl
    assert rows_p.keys() == rows_c.keys()
    moved = {k for k, row in rows_p.items() if row["CostCenterID"] == UNMAPPED_COST_CENTER}
    assert not any(row["CostCenterID"] == UNMAPPED_COST_CENTER for row in rows_c.values())
    for k in moved:
        p, c = rows_p[k], rows_c[k]
        assert p["PostingDate"][:7] == MONTH and p["GLAccountType"] == "Expense" and not p["IsReversal"]
        assert c["CostCenterID"] != UNMAPPED_COST_CENTER
        assert {**p, "CostCenterID": c["CostCenterID"]} == c  # nothing else about the line changed
    expense = [
        r
        for r in rows_c.values()
        if r["PostingDate"][:7] == MONTH and r["GLAccountType"] == "Expense" and not r["IsReversal"]
    ]
    assert len(moved) == round(0.12 * len(expense))
    reversed_ids = {r["ReversedEntryID"] for r in rows_c.values() if r["IsReversal"]}
    assert not moved & reversed_ids  # no reversal points at a moved line: CC9991 stays in the month
    _assert_keys(_entry(entries, "unmapped_cost_center", "gl_entries"), moved)


def test_revenue_mismatch(planted, clean, entries, gl):
    inv_p = _by(planted.walk_odata("SalesInvoices"), "InvoiceID")
    inv_c = _by(clean.walk_odata("SalesInvoices"), "InvoiceID")
    assert inv_p.keys() == inv_c.keys()
    changed = {k for k in inv_p if inv_p[k] != inv_c[k]}
    expected = {
        k for k, row in inv_c.items() if row["CRMDealID"] is not None and row["InvoiceDate"][:7] == MONTH
    }
    assert changed == expected
    for k in changed:
        assert inv_p[k]["Amount"] == round(inv_c[k]["Amount"] * 1.30, 2)
        assert {**inv_p[k], "Amount": inv_c[k]["Amount"]} == inv_c[k]
    _assert_keys(_entry(entries, "revenue_mismatch", "sales_invoices"), changed)

    rows_p, rows_c = gl
    revenue = {
        k
        for k in rows_p
        if rows_p[k]["AmountInTransactionCurrency"] != rows_c[k]["AmountInTransactionCurrency"]
    }
    assert {rows_c[k]["DocumentNo"] for k in revenue} == changed
    for k in revenue:  # the ERP agrees with itself: the GL revenue line follows its invoice
        assert rows_p[k]["GLAccount"] == "6001"
        if isinstance(rows_p[k]["AmountInTransactionCurrency"], float | int):
            assert rows_p[k]["AmountInTransactionCurrency"] == inv_p[rows_p[k]["DocumentNo"]]["Amount"]
    _assert_keys(_entry(entries, "revenue_mismatch", "gl_entries"), revenue)
    # every other GL difference is a moved cost center (the other ERP kind)
    others = {k for k in rows_p if rows_p[k] != rows_c[k]} - revenue
    assert all(rows_p[k]["CostCenterID"] == UNMAPPED_COST_CENTER for k in others)


def test_locale_amounts(planted, clean, entries):
    def invoices(c: Clients) -> dict[str, dict]:
        return _by([r for r in c.walk_odata("PurchaseInvoices") if r["InvoiceID"]], "InvoiceID")

    inv_p, inv_c = invoices(planted), invoices(clean)
    assert inv_p.keys() == inv_c.keys()
    changed = {k for k in inv_p if inv_p[k] != inv_c[k]}
    assert changed == {k for k, row in inv_c.items() if row["ReceivedDate"] >= f"{MONTH}-01"}
    for k in changed:
        assert isinstance(inv_c[k]["Amount"], float | int)
        assert inv_p[k]["Amount"] == european_spelling(inv_c[k]["Amount"])
        assert {**inv_p[k], "Amount": inv_c[k]["Amount"]} == inv_c[k]
    assert any("." in inv_p[k]["Amount"] for k in changed), "thousands carry the German separator"
    _assert_keys(_entry(entries, "locale_amounts", "purchase_invoices"), changed)


# ---- HR --------------------------------------------------------------------------------------------
EMPLOYEE_FIELDS = (
    "employeeNumber,firstName,lastName,workEmail,department,jobTitle,hireDate,status,lastChanged"
)


def test_duplicated_keys(planted, clean, entries):
    dir_p = _by(planted.hr("/employees/directory").json()["employees"], "id")
    dir_c = _by(clean.hr("/employees/directory").json()["employees"], "id")
    new = set(dir_p) - set(dir_c)
    assert len(new) == 3 and all(dir_p[k] == v for k, v in dir_c.items())
    assert min(int(k) for k in new) > max(int(k) for k in dir_c)
    by_email = {row["workEmail"]: row for row in dir_c.values()}
    for k in new:
        dup = dir_p[k]
        orig = by_email[dup["workEmail"]]  # same natural key, different primary key
        assert orig["id"] != k
        same = ("displayName", "firstName", "lastName", "jobTitle", "department", "division", "supervisor")
        assert all(dup[f] == orig[f] for f in same)
        one = planted.hr(f"/employees/{k}", params={"fields": EMPLOYEE_FIELDS}).json()
        other = planted.hr(f"/employees/{orig['id']}", params={"fields": EMPLOYEE_FIELDS}).json()
        assert one["hireDate"] == other["hireDate"] and one["employeeNumber"] != other["employeeNumber"]
        assert one["status"] == "Active" and one["lastChanged"].startswith("2026-09-01T")
        assert planted.hr(f"/training/record/employee/{k}").json() == {}
        assert clean.hr(f"/employees/{k}").status_code == 404
    changed_p = planted.hr("/employees/changed", params={"since": "2026-08-31T00:00:00Z"}).json()
    changed_c = clean.hr("/employees/changed", params={"since": "2026-08-31T00:00:00Z"}).json()
    assert set(changed_p["employees"]) - set(changed_c["employees"]) == new
    assert all(changed_p["employees"][k]["action"] == "Inserted" for k in new)
    assert changed_p["latest"] == changed_c["latest"]
    _assert_keys(_entry(entries, "duplicated_keys", "employees"), new)


def test_minutes_not_hours(planted, clean, entries):
    ids = clean.hr("/employees/changed", params={"since": "2000-01-01T00:00:00Z"}).json()["employees"]
    changed: set[str] = set()
    seen_other_months = 0
    for emp_id in ids:
        rec_p = planted.hr(f"/training/record/employee/{emp_id}").json()
        rec_c = clean.hr(f"/training/record/employee/{emp_id}").json()
        assert rec_p.keys() == rec_c.keys()
        for k, c in rec_c.items():
            p = rec_p[k]
            if c["completed"][:7] == MONTH:
                assert p["hours"] == c["hours"] * 60
                assert {**p, "hours": c["hours"]} == c
                changed.add(k)
            else:
                assert p == c
                seen_other_months += 1
    assert seen_other_months > 10 * len(changed)
    _assert_keys(_entry(entries, "minutes_not_hours", "training_records"), changed)


# ---- Jira ------------------------------------------------------------------------------------------
def test_wrong_timezone(planted, clean, entries):
    sd_p = _by(planted.walk_jira(SD_ALL, expand="changelog"), "id")
    sd_c = _by(clean.walk_jira(SD_ALL, expand="changelog"), "id")
    assert sd_p.keys() == sd_c.keys()  # paging neither loses nor repeats an issue
    # (an issue's `self` URL names the server's port, so compare what the issue says)
    changed = {k for k in sd_p if _content(sd_p[k]) != _content(sd_c[k])}
    eight_hours = timedelta(hours=8)
    for k in changed:
        p, c = sd_p[k]["fields"], sd_c[k]["fields"]
        start_ms = c["customfield_10200"]["completedCycles"][0]["startTime"]["epochMillis"]
        started = datetime.fromtimestamp(start_ms / 1000, SHANGHAI)
        assert started.strftime("%Y-%m") == MONTH  # created in the defect month (company time)
        for f in ("customfield_10200", "customfield_10201"):
            assert p[f] == c[f]  # SLA times stay correct
        if "T25:61" not in c["created"]:  # a malformed created stays malformed
            assert p["created"].endswith("+0000")
            assert p["created"][:19] == started.strftime("%Y-%m-%dT%H:%M:%S")  # company wall clock
            assert _jira_instant(p["created"]) - started == eight_hours
        for f in ("updated", "resolutiondate"):
            if c[f] is not None:
                assert p[f].endswith("+0000")
                assert _jira_instant(p[f]) - _jira_instant(c[f]) == eight_hours
        hist_p = sd_p[k]["changelog"]["histories"]
        hist_c = sd_c[k]["changelog"]["histories"]
        for hp, hc in zip(hist_p, hist_c, strict=True):
            assert _jira_instant(hp["created"]) - _jira_instant(hc["created"]) == eight_hours
    for k in set(sd_p) - changed:  # every other issue is unchanged, and none was created in the month
        ms = sd_c[k]["fields"]["customfield_10200"]
        cycle = (ms["completedCycles"] or [ms.get("ongoingCycle")])[0]
        assert (
            datetime.fromtimestamp(cycle["startTime"]["epochMillis"] / 1000, SHANGHAI).strftime("%Y-%m")
            != MONTH
        )
    _assert_keys(_entry(entries, "wrong_timezone", "service_requests"), changed)

    # search order and JQL on `updated` follow the rendered (late) instant, so incremental reads work
    updated = [_jira_instant(i["fields"]["updated"]) for i in planted.walk_jira(SD_ALL, fields="updated")]
    assert updated == sorted(updated)
    probe = sd_p[sorted(changed)[len(changed) // 2]]
    at = _jira_instant(probe["fields"]["updated"]).astimezone(SHANGHAI)
    lo, hi = at.strftime("%Y-%m-%d %H:%M"), (at + timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M")
    hits = planted.walk_jira(f'project = SD AND updated >= "{lo}" AND updated < "{hi}"', fields="updated")
    assert probe["id"] in {i["id"] for i in hits}
    before = planted.walk_jira(f'project = SD AND updated < "{lo}"', fields="updated")
    assert probe["id"] not in {i["id"] for i in before}


# ---- CRM -------------------------------------------------------------------------------------------
def _crm_everything(c: Clients, obj: str) -> dict[str, dict]:
    rows = c.walk_crm_list(obj) + c.walk_crm_list(obj, archived=True)
    return _by(rows, "id")


def _owners(c: Clients) -> dict[str, dict]:
    rows = []
    for archived in ("false", "true"):
        rows += c.crm("/crm/v3/owners", params={"limit": 500, "archived": archived}).json()["results"]
    return _by(rows, "id")


def test_stale_source(planted, clean, entries):
    cutoff = datetime(2026, 10, 22, tzinfo=SHANGHAI)  # the end of as-of minus 10 days, company time
    for obj in ("deals", "goal_targets", "feedback_submissions"):
        p, c = _crm_everything(planted, obj), _crm_everything(clean, obj)
        newest_p = max(datetime.fromisoformat(r["updatedAt"].replace("Z", "+00:00")) for r in p.values())
        newest_c = max(datetime.fromisoformat(r["updatedAt"].replace("Z", "+00:00")) for r in c.values())
        assert newest_p < cutoff <= newest_c
        assert set(p) <= set(c)
        differ = {k for k in c if p.get(k) != c[k]}
        assert all(datetime.fromisoformat(c[k]["updatedAt"].replace("Z", "+00:00")) >= cutoff for k in differ)
        _assert_keys(_entry(entries, "stale_source", obj), differ)
    found, _ = planted.walk_crm_search("deals")
    newest = max(r["properties"]["hs_lastmodifieddate"] for r in found)
    assert newest < "2026-10-21T16:00:00.000Z"  # 2026-10-22 00:00 +08:00
    owners_p, owners_c = _owners(planted), _owners(clean)
    differ = {k for k in owners_c if owners_p.get(k) != owners_c[k]}
    _assert_keys(_entry(entries, "stale_source", "owners"), differ)
    # the other sources still serve the full as-of
    newest_rate = planted.erp("/ExchangeRates?$orderby=RateDate desc&$top=1").json()["value"][0]
    assert newest_rate["RateDate"] == AS_OF.isoformat()


# ---- no defects: nothing changes; one kind: only its source changes ------------------------------
def _sample(c: Clients) -> list[tuple[str, bytes]]:
    """A handful of pages of every stream the defects touch, each labelled with its source."""
    out = [
        ("hr", c.hr("/employees/directory").content),
        ("hr", c.hr("/employees/changed", params={"since": "2026-08-01T00:00:00Z"}).content),
        ("hr", c.hr("/employees/1008", params={"fields": EMPLOYEE_FIELDS}).content),
        ("hr", c.hr("/employees/1354").content),
        ("hr", c.hr("/training/record/employee/1008").content),
        ("hr", c.hr("/training/record/employee/1001").content),  # a completion in the defect month
        ("erp", c.erp("/CostCenters").content),
        (
            "erp",
            c.erp("/SalesInvoices?$filter=LastModifiedDateTime ge 2026-09-01T00:00:00Z&$top=200").content,
        ),
        ("erp", c.erp("/SalesInvoices?$orderby=Amount desc&$top=50").content),
        ("erp", c.erp("/JournalCorrections?$top=50").content),
        (
            "erp",
            c.erp("/PurchaseInvoices?$filter=LastModifiedDateTime ge 2026-10-01T00:00:00Z&$top=200").content,
        ),
    ]
    url = "/GLEntries?$filter=LastModifiedDateTime ge 2026-09-01T00:00:00Z&$count=true"
    for _ in range(3):
        r = c.erp(url)
        out.append(("erp", r.content))
        url = r.json()["@odata.nextLink"]
    for jql in (SD_ALL, 'project = SD AND updated >= "2026-09-01"', ""):
        token = None
        for _ in range(2):
            params = {"jql": jql, "fields": "*all", "expand": "changelog", "maxResults": 100}
            if token:
                params["nextPageToken"] = token
            r = c.jira("/search/jql", params=params)
            out.append(("ticketing", r.content))
            token = r.json()["nextPageToken"]
    millis = str(int(datetime(2026, 9, 20, tzinfo=UTC).timestamp() * 1000))
    since = [{"filters": [{"propertyName": "hs_lastmodifieddate", "operator": "GTE", "value": millis}]}]
    search = {"limit": 200, "after": "0", "filterGroups": since}
    out += [
        ("crm", c.crm("/crm/v3/objects/deals", params={"limit": 100}).content),
        ("crm", c.crm("/crm/v3/objects/goal_targets", params={"limit": 100, "archived": "true"}).content),
        ("crm", c.crm("/crm/v3/objects/deals/search", method="POST", json=search).content),
        ("crm", c.crm("/crm/v3/objects/feedback_submissions/search", method="POST", json=search).content),
        ("crm", c.crm("/crm/v3/owners", params={"archived": "true"}).content),
    ]
    return [(source, re.sub(rb"http://127\.0\.0\.1:\d+", b"ORIGIN", body)) for source, body in out]


@pytest.fixture(scope="module")
def clean_sample(clean: Clients) -> list[tuple[str, bytes]]:
    return _sample(clean)


@pytest.mark.parametrize("empty", [None, "", ()])
def test_no_defects_serves_the_same_bytes(clean_sample, empty):
    with start_simulator(port=0, seed=SEED, scale=SCALE, as_of=AS_OF, defects=empty) as other:
        assert _sample(Clients(other)) == clean_sample


@pytest.mark.parametrize("kind", list(KINDS))
def test_one_kind_changes_only_its_own_source(clean_sample, kind):
    with start_simulator(port=0, seed=SEED, scale=SCALE, as_of=AS_OF, defects=kind) as other:
        sample = _sample(Clients(other))
    changed = {src for (src, body), (_, before) in zip(sample, clean_sample, strict=True) if body != before}
    assert changed == {KINDS[kind].source}  # and the sample is wide enough to see every kind
