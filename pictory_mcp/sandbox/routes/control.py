"""The control API under /__sandbox (loopback only, never authenticated): reset, config,
request log, clock, one-shot faults, and job and webhook listings for assertions."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pictory_mcp.sandbox.core import json, read_json, sandbox_of


def _bad(message: str) -> Response:
    return json({"message": message}, 400)


async def reset(request: Request) -> Response:
    sb = sandbox_of(request)
    sb.reset()
    return json({"config": sb.config.to_json()})


async def get_config(request: Request) -> Response:
    return json(sandbox_of(request).config.to_json())


async def patch_config(request: Request) -> Response:
    sb = sandbox_of(request)
    body, error = await read_json(request)
    if error is not None:
        return error
    if not isinstance(body, dict):
        return _bad("expected a JSON object of SandboxConfig fields")
    try:
        config = sb.configure(body)
    except (ValueError, TypeError) as exc:
        return _bad(str(exc))
    return json(config.to_json())


async def requests(request: Request) -> Response:
    sb = sandbox_of(request)
    method = request.query_params.get("method")
    prefix = request.query_params.get("path_prefix")
    entries = [
        e
        for e in sb.log
        if (method is None or e["method"] == method.upper())
        and (prefix is None or e["path"].startswith(prefix))
    ]
    return json({"requests": entries})


async def advance_clock(request: Request) -> Response:
    sb = sandbox_of(request)
    body, error = await read_json(request)
    if error is not None:
        return error
    seconds = body.get("seconds") if isinstance(body, dict) else None
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds < 0:
        return _bad("seconds must be a number >= 0")
    return json({"now": sb.clock.advance(float(seconds))})


async def faults(request: Request) -> Response:
    sb = sandbox_of(request)
    body, error = await read_json(request)
    if error is not None:
        return error
    if not isinstance(body, dict):
        return _bad("expected a JSON object of one-shot faults")
    try:
        sb.faults.arm(body)
    except ValueError as exc:
        return _bad(str(exc))
    return json({"pending": sb.faults.pending.to_json()})


async def get_faults(request: Request) -> Response:
    return json({"pending": sandbox_of(request).faults.pending.to_json()})


async def jobs(request: Request) -> Response:
    sb = sandbox_of(request)
    now = sb.clock.now()
    listing = [
        {
            "job_id": j.job_id,
            "key": j.key_fp,
            "kind": j.kind,
            "created": j.created_wall,
            "status": j.status(now),
            "outcome": j.outcome,
            "project_id": j.project_id,
        }
        for j in sb.jobs.all()
    ]
    return json({"jobs": listing, "now": now})


async def webhooks(request: Request) -> Response:
    """Every webhook call the sandbox made or chose not to make (`outcome: dropped`)."""
    hooks = sandbox_of(request).webhooks
    return json({"webhooks": [dict(e) for e in hooks.log], "pending": sorted(hooks.pending)})


ROUTES = [
    Route("/__sandbox/reset", reset, methods=["POST"]),
    Route("/__sandbox/config", get_config, methods=["GET"]),
    Route("/__sandbox/config", patch_config, methods=["PATCH"]),
    Route("/__sandbox/requests", requests, methods=["GET"]),
    Route("/__sandbox/clock/advance", advance_clock, methods=["POST"]),
    Route("/__sandbox/faults", faults, methods=["POST"]),
    Route("/__sandbox/faults", get_faults, methods=["GET"]),
    Route("/__sandbox/jobs", jobs, methods=["GET"]),
    Route("/__sandbox/webhooks", webhooks, methods=["GET"]),
]
