"""BambooHR-style REST under ``/hr/api/gateway.php/{company}/v1`` (see PROTOCOLS.md, "HR").

BambooHR has no paging for most endpoints and no modified filter except ``/employees/changed``, so
these handlers read the in-memory people model or scan the bounded creation days that can matter
(time off overlapping a date range).
"""

from __future__ import annotations

import base64
import binascii
import bisect
from datetime import date
from typing import TYPE_CHECKING, Any

from simulator.clock import iso_utc, local_day, parse_iso, ymd
from simulator.company import hr as gen_hr
from simulator.http_server import Request, Response, json_response
from simulator.records import Record

if TYPE_CHECKING:
    from simulator.server import Simulator

COMPANY_DOMAIN = "acme"
APPLICATIONS_PAGE_SIZE = 100
APPLICATION_STATUS_IDS = {"New": 1, "Reviewed": 2, "Interviewed": 3, "Offered": 4, "Hired": 5, "Rejected": 6}
JOB_STATUS_IDS = {"Open": 1, "Filled": 2, "Canceled": 3, "On Hold": 4}
EMPLOYEE_FIELDS = (
    "employeeNumber",
    "firstName",
    "lastName",
    "displayName",
    "workEmail",
    "department",
    "division",
    "jobTitle",
    "location",
    "hireDate",
    "terminationDate",
    "terminationType",
    "status",
    "supervisorEId",
    "payRate",
    "payPer",
    "lastChanged",
)
DIRECTORY_FIELDS = (
    ("displayName", "text", "Display name"),
    ("firstName", "text", "First name"),
    ("lastName", "text", "Last name"),
    ("jobTitle", "list", "Job title"),
    ("workEmail", "email", "Work Email"),
    ("department", "list", "Department"),
    ("division", "list", "Division"),
    ("location", "list", "Location"),
    ("supervisor", "text", "Supervisor"),
)
REPORT_FIELD_NAMES = {
    "customReviewCycle": "Review Cycle",
    "customReviewerRole": "Reviewer Role",
    "customReviewScore": "Review Score",
    "customReviewerCount": "Reviewer Count",
    "customReviewDate": "Review Date",
}


def _error(status: int, message: str) -> Response:
    return Response(status, b"", [("X-BambooHR-Error-Message", message)])


