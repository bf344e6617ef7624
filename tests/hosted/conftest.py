"""Fixtures for hosted mode's building blocks: a loopback identity provider per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.hosted.idp import IdP, running_idp


@pytest.fixture
def idp() -> Iterator[IdP]:
    """A fresh identity provider on 127.0.0.1 (keys, switches and request log of its own)."""
    with running_idp() as provider:
        yield provider
