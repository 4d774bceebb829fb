"""Paging through each style returns every record exactly once; counts agree with the model."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from simulator import SimulatorHandle
from simulator.clock import local_day


def _visible(sim: SimulatorHandle, kind: str) -> int:
    co, now = sim.simulator.company, sim.simulator.now
    return sum(r.visible_index(now) is not None for r in co.records(kind, last_day=local_day(now - 1)))


def test_odata_skiptoken_walk_returns_every_gl_entry_once(clients, sim):
    rows = clients.walk_odata("GLEntries", page_size=5000)
    ids = [r["EntryID"] for r in rows]
    assert (
        len(ids)
        == len(set(ids))
        == clients.erp("/GLEntries", params={"$count": "true", "$top": "0"}).json()["@odata.count"]
        == _visible(sim, "erp.gl_entries")
    )
    stamps = [(r["LastModifiedDateTime"], r["EntryID"]) for r in rows]
    assert stamps == sorted(stamps)


def test_odata_client_driven_top_skip_matches_server_paging(clients):
    server = [r["InvoiceID"] for r in clients.walk_odata("PurchaseInvoices", page_size=97)]
    client: list = []
    while True:
        page = clients.erp("/PurchaseInvoices", params={"$top": "250", "$skip": str(len(client))}).json()[
            "value"
        ]
        client.extend(r["InvoiceID"] for r in page)
        if len(page) < 250:
            break
    assert client == server and len(server) > 500


def test_odata_filter_window_and_select(clients):
    lo, hi = "2026-06-01T00:00:00Z", "2026-06-08T00:00:00%2B08:00"
    rows = clients.walk_odata(
        "GLEntries",
        f"$filter=LastModifiedDateTime ge {lo} and LastModifiedDateTime lt {hi}"
        "&$select=EntryID,LastModifiedDateTime",
        page_size=300,
    )
    assert rows and all(set(r) == {"EntryID", "LastModifiedDateTime"} for r in rows)
    assert all("2026-06-01T00:00:00Z" <= r["LastModifiedDateTime"] < "2026-06-07T16:00:00Z" for r in rows)
    one = clients.erp("/GLEntries", params={"$filter": f"EntryID eq '{rows[3]['EntryID']}'"}).json()["value"]
    assert [r["EntryID"] for r in one] == [rows[3]["EntryID"]]


def test_odata_other_orderby_and_top_follow_next_links(clients):
    rows = clients.walk_odata("SalesInvoices", "$orderby=Amount desc,InvoiceID&$top=120", page_size=50)
    amounts = [r["Amount"] for r in rows]
    assert len(rows) == 120 and amounts == sorted(amounts, reverse=True)


def test_jira_token_walk_returns_every_issue_once(clients, sim):
    issues = clients.walk_jira("ORDER BY updated ASC, key ASC", fields="updated")
    keys = [i["key"] for i in issues]
    assert len(keys) == len(set(keys))
    per_project = Counter(k.split("-")[0] for k in keys)
    for project, n in per_project.items():
        assert n == _visible(sim, f"jira.{project}")
    sd_bugs = clients.walk_jira("project in (RD, SD) AND issuetype = Bug", fields="issuetype")
    assert sd_bugs and {i["fields"]["issuetype"]["name"] for i in sd_bugs} == {"Bug"}


def test_hubspot_list_and_search_return_every_object_once(clients, sim):
    listed = clients.walk_crm_list("deals")
    archived = clients.walk_crm_list("deals", archived=True)
    ids = [d["id"] for d in listed]
    assert len(ids) == len(set(ids)) and [int(i) for i in ids] == sorted(int(i) for i in ids)
    assert archived and all(d["archived"] and "archivedAt" in d for d in archived)
    assert len(listed) + len(archived) == _visible(sim, "crm.deals")
    found, total = clients.walk_crm_search("deals")
    assert total == len(found) == len(listed)
    assert {d["id"] for d in found} == set(ids)
    stamps = [d["properties"]["hs_lastmodifieddate"] for d in found]
    assert stamps == sorted(stamps)
    cut = int(datetime(2026, 9, 1, tzinfo=UTC).timestamp() * 1000)
    since = {"filters": [{"propertyName": "hs_lastmodifieddate", "operator": "GTE", "value": str(cut)}]}
    recent, recent_total = clients.walk_crm_search("deals", [since])
    assert 0 < recent_total == len(recent) < total
    assert all(d["properties"]["hs_lastmodifieddate"] >= "2026-09-01T00:00:00.000Z" for d in recent)


def test_bamboohr_application_pages_return_every_application_once(clients):
    apps = clients.walk_applications()
    ids = [a["id"] for a in apps]
    assert len(ids) == len(set(ids)) > 200


def test_hubspot_search_cap_answers_400_beyond_the_cap(fresh_sim):
    from sim_clients import Clients

    from simulator.hubspot.api import SEARCH_RESULT_CAP

    assert SEARCH_RESULT_CAP == 10_000
    fresh_sim.simulator.crm.search_cap = 50  # the real cap needs > 10k results; the rule is the same
    c = Clients(fresh_sim)
    ok = c.crm("/crm/v3/objects/deals/search", method="POST", json={"limit": 10, "after": "40"})
    assert ok.status_code == 200 and ok.json()["paging"]["next"]["after"] == "50"
    capped = c.crm("/crm/v3/objects/deals/search", method="POST", json={"limit": 10, "after": "50"})
    assert capped.status_code == 400 and capped.json()["category"] == "VALIDATION_ERROR"
