"""A source: one system, how to reach it, and the streams it offers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from connectors.core.http import HttpClient, RetryPolicy
from connectors.core.streams import Stream
from connectors.settings import SourceSettings


@dataclass(frozen=True)
class Source:
    """Declared once per system in `connectors/sources/<name>.py`.

    ``credentials`` lists the ways to authenticate, each a set of secrets that together suffice: BambooHR
    takes `(("api_key",),)`; an OData service `(("token",), ("username", "password"))`, a token or a
    user name with its password. What a deployment must set, and what the refusal of a partial one
    names, is derived from it.
    """

    name: str
    product: str
    option_keys: tuple[str, ...]
    credentials: tuple[tuple[str, ...], ...]
    client: Callable[[SourceSettings], HttpClient]
    streams: tuple[Stream, ...]

    @property
    def secret_keys(self) -> tuple[str, ...]:
        """Every secret any way of authenticating uses, in declared order."""
        return tuple(dict.fromkeys(key for keys in self.credentials for key in keys))

    def stream(self, name: str) -> Stream:
        for stream in self.streams:
            if stream.name == name:
                return stream
        known = ", ".join(s.name for s in self.streams)
        raise KeyError(f"{self.name}: no stream '{name}' (streams: {known})")

    def connect(self, settings: SourceSettings, retry: RetryPolicy | None = None) -> HttpClient:
        """A client for this source; a missing credential fails here, naming the variable to set."""
        try:
            client = self.client(settings)
        except KeyError as exc:
            raise ValueError(f"{self.name} ({self.product}): {exc.args[0]}") from None
        if retry is not None:
            client.retry = retry
        return client
