"""CRM over HubSpot CRM v3 (`/crm/v3`).

Quirks handled: lists page with `paging.next.after`; incremental reads go through the search endpoint,
which sorts and filters on `hs_lastmodifieddate` but answers at most 10,000 results per query, so the
time range is split until each window fits; archived objects are not searchable and come from the list
endpoint with `archived=true`, landing as flagged versions.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from connectors.core.auth import BearerAuth
from connectors.core.errors import RERUN_OR_REPORT, PagingError
from connectors.core.http import HttpClient
from connectors.core.paginators import CursorTokenPaginator, Request
from connectors.core.records import EPOCH, dig, parse_instant
from connectors.core.source import Source
from connectors.core.streams import IncrementalCursor, Page, ReadContext, Stream, highest_cursor, paginate
from connectors.settings import SourceSettings

MODIFIED = "properties.hs_lastmodifieddate"
PAGE_SIZE = 100
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


def _lists() -> CursorTokenPaginator:
    return CursorTokenPaginator(token_path="paging.next.after", param="after")


def _search_body(object_type: str, moment: datetime, operator: str) -> dict:
    return {
        "filterGroups": [
            {
                "filters": [
                    {"propertyName": "hs_lastmodifieddate", "operator": operator, "value": _millis(moment)}
                ]
            }
        ],
        "sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}],
        "properties": list(PROPERTIES[object_type]),
        "limit": PAGE_SIZE,
    }


def _modified(record: dict) -> datetime | None:
    try:
        return parse_instant(dig(record, MODIFIED))
    except ValueError:
        return None


def _one_millisecond(
    ctx: ReadContext, path: str, object_type: str, moment: datetime, seen: set[str]
) -> Iterator[Page]:
    """More than a page modified in one millisecond (a bulk import): page that millisecond by offset."""
    request = Request(path=path, method="POST", body=_search_body(object_type, moment, "EQ"))
    pager = CursorTokenPaginator(token_path="paging.next.after", param="after", in_body=True)
    for records, sent in paginate(ctx, request, paginator=pager):
        fresh = [r for r in records if r.get("id") not in seen]
        yield Page(
            fresh,
            f"POST {path} {MODIFIED} = {moment.isoformat()} after={(sent.body or {}).get('after', 0)}",
            checkpoint=moment,
        )


def _refuse_a_stuck_position(ctx: ReadContext, request: Request, records: list, low: datetime) -> datetime:
    """The latest modification time on a search page, once the page is one the keyset can move past.

    A record modified before the lower bound means the search ignores its filter, and a full page with
    no readable time gives no later position: either way the next request would be this one again.
    """
    modified = [m for m in map(_modified, records) if m is not None]
    floor = EPOCH + timedelta(milliseconds=int(_millis(low)))  # the bound as sent, in whole milliseconds
    earlier = [m for m in modified if m < floor]
    if earlier:
        problem = (
            f"answered a record modified at {min(earlier).isoformat()}, before the lower bound "
            f"{low.isoformat()}: the search ignores its filter, so the keyset position cannot move on"
        )
    elif not modified and len(records) >= PAGE_SIZE:
        problem = f"answered {len(records)} records without a readable {MODIFIED}: no later position"
    else:
        return max(modified, default=low)
    raise PagingError(
        f"paging stopped after {request.method} {request.path} ({MODIFIED} >= {low.isoformat()}): {problem}. "
        + RERUN_OR_REPORT,
        source=ctx.client.source,
        stream=ctx.stream.name,
    )


def searched(object_type: str, with_archived: bool):
    """Incremental read through search, keyset-paged; then, optionally, the archived objects.

    Search pages by offset (`after`) over a result that moves while it is read: a record modified
    mid-read jumps to the end and shifts every later one back, so an offset would skip one. Instead each
    request asks again for what was modified at or after the last timestamp seen, dropping the ids
    already read at exactly that timestamp. No offset grows, so the 10,000-result cap never applies.
    The position only moves forward (to a later timestamp, or one millisecond on), so it cannot repeat
    while the search honours its filter; `_refuse_a_stuck_position` stops a search that does not.
    """
    path = f"crm/v3/objects/{object_type}/search"

    def read(ctx: ReadContext) -> Iterator[Page]:
        low, seen_at_low, high = ctx.since or EPOCH, set(), ctx.cursor
        while True:
            request = Request(path, method="POST", body=_search_body(object_type, low, "GTE"))
            _, records = ctx.fetch(request)
            top = _refuse_a_stuck_position(ctx, request, records, low)
            fresh = [r for r in records if not (_modified(r) == low and r.get("id") in seen_at_low)]
            high = highest_cursor(fresh, MODIFIED, high)
            if fresh:
                yield Page(fresh, f"POST {path} {MODIFIED} >= {low.isoformat()}", checkpoint=high)
            if len(records) < PAGE_SIZE:
                break
            if top <= low:
                yield from _one_millisecond(ctx, path, object_type, low, seen_at_low)
                low, seen_at_low = low + timedelta(milliseconds=1), set()
            else:
                low, seen_at_low = top, {r.get("id") for r in records if _modified(r) == top}
        if with_archived:
            request = Request(
                path=f"crm/v3/objects/{object_type}",
                params={
                    "limit": PAGE_SIZE,
                    "archived": "true",
                    "properties": ",".join(PROPERTIES[object_type]),
                },
            )
            for records, _ in paginate(ctx, request, paginator=_lists()):
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
        deleted_when=_archived,
        read=searched("deals", with_archived=True),
        reads_by_post=True,
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
    ),
    Stream(
        name="feedback_submissions",
        path="crm/v3/objects/feedback_submissions/search",
        primary_key=("id",),
        records_at="results",
        description="Customer feedback: CSAT and NPS responses.",
        cursor=IncrementalCursor(field=MODIFIED, lookback=timedelta(minutes=5)),
        read=searched("feedback_submissions", with_archived=False),
        reads_by_post=True,
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
    credentials=(("access_token",),),
    client=_client,
    streams=STREAMS,
)
