"""Every endpoint in PROTOCOLS.md answers with its documented envelope; wrong credentials get 401."""

from __future__ import annotations

import requests

from simulator import SimulatorHandle

REVIEW_FIELDS = [
    "id",
    "customReviewCycle",
    "customReviewerRole",
    "customReviewScore",
    "customReviewerCount",
    "customReviewDate",
]


def test_hr_endpoints_answer_with_bamboohr_shapes(clients):
    directory = clients.hr("/employees/directory").json()
    assert {f["id"] for f in directory["fields"]} >= {"displayName", "department", "workEmail"}
    first = directory["employees"][0]
    assert set(first) == {
        "id",
        "displayName",
        "firstName",
        "lastName",
        "jobTitle",
        "workEmail",
        "department",
        "division",
        "location",
        "supervisor",
    }
    changed = clients.hr(
        "/employees/changed/", params={"since": "2026-01-01T00:00:00+00:00", "type": "updated"}
    ).json()
    assert set(changed) == {"latest", "employees"}
    some = next(iter(changed["employees"].values()))
    assert some["action"] in ("Inserted", "Updated") and some["lastChanged"].endswith("+00:00")
    emp = clients.hr(
        f"/employees/{first['id']}",
        params={
            "fields": "firstName,hireDate,terminationDate,status,"
            "payRate,payPer,supervisorEId,lastChanged,nope"
        },
    ).json()
    assert emp["id"] == first["id"] and emp["status"] == "Active" and emp["nope"] is None
    assert (
        emp["payRate"].endswith(" CNY")
        and emp["payPer"] == "Month"
        and emp["terminationDate"] == "0000-00-00"
    )
    history = clients.hr("/employees/all/tables/jobInfo").json()
    assert history and set(history[0]) == {
        "id",
        "employeeId",
        "date",
        "location",
        "department",
        "division",
        "jobTitle",
        "reportsTo",
    }
    mine = clients.hr(f"/employees/{first['id']}/tables/jobInfo").json()
    assert mine and all(r["employeeId"] == first["id"] for r in mine)
    requests_ = clients.hr("/time_off/requests/", params={"start": "2026-09-01", "end": "2026-09-30"}).json()
    assert requests_ and set(requests_[0]) == {
        "id",
        "employeeId",
        "status",
        "name",
        "start",
        "end",
        "created",
        "type",
        "amount",
    }
    approved = clients.hr(
        "/time_off/requests/", params={"start": "2026-09-01", "end": "2026-09-30", "status": "approved"}
    ).json()
    assert approved and all(r["status"]["status"] == "approved" for r in approved)
    types = clients.hr("/training/type").json()
    assert any(t["required"] for t in types.values())
    records = clients.hr(f"/training/record/employee/{first['id']}").json()
    rec = next(iter(records.values()))
    assert set(rec) >= {"id", "employeeId", "completed", "cost", "type", "hours"}
    jobs = clients.hr("/applicant_tracking/jobs").json()
    assert jobs and {j["status"]["label"] for j in jobs} <= {"Open", "Filled", "Canceled", "On Hold"}
    apps = clients.hr("/applicant_tracking/applications", params={"page": 1}).json()
    assert (
        set(apps) == {"paginationComplete", "nextPageUrl", "applications"}
        and len(apps["applications"]) == 100
    )
    report = clients.hr(
        "/reports/custom?format=JSON&onlyCurrent=false",
        method="POST",
        json={"title": "360", "fields": REVIEW_FIELDS},
    ).json()
    row = report["employees"][0]
    assert list(row) == REVIEW_FIELDS and 1 <= float(row["customReviewScore"]) <= 5
    assert row["customReviewerRole"] in ("self", "peer", "manager")


def test_erp_endpoints_answer_with_odata_shapes(clients):
    service = clients.erp("/").json()
    names = {v["name"] for v in service["value"]}
    assert names == {
        "CostCenters",
        "GLEntries",
        "Budgets",
        "SalesInvoices",
        "PurchaseInvoices",
        "JournalCorrections",
        "ExchangeRates",
        "PeriodCloses",
    }
    for name in names:
        r = clients.erp(f"/{name}", headers={"Prefer": "odata.maxpagesize=5"}, params={"$count": "true"})
        body = r.json()
        assert r.status_code == 200 and r.headers["Preference-Applied"] == "odata.maxpagesize=5"
        assert body["@odata.context"].endswith(f"$metadata#{name}")
        assert len(body["value"]) == 5 and body["@odata.count"] >= 5
        assert body["value"][0]["LastModifiedDateTime"].endswith("Z")
        assert "$skiptoken=" in body["@odata.nextLink"]


