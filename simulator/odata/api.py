"""OData v4 ERP service under ``/erp/odata/v4/finance`` (see PROTOCOLS.md, "ERP").

Reads go through a `Timeline` per entity set in the server's natural order (LastModifiedDateTime, key),
so ``$skiptoken`` pages cost the same at any depth. ``$skip`` seeks by counting windows (counts are
cached). Any other ``$orderby`` materializes the filtered rows, up to `MATERIALIZE_CAP`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from simulator.clock import iso_z
from simulator.company.mess import european_spelling
from simulator.company.model import KINDS
from simulator.http_server import Request, Response, json_response
from simulator.odata.query import (
    ENTITY_SETS,
    MODIFIED,
    EntitySet,
    Query,
    QueryError,
    is_natural_order,
    metadata_xml,
    parse_query,
)
from simulator.timeline import LRU, Entry, Filter, Timeline, decode_token, encode_token

if TYPE_CHECKING:
    from simulator.server import Simulator

PREFIX = "/erp/odata/v4/finance"
DEFAULT_PAGE_SIZE = 1000
MAX_PAGE_SIZE = 5000
MATERIALIZE_CAP = 200_000
ODATA_HEADERS = [("OData-Version", "4.0")]


def _error(status: int, code: str, message: str, headers: list[tuple[str, str]] | None = None) -> Response:
    return json_response(
        status, {"error": {"code": code, "message": message}}, ODATA_HEADERS + (headers or [])
    )


class ErpApi:
    """OData service: bearer token auth, server-driven paging with ``$skiptoken``."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.co = sim.company
        self.now = sim.now
        self.token = sim.credentials["erp"]["token"]
        self._timelines: dict[str, Timeline] = {}
        self._sorted = LRU(4)

    def authorized(self, req: Request) -> bool:
        return (req.headers.get("Authorization") or "") == f"Bearer {self.token}"

    def unauthorized(self) -> Response:
        return _error(
            401,
            "Unauthorized",
            "The bearer token is missing, expired or invalid.",
            [("WWW-Authenticate", 'Bearer realm="erp"')],
        )

    def rate_limited(self, retry_after: int) -> Response:
        return _error(
            429,
            "TooManyRequests",
            "Rate limit is exceeded. Try again later.",
            [("Retry-After", str(retry_after))],
        )

    def server_error(self, status: int) -> Response:
        return _error(
            status,
            {500: "InternalServerError", 502: "BadGateway"}.get(status, "ServiceUnavailable"),
            "The service is temporarily unavailable.",
        )

    def timeline(self, es: EntitySet) -> Timeline:
        tl = self._timelines.get(es.name)
        if tl is None:
            spec = KINDS[es.kind]
            if spec.lazy:
                tl = Timeline(
                    self.now,
                    self.co.start,
                    self.co.horizon,
                    max_life=spec.max_life,
                    slice_fn=lambda d, k=es.kind: self.co.slice(k, d),
                )
            else:
                # [defects] a memory set may gain planted rows (CostCenters: CC9991); none without defects
                records = self.co.memory(es.kind) + self.sim.defects.extra_records(es.kind)
                tl = Timeline(self.now, self.co.start, self.co.horizon, records=records)
            self._timelines[es.name] = tl
        return tl

    def handle(self, req: Request) -> Response:
        if req.method != "GET":
            return _error(405, "MethodNotAllowed", "The service is read-only.")
        if not (req.path == PREFIX or req.path.startswith(PREFIX + "/")):
            return _error(404, "NotFound", "No such service.")
        rest = req.path[len(PREFIX) :].strip("/")
        base = req.origin + PREFIX
        if rest == "":
            value = [{"name": n, "kind": "EntitySet", "url": n} for n in ENTITY_SETS]
            return json_response(
                200, {"@odata.context": f"{base}/$metadata", "value": value}, list(ODATA_HEADERS)
            )
        if rest == "$metadata":
            return Response(200, metadata_xml(), list(ODATA_HEADERS), "application/xml")
        es = ENTITY_SETS.get(rest)
        if es is None:
            return _error(404, "NotFound", f"Resource '{rest}' not found in the service.")
        try:
            q = parse_query(es, req.params)
            return self._collection(req, es, q, base)
        except QueryError as exc:
            return _error(400, "BadRequest", str(exc))

    def _filter(self, es: EntitySet, q: Query) -> Filter:
        if not q.key_eq:
            return Filter(q.lo, q.hi)
        idx = {k: i for i, k in enumerate(es.keys)}
        wanted = [(idx[p], v) for p, v in q.key_eq]

        def pred(e: Entry) -> bool:
            return all(str(e[1][i]) == v for i, v in wanted)

        return Filter(q.lo, q.hi, pred, "eq:" + "|".join(f"{p}={v}" for p, v in q.key_eq))

    def _collection(self, req: Request, es: EntitySet, q: Query, base: str) -> Response:
        page_size, headers = DEFAULT_PAGE_SIZE, list(ODATA_HEADERS)
        prefer = req.headers.get("Prefer") or ""
        for part in prefer.split(","):
            name, _, value = part.strip().partition("=")
            if name == "odata.maxpagesize" and value.isdigit() and int(value) > 0:
                page_size = min(int(value), MAX_PAGE_SIZE)
                headers.append(("Preference-Applied", f"odata.maxpagesize={page_size}"))
        if q.top is not None:
            page_size = min(page_size, q.top)
        tl, f = self.timeline(es), self._filter(es, q)
        total: int | None = None
        try:
            pos = decode_token(q.skiptoken) if q.skiptoken else None
        except ValueError as exc:
            raise QueryError("Invalid $skiptoken") from exc
        if is_natural_order(es, q.orderby):
            if pos is None:
                pos = tl.seek(f, q.skip) if q.skip else tl.start(f)
            entries, nxt = tl.page(f, pos, page_size) if pos is not None and page_size else ([], None)
            if q.count:
                total = tl.count(f)
        else:
            rows = self._materialized(es, q, f)
            start = pos[1] if pos is not None else q.skip
            entries = rows[start : start + page_size]
            nxt = (-1, start + len(entries)) if start + len(entries) < len(rows) else None
            total = len(rows) if q.count else None
        top_left = None if q.top is None else q.top - len(entries)
        if top_left is not None and top_left <= 0:
            nxt = None
        context = f"{base}/$metadata#{es.name}" + (f"({','.join(q.select)})" if q.select else "")
        body: dict[str, Any] = {"@odata.context": context}
        if total is not None:
            body["@odata.count"] = total
        body["value"] = [self.row(es, e, q.select) for e in entries]
        if nxt is not None:
            body["@odata.nextLink"] = self._next_link(req, es, nxt, top_left, base)
        return json_response(200, body, headers)

    def _materialized(self, es: EntitySet, q: Query, f: Filter) -> list[Entry]:
        key = (es.name, f.cache_key, q.orderby)
        hit = self._sorted.get(key)
        if hit is None:
            hit = []
            for e in self.timeline(es).iterate(f):
                hit.append(e)
                if len(hit) > MATERIALIZE_CAP:
                    raise QueryError(
                        f"$orderby other than '{MODIFIED} asc' on more than {MATERIALIZE_CAP} rows is "
                        "not supported; narrow the $filter"
                    )
            rendered = {id(e): self.row(es, e, ()) for e in hit}
            for prop, desc in reversed(q.orderby):
                hit.sort(key=lambda e, p=prop: _sortable(rendered[id(e)][p]), reverse=desc)
            self._sorted.put(key, hit)
        return hit

    def _next_link(
        self, req: Request, es: EntitySet, pos: tuple[int, int], top_left: int | None, base: str
    ) -> str:
        pairs = []
        for name, values in req.params.items():
            if name in ("$skip", "$skiptoken", "$top"):
                continue
            pairs.extend((name, v) for v in values)
        if top_left is not None:
            pairs.append(("$top", str(top_left)))
        pairs.append(("$skiptoken", encode_token(pos)))
        return f"{base}/{es.name}?" + urlencode(pairs, quote_via=quote, safe="$',:()")

    def row(self, es: EntitySet, e: Entry, select: tuple[str, ...]) -> dict[str, Any]:
        """One entity as JSON, properties in declaration order (or the $select subset)."""
        rec, i = e[2], e[3]
        state = rec.state(i)
        for k, v in zip(es.keys, rec.key, strict=True):
            state[k] = v
        state[MODIFIED] = rec.versions[i].ts
        self.sim.defects.erp_row(es.name, rec, state)  # [defects] no-op without defects
        if rec.malformed == "amount_not_number":
            state["AmountInTransactionCurrency"] = european_spelling(state["AmountInTransactionCurrency"])
        elif rec.malformed == "bad_posting_date":
            y, m, d = state["PostingDate"].split("-")
            state["PostingDate"] = f"{d}.{m}.{y}"
        elif rec.malformed == "missing_id":
            state["InvoiceID"] = None
        out: dict[str, Any] = {}
        for name, t in es.properties:
            if select and name not in select:
                continue
            value = state.get(name)
            if t == "Edm.DateTimeOffset" and isinstance(value, int):
                value = iso_z(value)
            out[name] = value
        return out


def _sortable(value: Any) -> tuple:
    if value is None:
        return (0, 0)
    if isinstance(value, bool | int | float):
        return (1, value)
    return (2, str(value))
