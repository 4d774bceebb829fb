"""The three ways the supported APIs authenticate, as `requests` auth objects that never print a secret."""

from __future__ import annotations

import requests
from requests.auth import AuthBase, HTTPBasicAuth


class BasicAuth(HTTPBasicAuth):
    """HTTP basic: Jira (email + API token), BambooHR (API key as user name), SAP (user + password)."""

    def __repr__(self) -> str:
        return "BasicAuth(***)"


class BearerAuth(AuthBase):
    """`Authorization: Bearer <token>`: HubSpot private apps, OData services behind OAuth."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:
        return "BearerAuth(***)"


class ApiKeyHeaderAuth(AuthBase):
    """An API key in a named header (`X-API-Key: ...`), as many smaller SaaS APIs do."""

    def __init__(self, key: str, header: str = "X-API-Key") -> None:
        self._key = key
        self._header = header

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers[self._header] = self._key
        return request

    def __repr__(self) -> str:
        return f"ApiKeyHeaderAuth(header={self._header!r}, key=***)"