def test_jira_endpoints_answer_with_jira_shapes(clients):
    assert clients.jira("/serverInfo").json()["deploymentType"] == "Cloud"
    assert clients.jira("/myself").json()["timeZone"] == "Asia/Shanghai"
    projects = clients.jira("/project/search").json()
    assert {p["key"] for p in projects["values"]} == {"RD", "IMPL", "SD", "SEC", "CMP"} and projects["isLast"]
    users = clients.jira("/users/search", params={"startAt": 0, "maxResults": 1000}).json()
    assert isinstance(users, list) and users[0]["accountType"] == "atlassian"
    assert clients.jira("/users/search", params={"startAt": 100000}).json() == []
    for project in ("RD", "IMPL", "SD", "SEC", "CMP"):
        body = clients.jira(
            "/search/jql",
            params={"jql": f"project = {project}", "fields": "*all", "expand": "changelog", "maxResults": 3},
        ).json()
        issue = body["issues"][0]
        assert issue["key"].startswith(project + "-") and "histories" in issue["changelog"]
        assert issue["fields"]["project"]["key"] == project and body["isLast"] is False
    only_ids = clients.jira("/search/jql", params={"jql": "project = RD", "maxResults": 2}).json()
    assert "fields" not in only_ids["issues"][0]
    posted = clients.jira(
        "/search/jql",
        method="POST",
        json={"jql": "project = SD", "maxResults": 2, "fields": ["customfield_10200", "customfield_10400"]},
    )
    assert set(posted.json()["issues"][0]["fields"]) == {"customfield_10200", "customfield_10400"}


def test_crm_endpoints_answer_with_hubspot_shapes(clients):
    owners = clients.crm("/crm/v3/owners", params={"limit": 5}).json()
    assert len(owners["results"]) == 5 and "after" in owners["paging"]["next"]
    assert {"id", "email", "userId", "teams", "archived"} <= set(owners["results"][0])
    for obj in ("deals", "goal_targets", "feedback_submissions"):
        page = clients.crm(f"/crm/v3/objects/{obj}", params={"limit": 3}).json()
        item = page["results"][0]
        assert set(item) >= {"id", "properties", "createdAt", "updatedAt", "archived"}
        assert page["paging"]["next"]["after"]
        found = clients.crm(f"/crm/v3/objects/{obj}/search", method="POST", json={"limit": 3}).json()
        assert found["total"] > 3 and len(found["results"]) == 3 and found["paging"]["next"]["after"] == "3"
    deal = clients.crm(
        "/crm/v3/objects/deals",
        params={
            "limit": 1,
            "properties": "dealname,amount,deal_currency_code,dealstage,hubspot_owner_id,hs_is_closed_won",
        },
    ).json()["results"][0]["properties"]
    assert deal["deal_currency_code"] in ("CNY", "USD") and deal["hs_is_closed_won"] in ("true", "false")


def test_wrong_credentials_get_401_without_echoing_them(sim: SimulatorHandle):
    ep = sim.endpoints
    wrong = "wrong-secret-123456"
    cases = [
        requests.get(ep["hr"]["base_url"] + "/employees/directory", auth=(wrong, "x")),
        requests.get(ep["erp"]["base_url"] + "/GLEntries", headers={"Authorization": f"Bearer {wrong}"}),
        requests.get(
            ep["ticketing"]["base_url"] + "/rest/api/3/myself", auth=(ep["ticketing"]["email"], wrong)
        ),
        requests.get(ep["crm"]["base_url"] + "/crm/v3/owners", headers={"Authorization": f"Bearer {wrong}"}),
    ]
    for r in cases:
        assert r.status_code == 401
        assert wrong not in r.text and wrong not in str(r.headers)
    assert cases[0].content == b"" and "X-BambooHR-Error-Message" in cases[0].headers
    assert set(cases[1].json()["error"]) == {"code", "message"}
    assert cases[2].json()["errorMessages"]
    assert cases[3].json()["category"] == "INVALID_AUTHENTICATION"


def test_credentials_are_distinct_per_source_and_derived_from_the_seed(sim: SimulatorHandle):
    ep = sim.endpoints
    secrets = [
        ep["hr"]["api_key"],
        ep["erp"]["token"],
        ep["ticketing"]["api_token"],
        ep["crm"]["access_token"],
    ]
    assert len(set(secrets)) == 4
    from simulator import demo_credentials

    assert demo_credentials(42)["erp"]["token"] == ep["erp"]["token"] != demo_credentials(7)["erp"]["token"]
