"""HubSpot CRM v3 under ``/crm`` (see PROTOCOLS.md, "CRM").

Lists run in id (= creation) order with an opaque ``after``; search runs in ``hs_lastmodifieddate``
order with HubSpot's numeric ``after`` offset and its 10,000-result cap (`SEARCH_RESULT_CAP`, an
attribute of `HubspotApi` so tests can lower it). Offsets are found by counting day windows, never by
materializing the result.
"""

from __future__ import annotations

import hashlib
import math
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from simulator.clock import iso_millis_z
from simulator.company.model import KINDS
from simulator.http_server import Request, Response, json_response
from simulator.records import Record
from simulator.timeline import Entry, Filter, Timeline, decode_token, encode_token

if TYPE_CHECKING:
    from simulator.server import Simulator

SEARCH_RESULT_CAP = 10_000
OBJECTS = {
    "deals": "crm.deals",
    "goal_targets": "crm.goal_targets",
    "feedback_submissions": "crm.feedback_submissions",
}
ALWAYS = ("createdate", "hs_lastmodifieddate", "hs_object_id")
DEFAULT_PROPERTIES = {
    "deals": (
        "amount",
        "closedate",
        "createdate",
        "dealname",
        "dealstage",
        "hs_lastmodifieddate",
        "hs_object_id",
        "pipeline",
    ),
    "goal_targets": (
        "hs_goal_name",
        "hs_target_amount",
        "hs_start_datetime",
        "hs_end_datetime",
        "createdate",
        "hs_lastmodifieddate",
        "hs_object_id",
    ),
    "feedback_submissions": (
        "hs_survey_type",
        "hs_response_value",
        "hs_submission_timestamp",
        "createdate",
        "hs_lastmodifieddate",
        "hs_object_id",
    ),
}
_DATETIME_PROPS = {
    "closedate",
    "createdate",
    "hs_start_datetime",
    "hs_end_datetime",
    "hs_submission_timestamp",
}
_OPERATORS = ("GTE", "GT", "LT", "LTE", "EQ")


