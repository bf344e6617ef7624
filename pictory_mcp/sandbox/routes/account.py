"""The account's quota (REFERENCE §17): `GET /v1/quota`, whose video minutes follow the key's
own renders, so a client checking before it spends sees what earlier renders used."""

from __future__ import annotations

from http import HTTPStatus

import anyio
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pictory_mcp.sandbox import catalog
from pictory_mcp.sandbox.core import Sandbox, context, json, sandbox_of


def rendered_minutes(sandbox: Sandbox, key_fp: str) -> float:
    """Video minutes of the key's completed renders (each its `videoDuration`)."""
    now = sandbox.clock.now()
    seconds = 0.0
    for job in sandbox.jobs.for_key(key_fp):
        duration = job.result.get("videoDuration")
        if isinstance(duration, bool) or not isinstance(duration, int | float):
            continue
        if job.kind == "render" and job.status(now) == "completed":
            seconds += float(duration)
    return seconds / 60.0


async def quota(request: Request) -> Response:
    sandbox = sandbox_of(request)
    config = sandbox.config
    if config.quota_latency_ms:
        await anyio.sleep(config.quota_latency_ms / 1000)
    if config.quota_status is not None:
        status = config.quota_status
        phrase = HTTPStatus(status).phrase if status in set(HTTPStatus) else "Error"
        return json({"message": phrase}, status)
    body = catalog.quota()
    used = config.video_minutes_used + rendered_minutes(sandbox, context(request).key_fp)
    body["videoMinutes"] = {"used": round(used, 2), "limit": config.video_minutes_limit}
    return json(body)


ROUTES = [Route("/v1/quota", quota, methods=["GET"])]