class HrApi:
    """BambooHR: basic auth with the API key as user name."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.co = sim.company
        self.now = sim.now
        self.api_key = sim.credentials["hr"]["api_key"]
        self.prefix = f"/hr/api/gateway.php/{COMPANY_DOMAIN}/v1"
        self._app_counts: list[int] | None = None
        # [defects] planted employees (duplicated_keys) follow the real ones wherever an employee is
        # listed or fetched; without defects these are the company's own list and index
        self.employees = self.co.employees + sim.defects.extra_employees()
        self.emp_by_id = {e.emp_id: e for e in self.employees}

    # ---- protocol plumbing ------------------------------------------------------------------
    def authorized(self, req: Request) -> bool:
        auth = req.headers.get("Authorization") or ""
        if not auth.startswith("Basic "):
            return False
        try:
            user = base64.b64decode(auth[6:]).decode().split(":", 1)[0]
        except (binascii.Error, UnicodeDecodeError):
            return False
        return user == self.api_key

    def unauthorized(self) -> Response:
        return _error(401, "Invalid API key or the key is not authorized for this company")

    def rate_limited(self, retry_after: int) -> Response:
        return Response(
            429, b"", [("Retry-After", str(retry_after)), ("X-BambooHR-Error-Message", "Rate limit exceeded")]
        )

    def server_error(self, status: int) -> Response:
        return _error(status, "Service temporarily unavailable")

    def handle(self, req: Request) -> Response:
        if not req.path.startswith(self.prefix + "/"):
            return _error(404, "Unknown company or path")
        parts = req.path[len(self.prefix) + 1 :].rstrip("/").split("/")
        route = (req.method, *parts)
        if route == ("GET", "employees", "directory"):
            return self.directory()
        if route == ("GET", "employees", "changed"):
            return self.changed(req)
        if len(parts) == 2 and route[:2] == ("GET", "employees"):
            return self.employee(parts[1], req)
        if len(parts) == 4 and route[:2] == ("GET", "employees") and parts[2:] == ["tables", "jobInfo"]:
            return self.job_info(parts[1])
        if route == ("GET", "time_off", "requests"):
            return self.time_off(req)
        if route == ("GET", "training", "type"):
            return self.training_types()
        if len(parts) == 4 and route[:4] == ("GET", "training", "record", "employee"):
            return self.training_records(parts[3])
        if route == ("GET", "applicant_tracking", "jobs"):
            return self.jobs()
        if route == ("GET", "applicant_tracking", "applications"):
            return self.applications(req)
        if route == ("POST", "reports", "custom"):
            return self.custom_report(req)
        return _error(404, "Unknown endpoint")

    # ---- employees --------------------------------------------------------------------------
    def _visible_employee(self, emp_id: int) -> tuple[Any, dict[str, Any], int] | None:
        emp = self.emp_by_id.get(emp_id)
        if emp is None:
            return None
        i = emp.record.visible_index(self.now)
        if i is None:
            return None
        state = emp.record.state(i)
        if emp.record.malformed == "bad_hire_date":
            state["hireDate"] = "0000-00-00"
        state["lastChanged"] = iso_utc(emp.record.versions[i].ts)
        return emp, state, i

    def directory(self) -> Response:
        rows = []
        for emp in self.employees:
            seen = self._visible_employee(emp.emp_id)
            if seen is None or seen[1]["status"] != "Active":
                continue
            state = seen[1]
            sup = self.co.emp_by_id.get(emp.supervisor_id) if emp.supervisor_id else None
            rows.append(
                {
                    "id": str(emp.emp_id),
                    "displayName": state["displayName"],
                    "firstName": state["firstName"],
                    "lastName": state["lastName"],
                    "jobTitle": state["jobTitle"],
                    "workEmail": state["workEmail"],
                    "department": state["department"],
                    "division": state["division"],
                    "location": state["location"],
                    "supervisor": sup.display_name if sup else None,
                }
            )
        fields = [{"id": f, "type": t, "name": n} for f, t, n in DIRECTORY_FIELDS]
        return json_response(200, {"fields": fields, "employees": rows})

    def changed(self, req: Request) -> Response:
        since_raw = req.param("since")
        if not since_raw:
            return _error(400, "The 'since' parameter is required (ISO 8601)")
        try:
            since = parse_iso(since_raw)
        except ValueError:
            return _error(400, "The 'since' parameter must be an ISO 8601 timestamp")
        kind = (req.param("type") or "updated").lower()
        if kind not in ("inserted", "updated", "deleted"):
            return _error(400, "type must be inserted, updated or deleted")
        out: dict[str, Any] = {}
        latest = 0
        for emp in self.employees:
            i = emp.record.visible_index(self.now)
            if i is None:
                continue
            ts = emp.record.versions[i].ts
            latest = max(latest, ts)
            action = "Inserted" if i == 0 else "Updated"
            if ts < since or kind == "deleted" or (kind == "inserted" and action != "Inserted"):
                continue
            out[str(emp.emp_id)] = {"id": str(emp.emp_id), "action": action, "lastChanged": iso_utc(ts)}
        return json_response(200, {"latest": iso_utc(latest), "employees": out})

    def employee(self, raw_id: str, req: Request) -> Response:
        if not raw_id.isdigit():
            return _error(400, "Employee id must be numeric")
        seen = self._visible_employee(int(raw_id))
        if seen is None:
            return _error(404, "Employee not found")
        fields = [f for f in (req.param("fields") or "firstName,lastName").split(",") if f and f != "id"]
        state = seen[1]
        body: dict[str, Any] = {"id": raw_id}
        for f in fields:
            body[f] = state.get(f) if f in EMPLOYEE_FIELDS else None
        return json_response(200, body)

    def job_info(self, raw_id: str) -> Response:
        """The ``jobInfo`` table: all employees' rows (terminated ones included) or one employee's."""
        if raw_id == "all":
            rows = [row for emp in self.co.employees for row in self._job_info_rows(emp)]
            return json_response(200, rows)
        if not raw_id.isdigit():
            return _error(400, "Employee id must be numeric")
        seen = self._visible_employee(int(raw_id))
        if seen is None:
            return _error(404, "Employee not found")
        return json_response(200, self._job_info_rows(seen[0]))

    def _job_info_rows(self, emp: Any) -> list[dict[str, Any]]:
        if self.sim.defects.is_planted(emp.emp_id):  # [defects] a duplicate has no job history
            return []
        rows = gen_hr.job_info_rows(self.co, emp, self.now)
        if rows and emp.record.malformed == "bad_hire_date":
            rows[0]["date"] = "0000-00-00"
        return rows

    # ---- time off ---------------------------------------------------------------------------
    def time_off(self, req: Request) -> Response:
        try:
            start = date.fromisoformat(req.param("start") or "").toordinal()
            end = date.fromisoformat(req.param("end") or "").toordinal()
        except ValueError:
            return _error(400, "start and end are required (YYYY-MM-DD)")
        status = req.param("status")
        last = local_day(self.now - 1)
        rows = []
        for cday in gen_hr.time_off_days_between(start, end):
            if cday > last:
                break
            for rec in self.co.slice("hr.time_off", cday):
                t = rec.truth
                if t["start_day"] > end or t["start_day"] + t["days"] - 1 < start:
                    continue
                i = rec.visible_index(self.now)
                if i is None:
                    continue
                row = _time_off_json(rec, i)
                if status is None or row["status"]["status"] == status:
                    rows.append(row)
        rows.sort(key=lambda x: int(x["id"]))
        return json_response(200, rows)

    # ---- training ---------------------------------------------------------------------------
    def training_types(self) -> Response:
        out = {}
        for t in gen_hr.TRAINING_TYPES:
            out[str(t["id"])] = {
                "id": t["id"],
                "name": t["name"],
                "renewable": False,
                "frequency": None,
                "required": t["required"],
                "category": {"id": t["category"][0], "name": t["category"][1]},
            }
        return json_response(200, out)

    def training_records(self, raw_id: str) -> Response:
        seen = self._visible_employee(int(raw_id)) if raw_id.isdigit() else None
        if seen is None:
            return _error(404, "Employee not found")
        last = local_day(self.now - 1)
        out = {}
        planted = self.sim.defects.is_planted(seen[0].emp_id)  # [defects] a duplicate has no trainings
        for x in [] if planted else gen_hr.training_records(self.co, seen[0]):
            if x["day"] > last:
                continue
            t = x["type"]
            out[str(x["id"])] = {
                "id": x["id"],
                "employeeId": x["employeeId"],
                "completed": ymd(x["day"]),
                "cost": {"currency": "CNY", "cost": f"{t['cost']:.2f}"},
                "instructor": x["instructor"],
                "hours": self.sim.defects.training_hours(x["day"], t["hours"]),  # [defects]
                "credits": 0,
                "notes": "",
                "type": {"id": t["id"], "name": t["name"]},
            }
        return json_response(200, out)

    # ---- recruiting -------------------------------------------------------------------------
    def jobs(self) -> Response:
        rows = []
        for job in self.co.jobs:
            i = job.record.visible_index(self.now)
            if i is None:
                continue
            state = job.record.state(i)
            apps = [
                a.state(k)
                for a in gen_hr.applications(self.co, job)
                if (k := a.visible_index(self.now)) is not None
            ]
            dept = self.co.dept_by_id[job.dept_id]
            filled = state.get("filledDate")
            rows.append(
                {
                    "id": job.job_id,
                    "title": {"id": None, "label": state["title"]},
                    "status": {"id": JOB_STATUS_IDS[state["status"]], "label": state["status"]},
                    "department": {"id": None, "label": dept.hr_name},
                    "location": {"id": None, "label": job.location},
                    "postedDate": iso_utc(job.record.created),
                    "filledDate": iso_utc(filled) if filled else None,
                    "newApplicantsCount": sum(a["status"] == "New" for a in apps),
                    "activeApplicantsCount": sum(a["status"] not in ("Hired", "Rejected") for a in apps),
                    "totalApplicantsCount": len(apps),
                }
            )
        return json_response(200, rows)

    def _application_prefix(self) -> list[int]:
        if self._app_counts is None:
            prefix = [0]
            for job in self.co.jobs:
                n = sum(a.visible_index(self.now) is not None for a in gen_hr.applications(self.co, job))
                prefix.append(prefix[-1] + n)
            self._app_counts = prefix
        return self._app_counts

    def applications(self, req: Request) -> Response:
        raw = req.param("page") or "1"
        if not raw.isdigit() or int(raw) < 1:
            return _error(400, "page must be a positive integer")
        page = int(raw)
        prefix = self._application_prefix()
        lo, hi = (page - 1) * APPLICATIONS_PAGE_SIZE, page * APPLICATIONS_PAGE_SIZE
        rows: list[dict[str, Any]] = []
        j = max(0, bisect.bisect_right(prefix, lo) - 1)
        while j < len(self.co.jobs) and prefix[j] < hi:
            job = self.co.jobs[j]
            k = prefix[j]
            for app in gen_hr.applications(self.co, job):
                i = app.visible_index(self.now)
                if i is None:
                    continue
                if lo <= k < hi:
                    rows.append(_application_json(app, i, job.record.versions[0].changes["title"]))
                k += 1
            j += 1
        complete = hi >= prefix[-1]
        next_url = (
            None if complete else f"{req.origin}{self.prefix}/applicant_tracking/applications?page={page + 1}"
        )
        return json_response(
            200, {"paginationComplete": complete, "nextPageUrl": next_url, "applications": rows}
        )

    # ---- 360 reviews ------------------------------------------------------------------------
    def custom_report(self, req: Request) -> Response:
        try:
            spec = req.json() or {}
            fields = [str(f) for f in spec.get("fields", [])]
        except (ValueError, AttributeError):
            return _error(400, "Body must be JSON with a 'fields' list")
        if (req.param("format") or "JSON").upper() != "JSON":
            return _error(400, "Only format=JSON is supported by the simulator")
        wanted = [f for f in fields if f != "id"]
        rows = []
        for emp in self.co.employees:
            if emp.record.visible_index(self.now) is None:
                continue
            for row in gen_hr.review_rows(self.co, emp, self.now):
                rows.append({"id": row["id"], **{f: row.get(f) for f in wanted}})
        meta = [{"id": "id", "type": "int", "name": "Employee Id"}]
        meta += [{"id": f, "type": "text", "name": REPORT_FIELD_NAMES.get(f, f)} for f in wanted]
        return json_response(200, {"title": spec.get("title", "Report"), "fields": meta, "employees": rows})


def _time_off_json(rec: Record, i: int) -> dict[str, Any]:
    s = rec.state(i)
    v = rec.versions[i]
    return {
        "id": str(rec.key[0]),
        "employeeId": str(s["employeeId"]),
        "status": {
            "lastChanged": ymd(local_day(v.ts)),
            "lastChangedByUserId": str(v.actor),
            "status": s["status"],
        },
        "name": s["name"],
        "start": "not-a-date" if rec.malformed == "bad_date" else s["start"],
        "end": s["end"],
        "created": s["created"],
        "type": {"id": gen_hr.TIME_OFF_TYPES[s["type"]], "name": s["type"]},
        "amount": {"unit": "days", "amount": str(s["amount"])},
    }


def _application_json(app: Record, i: int, title: str) -> dict[str, Any]:
    s = app.state(i)
    aid, first, last, email = s["applicant"]
    return {
        "id": app.key[0],
        "appliedDate": iso_utc(s["appliedDate"]),
        "status": {"id": APPLICATION_STATUS_IDS[s["status"]], "label": s["status"]},
        "lastStatusChangeDate": iso_utc(app.versions[i].ts),
        "rating": None,
        "applicant": {"id": aid, "firstName": first, "lastName": last, "email": email},
        "job": {"id": s["job_id"], "title": {"id": None, "label": title}},
    }
