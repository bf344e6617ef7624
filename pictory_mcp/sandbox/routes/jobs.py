"""Job routes: GET /v1/jobs/{id} (the job-status envelope) and GET /v1/jobs (newest first,
paged with an opaque `nextPageKey`)."""

from __future__ import annotations

import base64
import binascii
import json as _json

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pictory_mcp.sandbox.core import context, invalid_request, job_not_found, json, sandbox_of

PAGE_SIZE = 20
"""INFERRED: the docs do not state the page size of GET /v1/jobs."""


def _encode_cursor(seq: int) -> str:
    raw = _json.dumps({"before": seq}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(token: str) -> int | None:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        value = _json.loads(raw)["before"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


async def get_job(request: Request) -> Response:
    sb = sandbox_of(request)
    job_id = request.path_params["job_id"]
    job = sb.jobs.get(context(request).key_fp, job_id)
    if job is None:
        return job_not_found(job_id)
    success, data = job.data(sb.clock.now())
    return json({"job_id": job.job_id, "success": success, "data": data})


async def list_jobs(request: Request) -> Response:
    sb = sandbox_of(request)
    jobs = sb.jobs.for_key(context(request).key_fp)
    token = request.query_params.get("nextPageKey")
    if token:
        before = _decode_cursor(token)
        if before is None:
            return invalid_request("nextPageKey is not a valid page key")
        jobs = [j for j in jobs if j.seq < before]
    page, rest = jobs[:PAGE_SIZE], jobs[PAGE_SIZE:]
    now = sb.clock.now()
    items = []
    for job in page:
        success, data = job.data(now)
        items.append({"success": success, "data": {**data, "jobId": job.job_id}})
    next_key = _encode_cursor(page[-1].seq) if rest else None
    return json({"items": items, "nextPageKey": next_key})


ROUTES = [
    Route("/v1/jobs", list_jobs, methods=["GET"]),
    Route("/v1/jobs/{job_id}", get_job, methods=["GET"]),
]
