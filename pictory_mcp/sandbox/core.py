"""The live sandbox object shared by middleware and routes, plus the JSON answers they share."""

from __future__ import annotations

import json as _json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from pictory_mcp.sandbox.faults import Faults, JobFault, retry_after_header
from pictory_mcp.sandbox.job_state import (
    Clock,
    Cue,
    Job,
    Project,
    RequestLog,
    SandboxJobKind,
    SandboxJobs,
)
from pictory_mcp.sandbox.sandbox_config import SandboxConfig
from pictory_mcp.sandbox.webhooks import Webhooks

API_PREFIX = "/pictoryapis"
CONTEXT_KEY = "pictory_sandbox"
BODY_KEY = "pictory_sandbox_body"  # the parsed JSON body, kept on the request by read_json
PREVIEW_SHARE = 0.5
"""Previews, transcriptions and highlights take this share of `render_seconds`."""


@dataclass
class RequestContext:
    """Per API request: who asked (key fingerprint) and which job the request created."""

    key_fp: str
    job_id: str | None = None


class Sandbox:
    """One sandbox instance: configuration, clock, jobs, faults and the request log."""

    def __init__(self, config: SandboxConfig) -> None:
        self.initial_config = config
        self.config = config
        self.clock = Clock(config.clock_speed)
        self.jobs = SandboxJobs()
        self.log = RequestLog()
        self.faults = Faults(config.seed)
        self.webhooks = Webhooks()

    def reset(self) -> None:
        self.config = self.initial_config
        self.clock.reset(self.config.clock_speed)
        self.jobs.clear()
        self.webhooks.clear()
        self.log.clear()
        self.faults.reset(self.config.seed)

    def configure(self, changes: dict[str, object]) -> SandboxConfig:
        new = self.config.updated(changes)
        if new.clock_speed != self.config.clock_speed:
            self.clock.set_speed(new.clock_speed)
        if new.seed != self.config.seed:
            self.faults.reset(new.seed)
        self.config = new
        return new

    def job_seconds(self, kind: SandboxJobKind) -> float:
        share = 1.0 if kind == "render" else PREVIEW_SHARE
        return self.config.render_seconds * share

    def create_job(
        self,
        request: Request,
        kind: SandboxJobKind,
        *,
        fault: JobFault,
        result: dict[str, Any] | None = None,
        cues: list[Cue] | None = None,
        job_id: str | None = None,
        **extra: Any,
    ) -> Job | Response:
        """Store a new job for the caller, or answer 429 when the key holds too many live jobs."""
        ctx = context(request)
        now = self.clock.now()
        wait = self.jobs.make_room(ctx.key_fp, self.config.max_jobs_per_key, now)
        if wait is not None:
            return too_many_requests(wait / self.config.clock_speed)
        job = Job(
            job_id=job_id or str(uuid.uuid4()),
            seq=self.jobs.next_seq(),
            key_fp=ctx.key_fp,
            kind=kind,
            created=now,
            created_wall=time.time(),
            duration=self.job_seconds(kind),
            root_url=root_url(request),
            outcome=fault.outcome,
            error_code=fault.error_code,
            error_message=fault.error_message,
            result=result or {},
            cues=cues or [],
            **extra,
        )
        self.jobs.add(job)
        ctx.job_id = job.job_id
        body = request.scope.get("state", {}).get(BODY_KEY)
        if isinstance(body, dict) and isinstance(body.get("webhook"), str):
            self.webhooks.register(self, job.job_id, body["webhook"], body.get("webhookInput"))
        return job

    def save_project(self, key_fp: str, storyboard: dict[str, Any]) -> str:
        stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime())
        project_id = f"{stamp}{uuid.uuid4().hex}"
        project = Project(project_id, key_fp, storyboard, time.time())
        self.jobs.add_project(project, self.config.max_jobs_per_key)
        return project_id


def sandbox_of(request: Request) -> Sandbox:
    sandbox = request.app.state.sandbox
    assert isinstance(sandbox, Sandbox)
    return sandbox


def context(request: Request) -> RequestContext:
    ctx = request.scope.get("state", {}).get(CONTEXT_KEY)
    assert isinstance(ctx, RequestContext), "API routes run behind the sandbox middleware"
    return ctx


def root_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def json(body: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(body, status_code=status, headers=headers)


def job_started(job: Job) -> Response:
    return json({"success": True, "data": {"jobId": job.job_id}})


def job_not_found(job_id: str) -> Response:
    # INFERRED shape (examples.json poll_job_not_found): 404 with the job-status envelope.
    body = {
        "job_id": job_id,
        "success": False,
        "data": {"error_code": "5000", "error_message": "JOB_NOT_FOUND"},
    }
    return json(body, 404)


def invalid_body(
    fields: list[dict[str, str]], message: str = "Request body validation failed"
) -> Response:
    return json({"code": "INVALID_REQUEST_BODY", "message": message, "fields": fields}, 400)


def invalid_request(message: str) -> Response:
    return json({"code": "INVALID_REQUEST", "message": message}, 400)


def not_found(message: str = "Not Found") -> Response:
    return json({"message": message}, 404)


def too_many_requests(retry_after_seconds: float) -> Response:
    return json(
        {"message": "Too Many Requests"},
        429,
        headers={"Retry-After": retry_after_header(retry_after_seconds)},
    )


async def read_json(request: Request) -> tuple[object, Response | None]:
    """The parsed JSON body, or the 400 answer for a body that is not JSON."""
    raw = await request.body()
    if not raw.strip():
        return None, None
    try:
        parsed = _json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None, invalid_body(
            [{"name": "body", "errors": "Request body must be valid JSON"}],
            "Request body is not valid JSON",
        )
    request.scope.setdefault("state", {})[BODY_KEY] = parsed  # a job made from it may call back
    return parsed, None