class HubspotApi:
    """HubSpot: private-app bearer token."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.co = sim.company
        self.now = sim.defects.crm_now(sim.now)  # [defects] stale_source: 10 days earlier; else sim.now
        self.token = sim.credentials["crm"]["access_token"]
        self.search_cap = SEARCH_RESULT_CAP
        self._timelines: dict[tuple[str, str], Timeline] = {}

    def _error(
        self,
        status: int,
        category: str,
        message: str,
        headers: list[tuple[str, str]] | None = None,
        **extra: Any,
    ) -> Response:
        cid = str(uuid.UUID(bytes=hashlib.md5(f"{self.sim.seed}:{status}:{message}".encode()).digest()))
        return json_response(
            status,
            {"status": "error", "message": message, "correlationId": cid, **extra, "category": category},
            headers,
        )

    def authorized(self, req: Request) -> bool:
        return (req.headers.get("Authorization") or "") == f"Bearer {self.token}"

    def unauthorized(self) -> Response:
        return self._error(
            401,
            "INVALID_AUTHENTICATION",
            "Authentication credentials not found. This API supports OAuth 2.0 authentication and "
            "you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
        )

    def rate_limited(self, retry_after: int) -> Response:
        headers = [
            ("Retry-After", str(retry_after)),
            ("X-HubSpot-RateLimit-Daily", "500000"),
            ("X-HubSpot-RateLimit-Daily-Remaining", "499000"),
            ("X-HubSpot-RateLimit-Interval-Milliseconds", "10000"),
            ("X-HubSpot-RateLimit-Max", "190"),
            ("X-HubSpot-RateLimit-Remaining", "0"),
        ]
        return self._error(
            429,
            "RATE_LIMITS",
            "You have reached your ten_secondly_rolling limit.",
            headers,
            errorType="RATE_LIMIT",
            policyName="TEN_SECONDLY_ROLLING",
        )

    def server_error(self, status: int) -> Response:
        return self._error(status, "INTERNAL_ERROR", "Internal error, please retry.")

    # ---- routing ----------------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        parts = req.path.strip("/").split("/")
        if parts[:3] == ["crm", "crm", "v3"]:
            parts = parts[3:]
        else:
            return self._error(404, "OBJECT_NOT_FOUND", f"Unknown path {req.path}")
        if parts == ["owners"] and req.method == "GET":
            return self.owners(req)
        if len(parts) == 2 and parts[0] == "objects" and req.method == "GET":
            return self.list_objects(req, parts[1])
        if len(parts) == 3 and parts[0] == "objects" and parts[2] == "search" and req.method == "POST":
            return self.search(req, parts[1])
        return self._error(404, "OBJECT_NOT_FOUND", f"Unknown path {req.path}")

    def _timeline(self, obj: str, order: str) -> Timeline:
        tl = self._timelines.get((obj, order))
        if tl is None:
            kind = OBJECTS[obj]
            tl = Timeline(
                self.now,
                self.co.start,
                self.co.horizon,
                max_life=KINDS[kind].max_life,
                order=order,
                slice_fn=lambda d, k=kind: self.co.slice(k, d),
            )
            self._timelines[(obj, order)] = tl
        return tl

    @staticmethod
    def _limit(raw: Any, default: int, cap: int) -> int | None:
        try:
            n = int(raw) if raw not in (None, "") else default
        except (TypeError, ValueError):
            return None
        return n if 1 <= n <= cap else None

    # ---- owners -----------------------------------------------------------------------------
    def owners(self, req: Request) -> Response:
        limit = self._limit(req.param("limit"), 100, 500)
        if limit is None:
            return self._error(400, "VALIDATION_ERROR", "limit must be between 1 and 500")
        want_archived = (req.param("archived") or "false").lower() == "true"
        rows = []
        for rec in self.co.memory("crm.owners"):
            i = rec.visible_index(self.now)
            if i is not None and rec.state(i)["archived"] == want_archived:
                rows.append(self._owner_json(rec, i))
        after = req.param("after") or "0"
        if not after.isdigit():
            return self._error(400, "VALIDATION_ERROR", "after must be a cursor returned by a previous page")
        start = int(after)
        body: dict[str, Any] = {"results": rows[start : start + limit]}
        if start + limit < len(rows):
            nxt = str(start + limit)
            body["paging"] = {
                "next": {
                    "after": nxt,
                    "link": f"{req.origin}/crm/crm/v3/owners?limit={limit}&after={nxt}"
                    + ("&archived=true" if want_archived else ""),
                }
            }
        return json_response(200, body)

    def _owner_json(self, rec: Record, i: int) -> dict[str, Any]:
        s = rec.state(i)
        out = {
            "id": str(rec.key[0]),
            "email": s["email"],
            "type": "PERSON",
            "firstName": s["firstName"],
            "lastName": s["lastName"],
            "userId": s["userId"],
            "userIdIncludingInactive": s["userId"],
            "createdAt": iso_millis_z(rec.created),
            "updatedAt": iso_millis_z(rec.versions[i].ts),
            "archived": s["archived"],
            "teams": [{"id": tid, "name": name, "primary": True} for tid, name in s["teams"]],
        }
        return out

    # ---- objects ----------------------------------------------------------------------------
    def _properties(self, obj: str, requested: list[str] | None) -> tuple[str, ...]:
        if not requested:
            return DEFAULT_PROPERTIES[obj]
        return tuple(sorted(set(requested) | set(ALWAYS)))

    def object_json(self, obj: str, rec: Record, i: int, props: tuple[str, ...]) -> dict[str, Any]:
        """One CRM object at version ``i`` (depends on that version only)."""
        s = rec.state(i)
        ts = rec.versions[i].ts
        values: dict[str, Any] = {}
        for p in sorted(props):
            if p == "hs_object_id":
                v: Any = str(rec.key[0])
            elif p == "hs_lastmodifieddate":
                v = iso_millis_z(ts)
            elif p == "createdate":
                v = iso_millis_z(rec.created)
            else:
                v = s.get(p)
                if p in _DATETIME_PROPS and isinstance(v, int):
                    v = iso_millis_z(v)
                elif isinstance(v, bool):
                    v = "true" if v else "false"
                elif isinstance(v, float):
                    v = f"{v:.2f}".rstrip("0").rstrip(".")
                elif v is not None:
                    v = str(v)
            if rec.malformed == "amount_not_number" and p == "amount":
                v = "TBD"
            elif rec.malformed == "empty_value" and p == "hs_response_value":
                v = ""
            values[p] = v
        out: dict[str, Any] = {
            "id": str(rec.key[0]),
            "properties": values,
            "createdAt": iso_millis_z(rec.created),
            "updatedAt": iso_millis_z(ts),
            "archived": bool(s.get("archived")),
        }
        if s.get("archived"):
            out["archivedAt"] = iso_millis_z(ts)
        return out

    def list_objects(self, req: Request, obj: str) -> Response:
        if obj not in OBJECTS:
            return self._error(400, "VALIDATION_ERROR", f"Unable to infer object type from: {obj}")
        limit = self._limit(req.param("limit"), 10, 100)
        if limit is None:
            return self._error(400, "VALIDATION_ERROR", "limit must be between 1 and 100")
        archived = (req.param("archived") or "false").lower() == "true"
        props_raw = ",".join(req.params.get("properties", []))
        props = self._properties(obj, [p for p in props_raw.split(",") if p])
        tl = self._timeline(obj, "created")
        f = Filter(
            pred=lambda e, a=archived: bool(e[2].state(e[3]).get("archived")) == a,
            ident=f"archived={archived}",
        )
        after = req.param("after")
        try:
            pos = decode_token(after) if after else tl.start(f)
        except ValueError:
            return self._error(400, "VALIDATION_ERROR", "after must be a cursor returned by a previous page")
        entries, nxt = tl.page(f, pos, limit)
        body: dict[str, Any] = {"results": [self.object_json(obj, e[2], e[3], props) for e in entries]}
        if nxt is not None:
            token = encode_token(nxt)
            link = f"{req.origin}/crm/crm/v3/objects/{obj}?limit={limit}&after={token}" + (
                "&archived=true" if archived else ""
            )
            body["paging"] = {"next": {"after": token, "link": link}}
        return json_response(200, body)

    # ---- search -----------------------------------------------------------------------------
    def search(self, req: Request, obj: str) -> Response:
        if obj not in OBJECTS:
            return self._error(400, "VALIDATION_ERROR", f"Unable to infer object type from: {obj}")
        try:
            body = req.json() or {}
            groups = [self._group(g) for g in body.get("filterGroups", [])]
            self._check_sorts(body.get("sorts", []))
        except (ValueError, TypeError, AttributeError, KeyError) as exc:
            return self._error(400, "VALIDATION_ERROR", f"Invalid search request: {exc}")
        limit = self._limit(body.get("limit"), 10, 200)
        if limit is None:
            return self._error(400, "VALIDATION_ERROR", "limit must be between 1 and 200")
        after_raw = str(body.get("after", "0") or "0")
        if not after_raw.isdigit():
            return self._error(400, "VALIDATION_ERROR", "after must be a non-negative integer offset")
        after = int(after_raw)
        if after >= self.search_cap:
            return self._error(
                400,
                "VALIDATION_ERROR",
                f"Search results are limited to {self.search_cap} per query; narrow the filters "
                "(e.g. hs_lastmodifieddate) and page again.",
            )
        f = self._filter(groups)
        tl = self._timeline(obj, "modified")
        props = self._properties(obj, [str(p) for p in body.get("properties", [])] or None)
        total = tl.count(f)
        pos = tl.seek(f, after)
        entries, nxt = tl.page(f, pos, limit) if pos is not None else ([], None)
        out: dict[str, Any] = {
            "total": total,
            "results": [self.object_json(obj, e[2], e[3], props) for e in entries],
        }
        if nxt is not None:
            out["paging"] = {"next": {"after": str(after + len(entries))}}
        return json_response(200, out)

    @staticmethod
    def _group(group: dict[str, Any]) -> tuple[int | None, int | None]:
        lo: int | None = None
        hi: int | None = None
        for flt in group.get("filters", []):
            if flt.get("propertyName") != "hs_lastmodifieddate":
                raise ValueError(
                    f"filtering on '{flt.get('propertyName')}' is not supported by the simulator"
                )
            op = flt.get("operator")
            if op not in _OPERATORS:
                raise ValueError(f"operator '{op}' is not supported")
            ms = _millis(flt.get("value"))
            bounds = {
                "GTE": (math.ceil(ms / 1000), None),
                "GT": (math.floor(ms / 1000) + 1, None),
                "LT": (None, math.ceil(ms / 1000)),
                "LTE": (None, math.floor(ms / 1000) + 1),
                "EQ": (ms / 1000, ms / 1000 + 1) if ms % 1000 == 0 else (0, 0),
            }[op]
            if bounds[0] is not None:
                lo = int(bounds[0]) if lo is None else max(lo, int(bounds[0]))
            if bounds[1] is not None:
                hi = int(bounds[1]) if hi is None else min(hi, int(bounds[1]))
        return lo, hi

    @staticmethod
    def _check_sorts(sorts: list[Any]) -> None:
        for s in sorts:
            name, direction = (
                (s, "ASCENDING")
                if isinstance(s, str)
                else (s.get("propertyName"), s.get("direction", "ASCENDING"))
            )
            if name != "hs_lastmodifieddate" or direction != "ASCENDING":
                raise ValueError("only sorting by hs_lastmodifieddate ASCENDING is supported")

    @staticmethod
    def _filter(groups: list[tuple[int | None, int | None]]) -> Filter:
        def live(e: Entry) -> bool:
            return not e[2].state(e[3]).get("archived")

        if not groups:
            return Filter(pred=live, ident="live")
        if len(groups) == 1:
            return Filter(groups[0][0], groups[0][1], live, "live")
        los = [g[0] for g in groups]
        his = [g[1] for g in groups]
        lo = None if None in los else min(los)  # type: ignore[type-var]
        hi = None if None in his else max(his)  # type: ignore[type-var]

        def any_group(e: Entry) -> bool:
            return live(e) and any((a is None or e[0] >= a) and (b is None or e[0] < b) for a, b in groups)

        return Filter(lo, hi, any_group, f"groups:{groups}")


def _millis(value: Any) -> int:
    if isinstance(value, int | float) or (isinstance(value, str) and value.lstrip("-").isdigit()):
        return int(value)
    if isinstance(value, str):
        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000)
    raise ValueError(f"value '{value}' is not epoch milliseconds")
