"""Each paging style returns every record exactly once, as many as the source itself counts."""

from __future__ import annotations

from connectors.sources import SOURCES
from tests.conftest import query


def _client(simulator, source):
    return SOURCES[source].connect(simulator.settings(source))


def _distinct_keys(baseline, table):
    return query(baseline.path, f"select count(distinct _key) from raw.{table}")[0][0]


def test_offset_paging_reads_every_jira_project_once(baseline, simulator):
    total = _client(simulator, "ticketing").get("rest/api/3/project/search", params={"maxResults": 1})[
        "total"
    ]
    result = baseline.results[("ticketing", "projects")]
    assert result.rows_fetched == total == _distinct_keys(baseline, "ticketing__projects")


def test_offset_paging_over_a_bare_array_stops_at_the_short_page(baseline, simulator):
    result = baseline.results[("ticketing", "users")]
    assert result.pages >= 2
    assert result.rows_fetched == _distinct_keys(baseline, "ticketing__users") + result.rows_rejected


def test_page_number_paging_reads_every_application_once(baseline):
    result = baseline.results[("hr", "applications")]
    assert result.pages >= 2, "more than one page of applications at scale s"
    assert result.rows_loaded == _distinct_keys(baseline, "hr__applications")


def test_next_link_paging_matches_the_odata_count(baseline, simulator):
    client = _client(simulator, "erp")
    for stream, entity_set in [("gl_entries", "GLEntries"), ("sales_invoices", "SalesInvoices")]:
        count = client.get(entity_set, params={"$count": "true", "$top": 0})["@odata.count"]
        result = baseline.results[("erp", stream)]
        assert result.rows_fetched == count
        assert result.rows_loaded == _distinct_keys(baseline, f"erp__{stream}")
    assert baseline.results[("erp", "gl_entries")].pages > 1


def test_cursor_token_paging_matches_hubspot_search_total(baseline, simulator):
    client = _client(simulator, "crm")
    body = {"filterGroups": [], "limit": 1}
    total = client.post("crm/v3/objects/deals/search", json_body=body, idempotent=True)["total"]
    archived = 0
    after = None
    while True:
        params = {"archived": "true", "limit": 100, **({"after": after} if after else {})}
        page = client.get("crm/v3/objects/deals", params=params)
        archived += len(page["results"])
        after = page.get("paging", {}).get("next", {}).get("after")
        if not after:
            break
    result = baseline.results[("crm", "deals")]
    assert result.rows_fetched == total + archived
    assert result.pages > 2


def test_jira_token_paging_reads_every_issue_once(baseline):
    for stream in ("rd_issues", "service_requests"):
        result = baseline.results[("ticketing", stream)]
        assert result.pages > 1
        assert result.rows_loaded == _distinct_keys(baseline, f"ticketing__{stream}")
