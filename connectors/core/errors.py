"""Errors that name the source, stream and request, and never carry a secret."""

from __future__ import annotations

from collections.abc import Iterable

_REDACTED = "***"


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every secret value in `text`; a last line of defence for messages built from responses."""
    for secret in sorted((s for s in secrets if s and len(s) >= 4), key=len, reverse=True):
        # also as Python prints it inside a repr or bytes (escaped), where the plain form does not match
        for form in {secret, secret.encode("unicode_escape").decode("ascii")}:
            text = text.replace(form, _REDACTED)
    return text


class ConnectorError(Exception):
    """Base class: a failure while reading a source, with enough context to act on it."""

    def __init__(self, message: str, *, source: str, stream: str | None = None) -> None:
        self.source = source
        self.stream = stream
        where = f"{source}/{stream}" if stream else source
        super().__init__(f"[{where}] {message}")


class AuthenticationError(ConnectorError):
    """The API rejected the credentials: retrying cannot help, fixing the configuration can."""


class SourceHTTPError(ConnectorError):
    """A response the connector cannot use (4xx other than 401/403/429, or a malformed body)."""

    def __init__(self, message: str, *, source: str, stream: str | None, status: int | None = None) -> None:
        self.status = status
        super().__init__(message, source=source, stream=stream)


class RetriesExhaustedError(ConnectorError):
    """Transient failures (429, 5xx, timeouts, truncated bodies) outlasted the retry policy."""


class UnreadableResponseError(ConnectorError):
    """A 2xx answer that holds no readable records (empty, not JSON, records missing or mistyped), after
    the retries: never read as an empty page, so nothing moves, lands or is marked deleted on it."""


# What a paging error tells the user to do; the pages before it were read correctly and are kept.
RERUN_OR_REPORT = (
    "Nothing was marked deleted on this read; rerun later, and if it persists report it to the vendor"
)


class PagingError(ConnectorError):
    """Paging that would not end (a token, link or position sent again, records past the reported total,
    the same page again, more pages than any real read has): the read stops instead of looping."""


class MassDeletionError(ConnectorError):
    """A read that would mark more of a stream's live keys deleted than the configured share: nothing
    was marked; a real mass deletion is accepted per stream (`DCW_ACCEPT_DELETES`, `--accept-deletes`)."""
