"""HTTP routes of the sandbox, one module per API area plus the control API and asset files."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount

from pictory_mcp.sandbox.core import API_PREFIX
from pictory_mcp.sandbox.routes import (
    account,
    assets,
    control,
    jobs,
    library,
    transcription,
    video,
)


def all_routes() -> list[BaseRoute]:
    api = [
        *video.ROUTES,
        *jobs.ROUTES,
        *transcription.ROUTES,
        *library.ROUTES,
        *account.ROUTES,
    ]
    return [Mount(API_PREFIX, routes=api), *control.ROUTES, *assets.ROUTES]
