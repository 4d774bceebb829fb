"""The simulated clock and the timestamp spellings of each API.

Everything inside the simulator is an integer: instants are epoch seconds (UTC) and days are
``date.toordinal()`` numbers of company-local days. The company runs on Asia/Shanghai, a fixed +08:00
offset (China has no daylight saving time), so a local day is a plain 86,400 s window and no tz database
is needed. Each API then spells instants its own way; those spellings live here so they stay consistent.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone

COMPANY_OFFSET_S = 8 * 3600
COMPANY_TZ = timezone(timedelta(hours=8))
COMPANY_TZ_NAME = "Asia/Shanghai"
_EPOCH_ORD = date(1970, 1, 1).toordinal()
DAY_S = 86_400


def day_start(day: int) -> int:
    """Epoch seconds of local midnight starting ``day`` (an ordinal)."""
    return (day - _EPOCH_ORD) * DAY_S - COMPANY_OFFSET_S


def local_day(ts: int) -> int:
    """The company-local day (ordinal) an instant falls on."""
    return (ts + COMPANY_OFFSET_S) // DAY_S + _EPOCH_ORD


def now_for(as_of: date) -> int:
    """The simulated `now`: the end of the as-of day in company time (next local midnight).

    A version is visible when its timestamp is strictly before `now`, i.e. at or before 23:59:59 of
    the as-of day, so each version belongs to exactly one local day.
    """
    return day_start(as_of.toordinal() + 1)


def at(day: int, seconds: int) -> int:
    """An instant ``seconds`` after local midnight of ``day``."""
    return day_start(day) + seconds


def ymd(day: int) -> str:
    return date.fromordinal(day).isoformat()


def month_key(day: int) -> tuple[int, int]:
    d = date.fromordinal(day)
    return d.year, d.month


def month_start(year: int, month: int) -> int:
    return date(year, month, 1).toordinal()


def month_end(year: int, month: int) -> int:
    ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
    return date(ny, nm, 1).toordinal() - 1


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + n
    return k // 12, k % 12 + 1


def is_workday(day: int) -> bool:
    return date.fromordinal(day).weekday() < 5


def iso_z(ts: int) -> str:
    """OData spelling: ``2026-03-01T02:03:04Z``."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def iso_millis_z(ts: int) -> str:
    """HubSpot spelling: ``2026-03-01T02:03:04.000Z``."""
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(ts))


def iso_utc(ts: int) -> str:
    """BambooHR spelling: ``2026-03-01T02:03:04+00:00``."""
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(ts))


def jira_ts(ts: int, offset_minutes: int) -> str:
    """Jira spelling in the acting user's offset: ``2026-03-01T10:03:04.000+0800``."""
    sign = "-" if offset_minutes < 0 else "+"
    hh, mm = divmod(abs(offset_minutes), 60)
    return (
        time.strftime("%Y-%m-%dT%H:%M:%S.000", time.gmtime(ts + offset_minutes * 60))
        + f"{sign}{hh:02d}{mm:02d}"
    )


def parse_iso(text: str) -> int:
    """Parse an ISO 8601 instant (``Z`` or an offset; a bare date means local midnight) to epoch seconds."""
    text = text.strip()
    if len(text) == 10:
        return day_start(date.fromisoformat(text).toordinal())
    dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=COMPANY_TZ)
    return int(dt.timestamp() // 1)
