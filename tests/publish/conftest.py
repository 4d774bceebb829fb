"""Fixtures of the publication tests: headless Chromium (see `browser`)."""

from __future__ import annotations

import pytest

from tests.publish.browser import find_chromium


@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's chromium, installed when absent; the test is skipped only when that fails."""
    return find_chromium()
