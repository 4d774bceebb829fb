"""One paginator per paging style. Readers iterate records; only a paginator knows what a page is.

A paginator is created fresh for each stream read (it may keep state between pages), sees the request
it helped build and the parsed response, and returns the next request or None. Each one is bounded: a
token or link the source sends a second time, records past the total it reports, or the same page again
(a server that ignores the page parameter) raise `PagingLoop` instead of paging for ever; `paginate`
turns it into a `PagingError` naming the source, stream and request.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from connectors.core.records import dig


@dataclass(frozen=True)
class Request:
    """What to send: relative path or absolute URL, query parameters and an optional JSON body."""

    path: str
    method: str = "GET"
    params: dict[str, Any] = field(default_factory=dict)
    body: dict[str, Any] | None = None

    def with_params(self, **params: Any) -> Request:
        return replace(self, params={**self.params, **params})

    def with_body(self, **body: Any) -> Request:
        return replace(self, body={**(self.body or {}), **body})

    def describe(self) -> str:
        query = "&".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.method} {self.path}{'?' + query if query else ''}"


class PagingLoop(ValueError):
    """Paging that would not end, or would end on a page that contradicts the one before it."""


class Paginator:
    """Base: a single page."""

    def first(self, request: Request) -> Request:
        return request

    def next(self, request: Request, response: Any, records: list[Any]) -> Request | None:
        return None


@dataclass
class _SamePageGuard:
    """A server that ignores the page or offset parameter sends the first page again and again."""

    _previous: list[Any] | None = field(default=None, init=False, repr=False)

    def refuse_a_repeat(self, records: list[Any], param: str, value: Any) -> None:
        if records and records == self._previous:
            raise PagingLoop(
                f"the page at {param}={value} holds the same {len(records)} records as the page before: "
                f"the source ignores '{param}', so paging on would read that page for ever"
            )
        self._previous = records


@dataclass
class _SeenTokens:
    """Tokens and links already followed in this read: one that comes back would start a loop."""

    _seen: set[str] = field(default_factory=set, init=False, repr=False)

    def refuse_a_repeat(self, token: Any, what: str) -> None:
        text = str(token)
        if text in self._seen:
            raise PagingLoop(
                f"the source sent the {what} {text!r} a second time: following it would read the same "
                "pages again, for ever"
            )
        self._seen.add(text)


class SinglePage(Paginator):
    """The whole collection in one response, e.g. BambooHR `GET /employees/directory`."""


@dataclass
class OffsetPaginator(Paginator):
    """`startAt`/`maxResults` style, as Jira's `GET /project/search`:

        {"startAt": 0, "maxResults": 50, "total": 120, "isLast": false, "values": [...]}

    Stops on `isLast`, on reaching `total`, or on a short page (Jira's `/users/search` returns a bare
    array and only a short or empty page says it is the end). Refuses to go on when the answer echoes
    another offset than the one asked for (`startAt`), when the records read run past the reported
    total, or when a page repeats the one before.
    """

    offset_param: str = "startAt"
    limit_param: str = "maxResults"
    limit: int = 50
    total_path: str | None = "total"
    is_last_path: str | None = "isLast"
    echo_path: str | None = "startAt"
    _pages: _SamePageGuard = field(default_factory=_SamePageGuard, init=False, repr=False)

    def first(self, request: Request) -> Request:
        return request.with_params(**{self.offset_param: 0, self.limit_param: self.limit})

    def next(self, request: Request, response: Any, records: list[Any]) -> Request | None:
        asked = int(request.params[self.offset_param])
        offset = asked + len(records)
        # `dig` answers None on a bare array (Jira's /users/search): only the short page ends it.
        served = dig(response, self.echo_path) if self.echo_path else None
        if served is not None and str(served) != str(asked):
            raise PagingLoop(
                f"asked for {self.offset_param}={asked}, the source answered {self.echo_path}={served}: "
                "it does not page by this offset"
            )
        self._pages.refuse_a_repeat(records, self.offset_param, asked)
        total = dig(response, self.total_path) if self.total_path else None
        if total is not None and offset > int(total):
            raise PagingLoop(
                f"{self.offset_param}={asked} brought the records read to {offset}, past the total of "
                f"{total} the source reports: its paging is inconsistent (if the collection changed while "
                "it was read, a rerun reads it whole)"
            )
        if self.is_last_path and dig(response, self.is_last_path) is True:
            return None
        if total is not None and offset == int(total):
            return None
        if len(records) < self.limit:
            return None
        return request.with_params(**{self.offset_param: offset})


@dataclass
class PageNumberPaginator(Paginator):
    """`?page=N` style, as BambooHR's applicant tracking applications:

    {"paginationComplete": false, "nextPageUrl": ".../applications?page=2", "applications": [...]}
    """

    page_param: str = "page"
    first_page: int = 1
    complete_path: str = "paginationComplete"

    def first(self, request: Request) -> Request:
        return request.with_params(**{self.page_param: self.first_page})

    _pages: _SamePageGuard = field(default_factory=_SamePageGuard, init=False, repr=False)

    def next(self, request: Request, response: Any, records: list[Any]) -> Request | None:
        self._pages.refuse_a_repeat(records, self.page_param, request.params[self.page_param])
        if dig(response, self.complete_path) is True or not records:
            return None
        return request.with_params(**{self.page_param: int(request.params[self.page_param]) + 1})


@dataclass
class CursorTokenPaginator(Paginator):
    """An opaque token from the response sent back on the next request.

    Jira `GET /search/jql`: `{"issues": [...], "nextPageToken": "CAEaAggD"}` -> `?nextPageToken=CAEaAggD`.
    HubSpot lists: `{"results": [...], "paging": {"next": {"after": "3512"}}}` -> `?after=3512`;
    HubSpot search (POST) takes it in the body instead (`in_body=True`).
    """

    token_path: str
    param: str
    in_body: bool = False
    _tokens: _SeenTokens = field(default_factory=_SeenTokens, init=False, repr=False)

    def next(self, request: Request, response: Any, records: list[Any]) -> Request | None:
        token = dig(response, self.token_path)
        if token in (None, ""):
            return None
        self._tokens.refuse_a_repeat(token, f"cursor token ({self.token_path})")
        return (
            request.with_body(**{self.param: token})
            if self.in_body
            else request.with_params(**{self.param: token})
        )


@dataclass
class NextLinkPaginator(Paginator):
    """Server-driven paging: follow the absolute link the server returns, as OData v4 does:

        {"value": [...], "@odata.nextLink": "https://host/svc/GLEntries?$skiptoken=..."}

    The link already carries every query option, so it is requested as it is.
    """

    link_path: str = "@odata.nextLink"
    _links: _SeenTokens = field(default_factory=_SeenTokens, init=False, repr=False)

    def next(self, request: Request, response: Any, records: list[Any]) -> Request | None:
        link = dig(response, self.link_path) if isinstance(response, dict) else None
        if not link:
            return None
        self._links.refuse_a_repeat(link, f"next link ({self.link_path})")
        return Request(path=link, method="GET", params={})
