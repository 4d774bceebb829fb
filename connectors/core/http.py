"""One HTTP client and one retry policy for every source.

Retries are declared once, in the manner of urllib3's `Retry`: which statuses, honouring `Retry-After`
up to a cap, exponential backoff with jitter, a bounded number of attempts, idempotent requests only.
They live here rather than in a urllib3 adapter because a truncated body or half a JSON document only
shows once the body is read, after urllib3 has returned; one loop covers both, so nothing retries twice.
The same loop judges whether a 2xx answer can be read at all (`connectors.core.answers`): an empty body,
a login page or JSON without the records the caller expects is retried like a truncated body, then fails
the request with `UnreadableResponseError`; it is never handed on as an empty page.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.auth import AuthBase

from connectors.core.answers import Records, UnreadableAnswer, parse_body
from connectors.core.errors import (
    AuthenticationError,
    RetriesExhaustedError,
    SourceHTTPError,
    UnreadableResponseError,
    redact,
)
from connectors.settings import env_name

log = logging.getLogger(__name__)

JSON = dict[str, Any] | list[Any]


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before asking again."""

    max_attempts: int = 6
    backoff_base_s: float = 0.5
    backoff_max_s: float = 30.0
    retry_after_max_s: float = 120.0
    jitter: float = 0.2
    statuses: frozenset[int] = field(default_factory=lambda: frozenset({408, 429, 500, 502, 503, 504}))

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        if retry_after is not None:
            # The server said when; asking earlier only earns another 429. A little on top, so that the
            # streams that hit the same limit do not all come back in the same instant.
            return retry_after * (1 + self.jitter * rng.random())
        backoff = min(self.backoff_max_s, self.backoff_base_s * 2 ** (attempt - 1))
        return backoff * (1 + self.jitter * rng.random())


