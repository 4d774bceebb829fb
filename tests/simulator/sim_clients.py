"""Plain `requests` clients for a running simulator, one walk per paging style (shared by the tests)."""

from __future__ import annotations

import json
from typing import Any

import requests

from simulator import SimulatorHandle


class Clients:
    """Plain `requests` clients for the four sources of one running simulator."""

    def __init__(self, handle: SimulatorHandle) -> None:
        self.handle = handle
        self.ep = handle.endpoints
        self.http = requests.Session()
        self.hr_auth = (self.ep["hr"]["api_key"], "x")
        self.erp_headers = {"Authorization": f"Bearer {self.ep['erp']['token']}"}
        self.jira_auth = (self.ep["ticketing"]["email"], self.ep["ticketing"]["api_token"])
        self.crm_headers = {"Authorization": f"Bearer {self.ep['crm']['access_token']}"}

    # ---- single requests ---------------------------------------------------------------------
    def hr(self, path: str, method: str = "GET", **kw: Any) -> requests.Response:
        return self.http.request(
            method,
            self.ep["hr"]["base_url"] + path,
            auth=self.hr_auth,
            headers={"Accept": "application/json"},
            **kw,
        )

    def erp(self, path: str, headers: dict[str, str] | None = None, **kw: Any) -> requests.Response:
        url = path if path.startswith("http") else self.ep["erp"]["base_url"] + path
        return self.http.get(url, headers={**self.erp_headers, **(headers or {})}, **kw)

    def jira(self, path: str, method: str = "GET", **kw: Any) -> requests.Response:
        return self.http.request(
            method, self.ep["ticketing"]["base_url"] + "/rest/api/3" + path, auth=self.jira_auth, **kw
        )

    def crm(self, path: str, method: str = "GET", **kw: Any) -> requests.Response:
        return self.http.request(method, self.ep["crm"]["base_url"] + path, headers=self.crm_headers, **kw)

    # ---- walks, one per paging style ---------------------------------------------------------
    def walk_odata(self, entity_set: str, query: str = "", page_size: int | None = None) -> list[dict]:
        headers = {"Prefer": f"odata.maxpagesize={page_size}"} if page_size else {}
        url: str | None = f"/{entity_set}" + (f"?{query}" if query else "")
        rows: list[dict] = []
        while url:
            r = self.erp(url, headers=headers)
            assert r.status_code == 200, r.text
            body = r.json()
            rows.extend(body["value"])
            url = body.get("@odata.nextLink")
        return rows

    def walk_jira(self, jql: str, fields: str = "*all", expand: str = "", size: int = 100) -> list[dict]:
        issues: list[dict] = []
        token = None
        while True:
            params = {"jql": jql, "fields": fields, "maxResults": size, "expand": expand}
            if token:
                params["nextPageToken"] = token
            r = self.jira("/search/jql", params=params)
            assert r.status_code == 200, r.text
            body = r.json()
            issues.extend(body["issues"])
            token = body.get("nextPageToken")
            assert body["isLast"] == (token is None)
            if token is None:
                return issues

    def walk_crm_list(self, obj: str, archived: bool = False, properties: str = "") -> list[dict]:
        results: list[dict] = []
        after = None
        while True:
            params: dict[str, Any] = {"limit": 100, "archived": str(archived).lower()}
            if properties:
                params["properties"] = properties
            if after:
                params["after"] = after
            r = self.crm(f"/crm/v3/objects/{obj}", params=params)
            assert r.status_code == 200, r.text
            body = r.json()
            results.extend(body["results"])
            after = body.get("paging", {}).get("next", {}).get("after")
            if after is None:
                return results

    def walk_crm_search(self, obj: str, filter_groups: list | None = None) -> tuple[list[dict], int]:
        results: list[dict] = []
        after = "0"
        total = -1
        while True:
            body = {
                "filterGroups": filter_groups or [],
                "limit": 100,
                "after": after,
                "sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}],
            }
            r = self.crm(f"/crm/v3/objects/{obj}/search", method="POST", json=body)
            assert r.status_code == 200, r.text
            page = r.json()
            total = page["total"]
            results.extend(page["results"])
            nxt = page.get("paging", {}).get("next", {}).get("after")
            if nxt is None:
                return results, total
            after = nxt

    def walk_applications(self) -> list[dict]:
        apps: list[dict] = []
        url: str | None = self.ep["hr"]["base_url"] + "/applicant_tracking/applications?page=1"
        while url:
            r = self.http.get(url, auth=self.hr_auth, headers={"Accept": "application/json"})
            assert r.status_code == 200
            body = r.json()
            apps.extend(body["applications"])
            url = body["nextPageUrl"]
            assert body["paginationComplete"] == (url is None)
        return apps


def canonical(record: Any) -> str:
    """A record re-encoded the way the simulator encodes it (key order preserved)."""
    return json.dumps(record, separators=(",", ":"), ensure_ascii=False)
