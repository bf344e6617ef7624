"""Fixtures for hosted mode: a loopback identity provider per test, and two hosted replicas on
a fresh PostgreSQL database (marker `poll_interval(seconds)` sets their poll interval)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.hosted.fleet import Replicas
from tests.hosted.idp import IdP, running_idp


@pytest.fixture
def idp() -> Iterator[IdP]:
    """A fresh identity provider on 127.0.0.1 (keys, switches and request log of its own)."""
    with running_idp() as provider:
        yield provider


@pytest.fixture
def replicas(
    request: pytest.FixtureRequest, idp: IdP, sandbox: Any, postgres_url: str, tmp_path: Path
) -> Iterator[Replicas]:
    marker = request.node.get_closest_marker("poll_interval")
    interval = marker.args[0] if marker else 1
    webhooks = request.node.get_closest_marker("webhooks") is not None
    pair = Replicas(idp, sandbox, postgres_url, tmp_path, poll_interval=interval, webhooks=webhooks)
    try:
        pair.start()
        yield pair
    finally:
        pair.stop()
