"""Ticketing over Jira Cloud REST v3 (`/rest/api/3`).

Quirks handled: JQL dates have minute granularity and are read in the API user's own time zone (from
`/myself`), so the lower bound is floored to the minute in that zone and the overlap is deduplicated on
landing; issue search pages with an opaque `nextPageToken`; projects and users page by offset.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from connectors.core.answers import Records
from connectors.core.auth import BasicAuth
from connectors.core.http import HttpClient
from connectors.core.paginators import CursorTokenPaginator, OffsetPaginator, Request
from connectors.core.source import Source
from connectors.core.streams import IncrementalCursor, Page, ReadContext, Stream, highest_cursor, paginate
from connectors.settings import SourceSettings

API = "rest/api/3"
ISSUE_FIELDS = (
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
PAGE_SIZE = 100
SELF_LINKS = frozenset({"self"})


# No zone on the account: read the bound as UTC and widen it by the largest offset there is.
UNKNOWN_ZONE_MARGIN = timedelta(hours=14)


def _user_time_zone(ctx: ReadContext) -> ZoneInfo | None:
    """JQL reads `updated >= "2026-03-01 10:00"` in the calling user's zone, not UTC."""
    _, [me] = ctx.fetch(Request(f"{API}/myself"), Records(shape="one"))
    zone = me.get("timeZone")
    return ZoneInfo(zone) if zone else None


def jql_for(project: str, since: datetime | None, zone: ZoneInfo | None) -> str:
    clauses = [f"project = {project}"]
    if since is not None:
        if zone is None:
            since, zone = since - UNKNOWN_ZONE_MARGIN, ZoneInfo("UTC")
        local = since.astimezone(zone).replace(second=0, microsecond=0)
        clauses.append(f'updated >= "{local:%Y-%m-%d %H:%M}"')
    return " AND ".join(clauses) + " ORDER BY updated ASC, key ASC"


def issues_of(project: str):
    def read(ctx: ReadContext) -> Iterator[Page]:
        jql = jql_for(project, ctx.since, _user_time_zone(ctx) if ctx.since else None)
        request = Request(
            path=f"{API}/search/jql",
            params={
                "jql": jql,
                "maxResults": PAGE_SIZE,
                "fields": ",".join(ISSUE_FIELDS),
                "expand": "changelog",
            },
        )
        high = ctx.cursor
        for records, sent in paginate(ctx, request):
            high = highest_cursor(records, "fields.updated", high)
            yield Page(
                records,
                f"GET {API}/search/jql jql={jql!r} page={sent.params.get('nextPageToken', 1)}",
                checkpoint=high,
            )

    return read


def issue_stream(name: str, project: str, description: str) -> Stream:
    return Stream(
        name=name,
        path=f"{API}/search/jql",
        primary_key=("id",),
        description=description,
        records_at="issues",
        paginator=lambda: CursorTokenPaginator(token_path="nextPageToken", param="nextPageToken"),
        # Search is eventually consistent (an issue can show up minutes after its `updated`), and
        # JQL rounds to the minute: re-read half an hour; what was landed already is not written again.
        cursor=IncrementalCursor(field="fields.updated", lookback=timedelta(minutes=30)),
        read=issues_of(project),
        not_hashed=SELF_LINKS,
    )


STREAMS = (
    Stream(
        name="projects",
        path=f"{API}/project/search",
        primary_key=("id",),
        description="Jira projects and their type.",
        records_at="values",
        paginator=lambda: OffsetPaginator(limit=50),
        not_hashed=SELF_LINKS,
    ),
    Stream(
        name="users",
        path=f"{API}/users/search",
        primary_key=("accountId",),
        description="Jira accounts with email: the identity crosswalk to HR.",
        paginator=lambda: OffsetPaginator(limit=200, total_path=None, is_last_path=None),
        not_hashed=SELF_LINKS,
    ),
    issue_stream("rd_issues", "RD", "R&D stories and bugs with due dates, points and reopen history."),
    issue_stream("implementation_projects", "IMPL", "Implementation projects: due date against go-live."),
    issue_stream("service_requests", "SD", "Service desk requests from every department, with SLA cycles."),
    issue_stream("security_patrols", "SEC", "Scheduled security patrols, done or missed."),
    issue_stream("customer_complaints", "CMP", "Customer complaints against implementation projects."),
)


def _client(settings: SourceSettings) -> HttpClient:
    return HttpClient(
        source="ticketing",
        base_url=settings.base_url,
        auth=BasicAuth(settings.secret("email"), settings.secret("api_token")),
        secrets=tuple(settings.secret_values()),
    )


SOURCE = Source(
    name="ticketing",
    product="Jira Cloud REST v3",
    option_keys=(),
    credentials=(("email", "api_token"),),
    client=_client,
    streams=STREAMS,
)