def parse_retry_after(value: str | None) -> float | None:
    """`Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


@dataclass
class HttpClient:
    """A keep-alive session bound to one source: base URL, auth, timeouts, retry policy."""

    source: str
    base_url: str
    auth: AuthBase | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    timeout: tuple[float, float] = (5.0, 60.0)
    options: Mapping[str, str] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()
    sleep: Callable[[float], None] = time.sleep
    _session: requests.Session = field(init=False, repr=False)
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._session = requests.Session()
        self._session.auth = self.auth
        self._session.headers.update({"Accept": "application/json", "User-Agent": "dcw-connectors/0.1"})
        self._session.headers.update(self.headers)
        self._rng = random.Random()
        self.requests_sent = 0
        self.retries = 0

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            # Next-page links come from response bodies; the session's credentials go to our host only.
            if urlsplit(path).netloc != urlsplit(self.base_url).netloc:
                raise SourceHTTPError(
                    f"refusing to follow a link to another host: {urlsplit(path).netloc}",
                    source=self.source,
                    stream=None,
                )
            return path
        return urljoin(self.base_url.rstrip("/") + "/", path.lstrip("/"))

    def get(
        self,
        path: str,
        *,
        stream: str | None = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> JSON:
        return self.request("GET", path, stream=stream, params=params, headers=headers)

    def post(
        self,
        path: str,
        *,
        stream: str | None = None,
        json_body: Any = None,
        params: Mapping[str, Any] | None = None,
        idempotent: bool = False,
    ) -> JSON:
        """POST; retried only when the caller declares it idempotent (a search, not a create)."""
        return self.request(
            "POST", path, stream=stream, params=params, json_body=json_body, idempotent=idempotent
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        stream: str | None = None,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
        records: Records | None = None,
    ) -> JSON:
        """Send, retrying transient failures per the policy, and return the parsed JSON body.

        With `records`, an answer only counts once it holds them where and as `records` says; one that
        does not is retried like a truncated body, and fails the request after the last attempt.
        """
        url = self.url(path)
        retryable = method in {"GET", "HEAD", "OPTIONS"} if idempotent is None else idempotent
        last_problem = "no attempt made"
        for attempt in range(1, self.retry.max_attempts + 1):
            retry_after: float | None = None
            unreadable: UnreadableAnswer | None = None
            try:
                self.requests_sent += 1
                response = self._session.request(
                    method, url, params=params, json=json_body, headers=headers, timeout=self.timeout
                )
                body = response.content  # reading the body is where truncation surfaces
            except requests.exceptions.SSLError as exc:
                raise SourceHTTPError(
                    f"{method} {self._describe(url)}: TLS failed ({redact(str(exc), self.secrets)})",
                    source=self.source,
                    stream=stream,
                ) from None
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,
            ) as exc:
                last_problem = redact(f"{type(exc).__name__}: {exc}", self.secrets)
            except (requests.RequestException, ValueError) as exc:
                # e.g. a header value requests refuses: its message quotes the header, credential and all.
                raise SourceHTTPError(
                    f"{method} {self._describe(url)} could not be sent: {type(exc).__name__}: "
                    f"{redact(str(exc), self.secrets)}",
                    source=self.source,
                    stream=stream,
                ) from None
            else:
                status = response.status_code
                if status in (401, 403):
                    raise AuthenticationError(
                        f"{method} {self._describe(response.url)} was refused with HTTP {status}: "
                        f"{self._excerpt(body, response.headers)}. Check the credentials in the "
                        f"DCW_{self.source.upper()}_* environment variables.",
                        source=self.source,
                        stream=stream,
                    )
                if status in self.retry.statuses:
                    retry_after = parse_retry_after(response.headers.get("Retry-After"))
                    last_problem = f"HTTP {status}: {self._excerpt(body, response.headers)}"
                    if retry_after is not None and retry_after > self.retry.retry_after_max_s:
                        # A wait that long is a quota (HubSpot's daily limit), not a blip: say so now.
                        raise RetriesExhaustedError(
                            f"{method} {self._describe(url)}: the source asks to wait {retry_after:.0f}s, "
                            f"more than the {self.retry.retry_after_max_s:.0f}s allowed; {last_problem}",
                            source=self.source,
                            stream=stream,
                        )
                elif status >= 400:
                    raise SourceHTTPError(
                        f"{method} {self._describe(response.url)} answered HTTP {status}: "
                        f"{self._excerpt(body, response.headers)}",
                        source=self.source,
                        stream=stream,
                        status=status,
                    )
                else:
                    try:
                        parsed = parse_body(body, response.headers.get("Content-Type"))
                        if records is not None:
                            records.extract(parsed)
                        return parsed
                    except UnreadableAnswer as exc:
                        # Half a JSON document is a cut connection; a login page or a body without its
                        # records may be a blip of a gateway too: asked again before it is reported.
                        unreadable = exc
                        last_problem = redact(
                            f"HTTP {status}: {exc.problem}{self._redirect(url, response.url)}",
                            self.secrets,
                        )
            if not retryable or attempt == self.retry.max_attempts:
                break
            delay = self.retry.delay(attempt, retry_after, self._rng)
            self.retries += 1
            log.warning(
                "[%s/%s] %s %s failed (%s); retry %d/%d in %.2fs",
                self.source,
                stream or "-",
                method,
                self._describe(url),
                last_problem,
                attempt,
                self.retry.max_attempts - 1,
                delay,
            )
            self.sleep(delay)
        if unreadable is not None:
            raise UnreadableResponseError(
                f"{method} {self._describe(url)} answered {redact(last_problem, self.secrets)}, "
                f"{attempt} attempt(s) in a row. Not read as an empty page: "
                + unreadable.hint.format(base_url=env_name(self.source, "base_url")),
                source=self.source,
                stream=stream,
            )
        raise RetriesExhaustedError(
            f"{method} {self._describe(url)} failed after {attempt} attempt(s); last problem: "
            f"{redact(last_problem, self.secrets)}",
            source=self.source,
            stream=stream,
        )

    def close(self) -> None:
        self._session.close()

    def _redirect(self, asked: str, answered: str) -> str:
        """Where a redirect led (a sign-in page, typically), when the answer came from elsewhere."""
        where = urlsplit(answered)
        if (where.netloc, where.path) == (urlsplit(asked).netloc, urlsplit(asked).path):
            return ""
        return f" (redirected to {self._describe(f'{where.scheme}://{where.netloc}{where.path}')})"

    def _describe(self, url: str) -> str:
        return redact(url, self.secrets)

    def _excerpt(self, body: bytes, headers: Mapping[str, str] | None = None, limit: int = 300) -> str:
        text = body[:limit].decode("utf-8", errors="replace").strip()
        if not text and headers:
            # BambooHR answers errors with an empty body and the reason in X-BambooHR-Error-Message.
            text = "; ".join(f"{k}: {v}" for k, v in headers.items() if k.lower().endswith("error-message"))
        return redact(text or "(empty body)", self.secrets)
