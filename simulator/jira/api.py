"""Jira Cloud REST v3 under ``/ticketing/rest/api/3`` (see PROTOCOLS.md, "Ticketing").

Search walks a merged `Timeline` of the queried projects in ``updated ASC, key ASC`` order; the
``nextPageToken`` is the opaque window position, so a page costs the same at any depth. Timestamps are
rendered in the offset of the user who made the change; SLA cycles in company time.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any

from simulator.clock import COMPANY_TZ_NAME, jira_ts
from simulator.company import jira as gen_jira
from simulator.company.model import KINDS
from simulator.defects import mislabelled_jira_ts
from simulator.http_server import Request, Response, json_response
from simulator.jira.jql import JqlError, parse_jql
from simulator.records import Record
from simulator.timeline import Filter, MergedTimeline, Timeline, decode_token, encode_token

if TYPE_CHECKING:
    from simulator.server import Simulator

PREFIX = "/ticketing/rest/api/3"
MAX_RESULTS = 100
ISSUE_TYPE_IDS = {
    "Story": "10001",
    "Bug": "10002",
    "Implementation": "10003",
    "Service Request": "10004",
    "Incident": "10005",
    "Patrol": "10006",
    "Complaint": "10007",
}
PROJECT_IDS = {"RD": "10000", "IMPL": "10010", "SD": "10020", "SEC": "10030", "CMP": "10040"}
CATEGORY_NAMES = {"new": "To Do", "indeterminate": "In Progress", "done": "Done"}
FIELDS = (
    "summary",
    "issuetype",
    "project",
    "status",
    "priority",
    "assignee",
    "reporter",
    "created",
    "updated",
    "resolutiondate",
    "duedate",
    "resolution",
    "customfield_10016",
    "customfield_10100",
    "customfield_10101",
    "customfield_10102",
    "customfield_10200",
    "customfield_10201",
    "customfield_10300",
    "customfield_10400",
)


def _errors(status: int, message: str, headers: list[tuple[str, str]] | None = None) -> Response:
    return json_response(status, {"errorMessages": [message], "errors": {}}, headers)


class JiraApi:
    """Jira: basic auth with account email and API token."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.co = sim.company
        self.now = sim.now
        cred = sim.credentials["ticketing"]
        self.expected = base64.b64encode(f"{cred['email']}:{cred['api_token']}".encode()).decode()
        self.users = gen_jira.users(self.co)
        self._timelines: dict[str, Timeline] = {}
        self._merged: dict[tuple[str, ...], MergedTimeline] = {}

    def authorized(self, req: Request) -> bool:
        auth = req.headers.get("Authorization") or ""
        try:
            return (
                auth.startswith("Basic ")
                and base64.b64decode(auth[6:]).decode() == base64.b64decode(self.expected).decode()
            )
        except (binascii.Error, UnicodeDecodeError):
            return False

    def unauthorized(self) -> Response:
        return _errors(401, "Client must be authenticated to access this resource.")

    def rate_limited(self, retry_after: int) -> Response:
        return _errors(
            429,
            "Rate limit exceeded.",
            [
                ("Retry-After", str(retry_after)),
                ("X-RateLimit-Limit", "100"),
                ("X-RateLimit-Remaining", "0"),
                ("X-RateLimit-Reset", jira_ts(self.now, 0)),
                ("RateLimit-Reason", "jira-burst-based"),
            ],
        )

    def server_error(self, status: int) -> Response:
        return _errors(status, "Internal server error")

    # ---- routing ----------------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        if not req.path.startswith(PREFIX + "/"):
            return _errors(404, "Not found")
        rest = req.path[len(PREFIX) + 1 :].rstrip("/")
        base = req.origin + "/ticketing"
        if (req.method, rest) == ("GET", "serverInfo"):
            return json_response(
                200,
                {
                    "baseUrl": base,
                    "version": "1001.0.0-SNAPSHOT",
                    "versionNumbers": [1001, 0, 0],
                    "deploymentType": "Cloud",
                    "buildNumber": 100289,
                    "serverTime": jira_ts(self.now - 1, 480),
                    "serverTimeZone": COMPANY_TZ_NAME,
                    "scmInfo": "simulator",
                    "serverTitle": "Jira",
                },
            )
        if (req.method, rest) == ("GET", "myself"):
            return json_response(200, self.user_json(gen_jira.BOT_ACTOR, base, with_active=True))
        if (req.method, rest) == ("GET", "project/search"):
            return self.projects(req, base)
        if (req.method, rest) == ("GET", "users/search"):
            return self.user_search(req, base)
        if rest == "search/jql" and req.method in ("GET", "POST"):
            return self.search(req, base)
        return _errors(404, "Not found")

    def _paging(self, req: Request, cap: int, default: int) -> tuple[int, int] | Response:
        start, size = req.param("startAt", "0") or "0", req.param("maxResults", str(default)) or str(default)
        if not (start.isdigit() and size.isdigit()):
            return _errors(400, "startAt and maxResults must be non-negative integers.")
        return int(start), min(int(size), cap)

    def projects(self, req: Request, base: str) -> Response:
        paging = self._paging(req, 50, 50)
        if isinstance(paging, Response):
            return paging
        start, size = paging
        values = [
            {
                "self": f"{base}/rest/api/3/project/{PROJECT_IDS[k]}",
                "id": PROJECT_IDS[k],
                "key": k,
                "name": name,
                "projectTypeKey": ptype,
                "simplified": False,
                "style": "classic",
            }
            for k, (name, ptype, _) in gen_jira.PROJECTS.items()
        ]
        page = values[start : start + size]
        return json_response(
            200,
            {
                "self": f"{base}/rest/api/3/project/search",
                "maxResults": size,
                "startAt": start,
                "total": len(values),
                "isLast": start + size >= len(values),
                "values": page,
            },
        )

    def user_search(self, req: Request, base: str) -> Response:
        paging = self._paging(req, 1000, 50)
        if isinstance(paging, Response):
            return paging
        start, size = paging
        actors = list(self.users)
        visible = [a for a in actors if self._user_exists(a)]
        return json_response(
            200, [self.user_json(a, base, with_active=True) for a in visible[start : start + size]]
        )

    def _user_exists(self, actor: Any) -> bool:
        u = self.users[actor]
        if u.emp_id is None:
            return True
        return self.co.emp_by_id[u.emp_id].record.created < self.now

    def user_json(self, actor: Any, base: str | None = None, with_active: bool = False) -> dict[str, Any]:
        u = self.users[actor]
        out: dict[str, Any] = {}
        if base:
            out["self"] = f"{base}/rest/api/3/user?accountId={u.account_id}"
        out.update(
            accountId=u.account_id, accountType="atlassian", emailAddress=u.email, displayName=u.display_name
        )
        if with_active:
            out["active"] = u.inactive_from is None or u.inactive_from >= self.now
        out["timeZone"] = u.tz_name
        return out

    # ---- search -----------------------------------------------------------------------------
    def _timeline(self, project: str) -> Timeline:
        tl = self._timelines.get(project)
        if tl is None:
            kind = f"jira.{project}"
            tl = Timeline(
                self.now,
                self.co.start,
                self.co.horizon,
                max_life=KINDS[kind].max_life,
                slice_fn=lambda d, k=kind: self.co.slice(k, d),
                # [defects] wrong_timezone: JQL on `updated` sees the instant the issue renders; else None
                shift=self.sim.defects.jira_shift_fn(project),
            )
            self._timelines[project] = tl
        return tl

    def search(self, req: Request, base: str) -> Response:
        if req.method == "POST":
            try:
                body = req.json() or {}
            except ValueError:
                return _errors(400, "Request body is not valid JSON.")
            jql, token = body.get("jql", ""), body.get("nextPageToken")
            size_raw, fields, expand = body.get("maxResults", 50), body.get("fields"), body.get("expand", "")
            if isinstance(expand, list):
                expand = ",".join(expand)
        else:
            jql, token = req.param("jql", ""), req.param("nextPageToken")
            size_raw = req.param("maxResults", "50")
            fields = ",".join(req.params["fields"]).split(",") if "fields" in req.params else None
            expand = req.param("expand", "") or ""
        try:
            size = int(size_raw)
            if size < 0:
                raise ValueError
        except (TypeError, ValueError):
            return _errors(400, "maxResults must be a non-negative integer.")
        size = min(size or 50, MAX_RESULTS)
        projects = tuple(gen_jira.PROJECTS)
        try:
            q = parse_jql(jql or "", projects)
        except JqlError as exc:
            return _errors(400, str(exc))
        keys = q.projects if q.projects is not None else projects
        merged = self._merged.get(keys)
        if merged is None:
            merged = MergedTimeline([self._timeline(k) for k in keys]) if keys else None
            if merged is not None:
                self._merged[keys] = merged
        if merged is None:
            return json_response(200, {"issues": [], "isLast": True})
        types = q.issuetypes
        pred = None if types is None else (lambda e: e[2].versions[0].changes["issuetype"] in types)
        f = Filter(q.lo, q.hi, pred, "types:" + ",".join(types) if types is not None else "")
        try:
            pos = decode_token(token) if token else merged.start(f)
        except ValueError:
            return _errors(400, "The nextPageToken is invalid.")
        entries, nxt = merged.page(f, pos, size)
        wanted = self._fields(fields)
        changelog = "changelog" in str(expand).split(",")
        issues = [self.issue_json(e[2], e[3], wanted, changelog, base) for e in entries]
        out: dict[str, Any] = {"issues": issues}
        if nxt is not None:
            out["nextPageToken"] = encode_token(nxt)
        out["isLast"] = nxt is None
        return json_response(200, out)

    @staticmethod
    def _fields(fields: list[str] | str | None) -> tuple[str, ...]:
        if fields is None:
            return ()
        if isinstance(fields, str):
            fields = fields.split(",")
        names = {f.strip() for f in fields if f.strip()}
        if names & {"*all", "*navigable"}:
            return tuple(f for f in FIELDS if f"-{f}" not in names)
        return tuple(f for f in FIELDS if f in names)

    # ---- rendering --------------------------------------------------------------------------
    def _ts(self, ts: int | None, actor: Any) -> str | None:
        return None if ts is None else jira_ts(ts, self.users[actor].offset)

    def issue_json(
        self, rec: Record, i: int, wanted: tuple[str, ...], changelog: bool, base: str
    ) -> dict[str, Any]:
        """One issue at version ``i``; depends on that version only."""
        project, number = rec.key
        issue_id = str(gen_jira.PROJECTS[project][2] + number)
        out: dict[str, Any] = {
            "expand": "renderedFields,names,schema,operations,editmeta,changelog",
            "id": issue_id,
            "self": f"{base}/rest/api/3/issue/{issue_id}",
            "key": f"{project}-{number}",
        }
        if wanted:
            all_fields = self._all_fields(rec, i)
            out["fields"] = {f: all_fields[f] for f in wanted}
        if changelog:
            out["changelog"] = self._changelog(rec, i, int(issue_id))
        return out

    def _all_fields(self, rec: Record, i: int) -> dict[str, Any]:
        s = rec.state(i)
        v = rec.versions[i]
        project = rec.key[0]
        name, ptype, _ = gen_jira.PROJECTS[project]
        category = gen_jira.STATUS_CATEGORY[s["status"]]
        created = self._ts(s["created"], s["reporter"])
        updated = self._ts(v.ts, v.actor)
        resolved = self._ts(s.get("resolutiondate"), s.get("resolver"))
        if self.sim.defects.jira_shift(rec):  # [defects] wrong_timezone: +0800 wall clock labelled +0000
            created, updated = mislabelled_jira_ts(s["created"]), mislabelled_jira_ts(v.ts)
            resolved = None if resolved is None else mislabelled_jira_ts(s["resolutiondate"])
        if rec.malformed == "bad_timestamp":
            created = (created or "")[:8] + "32T25:61:00.000+0800"
        points = s.get("story_points")
        sla = s.get("sla")
        return {
            "summary": s["summary"],
            "issuetype": {"id": ISSUE_TYPE_IDS[s["issuetype"]], "name": s["issuetype"], "subtask": False},
            "project": {"id": PROJECT_IDS[project], "key": project, "name": name, "projectTypeKey": ptype},
            "status": {
                "name": s["status"],
                "statusCategory": {"key": category, "name": CATEGORY_NAMES[category]},
            },
            "priority": {"name": s["priority"]},
            "assignee": None if s.get("assignee") is None else self.user_json(s["assignee"]),
            "reporter": self.user_json(s["reporter"]),
            "created": created,
            "updated": updated,
            "resolutiondate": resolved,
            "duedate": s.get("duedate"),
            "resolution": None if s.get("resolution") is None else {"name": s["resolution"]},
            "customfield_10016": "?" if rec.malformed == "bad_story_points" else points,
            "customfield_10100": s.get("golive"),
            "customfield_10101": s.get("customer"),
            "customfield_10102": s.get("related"),
            "customfield_10200": None
            if sla is None
            else _sla("1", "Time to first response", sla["start"], sla["frt_goal"], sla["frt_stop"], v.ts),
            "customfield_10201": None
            if sla is None
            else _sla("2", "Time to resolution", sla["start"], sla["ttr_goal"], sla["ttr_stop"], v.ts),
            "customfield_10300": None if s.get("satisfaction") is None else {"rating": s["satisfaction"]},
            "customfield_10400": s.get("req_dept"),
        }

    def _changelog(self, rec: Record, i: int, issue_id: int) -> dict[str, Any]:
        histories = []
        mislabelled = bool(self.sim.defects.jira_shift(rec))  # [defects] wrong_timezone
        prev = rec.versions[0].changes
        state = dict(prev)
        for k in range(1, i + 1):
            v = rec.versions[k]
            items = []
            for field, label in (
                ("status", "status"),
                ("resolution", "resolution"),
                ("satisfaction", "Satisfaction"),
            ):
                if field in v.changes and v.changes[field] != state.get(field):
                    old, new = state.get(field), v.changes[field]
                    items.append(
                        {
                            "field": label,
                            "fieldtype": "jira" if label != "Satisfaction" else "custom",
                            "from": None,
                            "fromString": None if old is None else str(old),
                            "to": None,
                            "toString": None if new is None else str(new),
                        }
                    )
            state.update(v.changes)
            if items:
                histories.append(
                    {
                        "id": str(issue_id * 100 + k),
                        "author": self.user_json(v.actor),
                        "created": mislabelled_jira_ts(v.ts) if mislabelled else self._ts(v.ts, v.actor),
                        "items": items,
                    }
                )
        histories.reverse()  # Jira lists the most recent change first
        return {"startAt": 0, "maxResults": len(histories), "total": len(histories), "histories": histories}


