"""Fixtures of the client's tests against the sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests._helpers import Control


@pytest.fixture
async def control(sandbox: Any) -> AsyncIterator[Control]:
    """The sandbox's control API, with a one-route filter on its request log."""
    async with Control(sandbox.root_url) as c:
        yield c
