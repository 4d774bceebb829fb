"""Protocol details: CSDL metadata, JQL time zones and errors, OData errors, deletions, mess counts,
BambooHR's job history."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

from simulator.clock import local_day, ymd
from simulator.company.org import ROLES
from simulator.odata.query import ENTITY_SETS

EDM = "{http://docs.oasis-open.org/odata/ns/edm}"
SHANGHAI = timezone(timedelta(hours=8))


def test_metadata_is_well_formed_csdl_listing_every_entity_set_with_its_key(clients):
    r = clients.erp("/$metadata")
    assert r.headers["Content-Type"].startswith("application/xml")
    root = ET.fromstring(r.content)
    schema = root.find(f".//{EDM}Schema")
    types = {t.get("Name"): t for t in schema.findall(f"{EDM}EntityType")}
    sets = {s.get("Name"): s.get("EntityType") for s in schema.find(f"{EDM}EntityContainer")}
    assert set(sets) == set(ENTITY_SETS)
    for name, es in ENTITY_SETS.items():
        etype = types[sets[name].split(".")[-1]]
        keys = [p.get("Name") for p in etype.find(f"{EDM}Key")]
        assert keys == list(es.keys)
        props = {p.get("Name"): p.get("Type") for p in etype.findall(f"{EDM}Property")}
        assert props["LastModifiedDateTime"] == "Edm.DateTimeOffset" and set(keys) <= set(props)


def test_jql_updated_minute_filter_is_read_in_the_users_time_zone(clients):
    issues = clients.jira(
        "/search/jql", params={"jql": "project = SD", "fields": "updated", "maxResults": 50}
    ).json()
    sample = issues["issues"][17]
    updated = datetime.strptime(sample["fields"]["updated"], "%Y-%m-%dT%H:%M:%S.%f%z")
    minute = updated.astimezone(SHANGHAI).replace(second=0, microsecond=0)
    lo, hi = minute.strftime("%Y-%m-%d %H:%M"), (minute + timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M")
    jql = f'project = SD AND updated >= "{lo}" AND updated < "{hi}" ORDER BY updated ASC, key ASC'
    found = clients.walk_jira(jql, fields="updated")
    assert sample["key"] in {i["key"] for i in found}
    for issue in found:
        ts = datetime.strptime(issue["fields"]["updated"], "%Y-%m-%dT%H:%M:%S.%f%z")
        assert minute <= ts < minute + timedelta(minutes=1)
    later = clients.walk_jira(f'project = SD AND updated >= "{hi}"', fields="updated")
    assert sample["key"] not in {i["key"] for i in later}


def test_jira_timestamps_carry_the_offset_of_the_user_who_changed_the_issue(clients):
    issues = clients.walk_jira('project = RD AND updated >= "2026-10-01 00:00"', fields="updated,created")
    offsets = {i["fields"]["updated"][-5:] for i in issues}
    assert "+0800" in offsets and len(offsets) > 1


def test_unsupported_jql_answers_400_with_error_messages(clients):
    for jql in (
        "status = Done",
        "project = NOPE",
        "project = RD ORDER BY created DESC",
        "project = RD OR project = SD",
        'updated >= "yesterday"',
    ):
        r = clients.jira("/search/jql", params={"jql": jql})
        assert r.status_code == 400 and r.json()["errorMessages"], jql


def test_unsupported_odata_options_answer_400_with_an_odata_error(clients):
    for query in (
        "$filter=Amount gt 5",
        "$expand=Lines",
        "$top=-1",
        "$select=Nope",
        "$filter=LastModifiedDateTime ge yesterday",
        "$orderby=Nope desc",
    ):
        r = clients.erp(f"/SalesInvoices?{query}")
        assert r.status_code == 400 and set(r.json()["error"]) == {"code", "message"}, query
    assert clients.erp("/NoSuchSet").status_code == 404


def test_deleted_budgets_and_draft_invoices_are_absent_from_odata(clients, sim):
    co, now = sim.simulator.company, sim.simulator.now
    gone = {r.key[0] for r in co.memory("erp.budgets") if r.deleted_at is not None and r.deleted_at < now}
    served = {r["BudgetID"] for r in clients.walk_odata("Budgets", page_size=5000)}
    assert gone and not gone & served
    deleted_pi = [
        r
        for r in co.records("erp.purchase_invoices", last_day=local_day(now - 1))
        if r.deleted_at is not None and r.deleted_at < now
    ]
    served_pi = {r["InvoiceID"] for r in clients.walk_odata("PurchaseInvoices", page_size=5000)}
    assert deleted_pi and not {r.key[0] for r in deleted_pi} & served_pi


def test_terminated_employees_are_inactive_updates_not_deletions(clients, sim):
    co, now = sim.simulator.company, sim.simulator.now
    leaver = next(
        e for e in co.employees if e.termination_day and co.start < e.termination_day < local_day(now) - 30
    )
    detail = clients.hr(
        f"/employees/{leaver.emp_id}", params={"fields": "status,terminationDate,terminationType"}
    ).json()
    assert detail["status"] == "Inactive" and detail["terminationType"] in ("Voluntary", "Involuntary")
    assert detail["terminationDate"] != "0000-00-00"
    changed = clients.hr("/employees/changed", params={"since": "2000-01-01T00:00:00Z"}).json()["employees"]
    assert changed[str(leaver.emp_id)]["action"] == "Updated"
    assert all(v["action"] != "Deleted" for v in changed.values())
    directory = {e["id"] for e in clients.hr("/employees/directory").json()["employees"]}
    assert str(leaver.emp_id) not in directory


def test_mess_served_matches_the_models_counts(clients, sim):
    co, now = sim.simulator.company, sim.simulator.now
    rows = clients.walk_odata(
        "GLEntries", "$select=EntryID,AmountInTransactionCurrency,CostCenterID", page_size=5000
    )
    counts = co.mess_counts("erp.gl_entries", now)
    assert sum(isinstance(r["AmountInTransactionCurrency"], str) for r in rows) == counts["amount_not_number"]
    assert sum(r["CostCenterID"] == "CC9990" for r in rows) == counts["unknown_cost_center"] > 0
    deals = clients.walk_crm_list("deals", properties="amount,hubspot_owner_id")
    deals += clients.walk_crm_list("deals", archived=True, properties="amount,hubspot_owner_id")
    deal_counts = co.mess_counts("crm.deals", now)
    owners = {o["id"] for o in clients.crm("/crm/v3/owners", params={"limit": 500}).json()["results"]}
    hr_emails = {e.email for e in co.employees}
    orphan_owners = {
        o["id"]
        for o in clients.crm("/crm/v3/owners", params={"limit": 500}).json()["results"]
        if o["email"] not in hr_emails
    }
    assert len(orphan_owners) == 2 and orphan_owners <= owners
    assert (
        sum(d["properties"]["hubspot_owner_id"] in orphan_owners for d in deals)
        == deal_counts["owner_without_employee"]
    )
    assert sum(d["properties"]["amount"] == "TBD" for d in deals) == deal_counts.get("amount_not_number", 0)


def test_departments_are_spelled_differently_per_system(sim, clients):
    co = sim.simulator.company
    hr_names = {e["department"] for e in clients.hr("/employees/directory").json()["employees"]}
    cc_names = {r["CostCenterName"] for r in clients.walk_odata("CostCenters")}
    teams = {
        t["name"]
        for o in clients.crm("/crm/v3/owners", params={"limit": 500}).json()["results"]
        for t in o["teams"]
    }
    assert hr_names == {d.hr_name for d in co.departments}
    assert not hr_names & cc_names and not hr_names & teams
    typed = {
        i["fields"]["customfield_10400"]
        for i in clients.walk_jira("project = SD", fields="customfield_10400")
    }
    assert typed & {d.name_zh for d in co.departments} and typed & hr_names


def _visible_title_changes(emp, now: int) -> int:
    """How many of an employee's role changes the HR record shows at ``now``."""
    return sum(1 for i, v in enumerate(emp.record.versions) if i and "jobTitle" in v.changes and v.ts < now)


