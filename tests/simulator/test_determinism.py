"""Same seed/scale/as-of gives byte-identical bodies; advancing the as-of changes only real changes."""

from __future__ import annotations

import json
from datetime import date

from sim_clients import Clients, canonical

from simulator import start_simulator

JQL_ALL = "ORDER BY updated ASC, key ASC"


def _sample_bodies(c: Clients) -> list[bytes]:
    """Raw bodies of a spread of requests over the four sources, following a few page tokens."""
    out = [
        c.hr("/employees/directory").content,
        c.hr("/employees/changed", params={"since": "2025-01-01T00:00:00Z"}).content,
        c.hr("/time_off/requests/", params={"start": "2026-01-01", "end": "2026-03-31"}).content,
        c.hr("/applicant_tracking/applications", params={"page": 2}).content,
        c.hr("/employees/all/tables/jobInfo").content,
        c.hr("/reports/custom?format=JSON", method="POST", json={"fields": ["customReviewScore"]}).content,
        c.erp("/$metadata").content,
    ]
    url = "/GLEntries?$count=true"
    for _ in range(3):
        r = c.erp(url)
        out.append(r.content)
        url = r.json()["@odata.nextLink"]
    out.append(c.erp("/PurchaseInvoices?$orderby=Amount desc&$top=50").content)
    token = None
    for _ in range(3):
        params = {"jql": JQL_ALL, "fields": "*all", "expand": "changelog", "maxResults": 100}
        if token:
            params["nextPageToken"] = token
        r = c.jira("/search/jql", params=params)
        out.append(r.content)
        token = r.json()["nextPageToken"]
    out.append(c.crm("/crm/v3/objects/deals", params={"limit": 100, "after": ""}).content)
    out.append(
        c.crm(
            "/crm/v3/objects/feedback_submissions/search", method="POST", json={"limit": 100, "after": "200"}
        ).content
    )
    out.append(c.crm("/crm/v3/owners", params={"archived": "true"}).content)
    return out


def test_same_seed_and_as_of_give_byte_identical_bodies_across_instances():
    with start_simulator(port=0) as first:
        port = first.port
        bodies_a = _sample_bodies(Clients(first))
    with start_simulator(port=port) as second:
        bodies_b = _sample_bodies(Clients(second))
    assert len(bodies_a) == len(bodies_b)
    for a, b in zip(bodies_a, bodies_b, strict=True):
        assert a == b


def test_another_seed_gives_another_company():
    with start_simulator(port=0, seed=7) as other:
        names = {e["displayName"] for e in Clients(other).hr("/employees/directory").json()["employees"]}
    with start_simulator(port=0) as default:
        names42 = {e["displayName"] for e in Clients(default).hr("/employees/directory").json()["employees"]}
    assert names != names42


def _records(c: Clients) -> dict[str, str]:
    """Every versioned record of several streams, keyed by stream and key, origin stripped."""
    origin = c.handle.url
    out: dict[str, str] = {}
    for issue in c.walk_jira(JQL_ALL):
        out["jira:" + issue["key"]] = canonical(issue).replace(origin, "")
    for deal in c.walk_crm_list("deals", properties="dealname,amount,dealstage,closedate,hubspot_owner_id"):
        out["deal:" + deal["id"]] = canonical(deal)
    for name, key in (
        ("PurchaseInvoices", "InvoiceID"),
        ("SalesInvoices", "InvoiceID"),
        ("Budgets", "BudgetID"),
    ):
        for row in c.walk_odata(name, page_size=5000):
            # a malformed purchase invoice has no id: key it by what else identifies it
            ident = row[key] or f"no-id-{row['VendorID']}-{row['ReceivedDate']}-{row['Amount']}"
            out[f"{name}:{ident}"] = canonical(row)
    return out


def test_advancing_the_as_of_one_day_changes_a_small_fraction_and_the_rest_is_byte_identical(clients):
    with start_simulator(port=0, as_of=date(2026, 10, 30)) as earlier:
        before = _records(Clients(earlier))
    after = _records(clients)
    common = before.keys() & after.keys()
    changed = [k for k in common if before[k] != after[k]]
    fraction = len(changed) / len(common)
    assert 0.001 <= fraction <= 0.05, fraction
    new = after.keys() - before.keys()
    assert new, "records created on the new as-of day appear"
    for k in changed:
        if k.startswith("jira:"):
            assert json.loads(after[k])["fields"]["updated"][:10] >= "2026-10-30"
    # deletions (draft purchase invoices, budgets) are the only way a record disappears
    assert all(k.split(":")[0] in ("PurchaseInvoices", "Budgets") for k in before.keys() - after.keys())