def _sla(sla_id: str, name: str, start: int, goal: int, stop: int | None, at_ts: int) -> dict[str, Any]:
    """An SLA field; an ongoing cycle is measured at the issue's own ``updated`` instant, not at `now`."""
    goal_ms = goal * 1000
    out: dict[str, Any] = {"id": sla_id, "name": name, "completedCycles": []}
    if stop is not None:
        elapsed = (stop - start) * 1000
        out["completedCycles"].append(
            {
                "startTime": {"iso8601": jira_ts(start, 480), "epochMillis": start * 1000},
                "stopTime": {"iso8601": jira_ts(stop, 480), "epochMillis": stop * 1000},
                "breached": elapsed > goal_ms,
                "goalDuration": {"millis": goal_ms},
                "elapsedTime": {"millis": elapsed},
                "remainingTime": {"millis": goal_ms - elapsed},
            }
        )
    else:
        elapsed = (at_ts - start) * 1000
        out["ongoingCycle"] = {
            "startTime": {"iso8601": jira_ts(start, 480), "epochMillis": start * 1000},
            "breachTime": {"iso8601": jira_ts(start + goal, 480), "epochMillis": (start + goal) * 1000},
            "breached": elapsed > goal_ms,
            "paused": False,
            "withinCalendarHours": True,
            "goalDuration": {"millis": goal_ms},
            "elapsedTime": {"millis": elapsed},
            "remainingTime": {"millis": goal_ms - elapsed},
        }
    return out