def test_job_history_has_a_row_at_hire_and_one_per_visible_role_change(clients, sim):
    co, now = sim.simulator.company, sim.simulator.now
    promoted = next(e for e in co.employees if len(e.roles) > 1 and _visible_title_changes(e, now) == 1)
    rows = clients.hr(f"/employees/{promoted.emp_id}/tables/jobInfo").json()
    assert [(r["date"], r["jobTitle"]) for r in rows] == [
        (ymd(day), ROLES[role_id].title_en) for day, role_id in promoted.roles
    ]
    assert rows[0]["jobTitle"] != rows[1]["jobTitle"] and len({r["id"] for r in rows}) == 2
    current = clients.hr(f"/employees/{promoted.emp_id}", params={"fields": "jobTitle,hireDate"}).json()
    assert rows[0]["date"] == current["hireDate"] and rows[-1]["jobTitle"] == current["jobTitle"]

    unpromoted = next(
        e
        for e in co.employees
        if len(e.roles) == 1
        and not e.is_manager
        and not e.record.malformed
        and e.record.visible_index(now) is not None
    )
    [row] = clients.hr(f"/employees/{unpromoted.emp_id}/tables/jobInfo").json()
    fields = "hireDate,jobTitle,department,division,location,supervisorEId"
    record = clients.hr(f"/employees/{unpromoted.emp_id}", params={"fields": fields}).json()
    supervisor = co.emp_by_id[int(record["supervisorEId"])]
    assert row == {
        "id": str(unpromoted.emp_id * 100 + 1),
        "employeeId": str(unpromoted.emp_id),
        "date": record["hireDate"],
        "location": record["location"],
        "department": record["department"],
        "division": record["division"],
        "jobTitle": record["jobTitle"],
        "reportsTo": supervisor.display_name,
    }

    # a promotion still ahead of the as-of is not in the history yet
    ahead = next(
        e
        for e in co.employees
        if len(e.roles) > 1
        and _visible_title_changes(e, now) == 0
        and e.record.visible_index(now) is not None
    )
    assert len(clients.hr(f"/employees/{ahead.emp_id}/tables/jobInfo").json()) == 1


