"""CRM over HubSpot CRM v3 (`/crm/v3`).

Quirks handled: lists page with `paging.next.after`; incremental reads go through the search endpoint,
which sorts and filters on `hs_lastmodifieddate` but answers at most 10,000 results per query, so the
time range is split until each window fits; archived objects are not searchable and come from the list
endpoint with `archived=true`, landing as flagged versions.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from connectors.core.auth import BearerAuth
from connectors.core.errors import SourceHTTPError
from connectors.core.http import HttpClient
from connectors.core.paginators import CursorTokenPaginator, Request
from connectors.core.source import Source
from connectors.core.streams import IncrementalCursor, Page, ReadContext, Stream, highest_cursor, paginate
from connectors.settings import SourceSettings

MODIFIED = "properties.hs_lastmodifieddate"
SEARCH_CAP = 10_000
PAGE_SIZE = 100
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
PROPERTIES = {
    "deals": (
        "dealname",
        "amount",
        "deal_currency_code",
        "dealstage",
        "pipeline",
        "closedate",
        "createdate",
        "hubspot_owner_id",
        "hs_is_closed",
        "hs_is_closed_won",
        "hs_lastmodifieddate",
        "hs_object_id",
    ),
    "goal_targets": (
        "hs_goal_name",
        "hs_target_amount",
        "hs_start_datetime",
        "hs_end_datetime",
        "hs_assignee_user_id",
        "hs_currency_code",
        "hs_lastmodifieddate",
    ),
    "feedback_submissions": (
        "hs_survey_type",
        "hs_response_value",
        "hs_submission_timestamp",
        "hs_contact_email",
        "implementation_project_key",
        "hubspot_owner_id",
        "hs_lastmodifieddate",
    ),
}


def _millis(moment: datetime) -> str:
    return str(int(moment.timestamp() * 1000))


def _lists(after_param: str = "after") -> CursorTokenPaginator:
    return CursorTokenPaginator(token_path="paging.next.after", param=after_param)


def _search_body(object_type: str, low: datetime, high: datetime) -> dict:
    return {
        "filterGroups": [
            {
                "filters": [
                    {"propertyName": "hs_lastmodifieddate", "operator": "GTE", "value": _millis(low)},
                    {"propertyName": "hs_lastmodifieddate", "operator": "LT", "value": _millis(high)},
                ]
            }
        ],
        "sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}],
        "properties": list(PROPERTIES[object_type]),
        "limit": PAGE_SIZE,
    }


def _search_windows(
    ctx: ReadContext, path: str, object_type: str, low: datetime, high: datetime
) -> Iterator[tuple[datetime, datetime]]:
    """Split [low, high) into windows of at most SEARCH_CAP results each, oldest first."""
    probe = ctx.client.post(
        path,
        stream=ctx.stream.name,
        idempotent=True,
        json_body={**_search_body(object_type, low, high), "limit": 1},
    )
    total = int(probe.get("total", 0))
    if total <= SEARCH_CAP:
        if total:
            yield low, high
        return
    if high - low <= timedelta(milliseconds=1):
        raise SourceHTTPError(
            f"{total} objects share one modification millisecond at {low.isoformat()}; "
            f"the search API cannot page past {SEARCH_CAP}",
            source="crm",
            stream=ctx.stream.name,
        )
    middle = low + (high - low) / 2
    yield from _search_windows(ctx, path, object_type, low, middle)
    yield from _search_windows(ctx, path, object_type, middle, high)


def searched(object_type: str, with_archived: bool):
    """Incremental read of one object type through search, then (optionally) its archived objects."""
    path = f"crm/v3/objects/{object_type}/search"

    def read(ctx: ReadContext) -> Iterator[Page]:
        # The upper bound is fixed for the whole read so that windows do not move while paging.
        upper = datetime.now(UTC) + timedelta(minutes=1)
        high = ctx.cursor
        for low, top in _search_windows(ctx, path, object_type, ctx.since or EPOCH, upper):
            request = Request(path=path, method="POST", body=_search_body(object_type, low, top))
            pager = CursorTokenPaginator(token_path="paging.next.after", param="after", in_body=True)
            for records, sent in paginate(ctx, request, records_at="results", paginator=pager):
                high = highest_cursor(records, MODIFIED, high)
                yield Page(
                    records,
                    f"POST {path} window=[{low.isoformat()}, {top.isoformat()}) "
                    f"after={(sent.body or {}).get('after', 0)}",
                    checkpoint=high,
                )
        if with_archived:
            request = Request(
                path=f"crm/v3/objects/{object_type}",
                params={
                    "limit": PAGE_SIZE,
                    "archived": "true",
                    "properties": ",".join(PROPERTIES[object_type]),
                },
            )
            for records, _ in paginate(ctx, request, records_at="results", paginator=_lists()):
                yield Page(records, f"GET crm/v3/objects/{object_type}?archived=true")

    return read


def read_owners(ctx: ReadContext) -> Iterator[Page]:
    for archived in ("false", "true"):
        request = Request(path="crm/v3/owners", params={"limit": PAGE_SIZE, "archived": archived})
        for records, _ in paginate(ctx, request):
            yield Page(records, f"GET crm/v3/owners?archived={archived}")


def _archived(record) -> bool:
    return bool(record.get("archived"))


STREAMS = (
    Stream(
        name="owners",
        path="crm/v3/owners",
        primary_key=("id",),
        records_at="results",
        paginator=_lists,
        description="CRM owners (sales reps) with email and teams, active and archived.",
        checks={"email": "required", "updatedAt": "timestamp"},
        deleted_when=_archived,
        read=read_owners,
    ),
    Stream(
        name="deals",
        path="crm/v3/objects/deals/search",
        primary_key=("id",),
        records_at="results",
        description="Deals with stage, amount, currency, owner and close date; archived ones flagged.",
        cursor=IncrementalCursor(field=MODIFIED, lookback=timedelta(minutes=5)),
        updated_at=MODIFIED,
        checks={"properties.amount": "number", "properties.closedate": "timestamp", MODIFIED: "timestamp"},
        deleted_when=_archived,
        read=searched("deals", with_archived=True),
    ),
    Stream(
        name="goal_targets",
        path="crm/v3/objects/goal_targets",
        primary_key=("id",),
        records_at="results",
        paginator=_lists,
        params={"limit": PAGE_SIZE, "properties": ",".join(PROPERTIES["goal_targets"])},
        updated_at=MODIFIED,
        description="Monthly revenue quota per sales owner.",
        checks={"properties.hs_target_amount": "number", "properties.hs_start_datetime": "timestamp"},
    ),
    Stream(
        name="feedback_submissions",
        path="crm/v3/objects/feedback_submissions/search",
        primary_key=("id",),
        records_at="results",
        description="Customer feedback: CSAT and NPS responses.",
        cursor=IncrementalCursor(field=MODIFIED, lookback=timedelta(minutes=5)),
        checks={"properties.hs_response_value": ("required", "number"), MODIFIED: "timestamp"},
        read=searched("feedback_submissions", with_archived=False),
    ),
)


def _client(settings: SourceSettings) -> HttpClient:
    return HttpClient(
        source="crm",
        base_url=settings.base_url,
        auth=BearerAuth(settings.secret("access_token")),
        secrets=tuple(settings.secret_values()),
    )


SOURCE = Source(
    name="crm",
    product="HubSpot CRM v3",
    option_keys=(),
    secret_keys=("access_token",),
    client=_client,
    streams=STREAMS,
)