def test_job_history_of_all_covers_every_visible_employee_including_leavers(clients, sim):
    co, now = sim.simulator.company, sim.simulator.now
    rows = clients.hr("/employees/all/tables/jobInfo").json()
    assert len({r["id"] for r in rows}) == len(rows)
    per_employee: dict[str, list[dict]] = {}
    for row in rows:
        per_employee.setdefault(row["employeeId"], []).append(row)
    visible = [e for e in co.employees if e.record.visible_index(now) is not None]
    assert set(per_employee) == {str(e.emp_id) for e in visible}
    assert {len(per_employee[str(e.emp_id)]) for e in visible} == {1, 2}
    for emp in visible:
        assert len(per_employee[str(emp.emp_id)]) == 1 + _visible_title_changes(emp, now)
    leaver = next(e for e in visible if e.termination_day and e.termination_day < local_day(now))
    assert clients.hr(f"/employees/{leaver.emp_id}/tables/jobInfo").json() == per_employee[str(leaver.emp_id)]
    garbled = next(e for e in visible if e.record.malformed == "bad_hire_date")
    assert per_employee[str(garbled.emp_id)][0]["date"] == "0000-00-00"
    managers = [r for e in visible if e.is_manager for r in per_employee[str(e.emp_id)]]
    assert managers and all(r["reportsTo"] is None for r in managers)
    assert (
        clients.hr(f"/employees/{max(e.emp_id for e in co.employees) + 1}/tables/jobInfo").status_code == 404
    )
    assert clients.hr("/employees/abc/tables/jobInfo").status_code == 400
