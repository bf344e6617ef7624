"""Video routes: storyboard preview and render, render from preview/renderParams/project, and
storyboard element updates (REFERENCE §5 #1-#6, §7)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pictory_mcp.sandbox import catalog, results, rules
from pictory_mcp.sandbox.core import (
    Sandbox,
    context,
    invalid_body,
    invalid_request,
    job_not_found,
    job_started,
    json,
    read_json,
    sandbox_of,
)
from pictory_mcp.sandbox.faults import JobFault
from pictory_mcp.sandbox.job_state import Job, SandboxJobKind

FAIL_CODE = "TEXT_TO_VIDEO_FAILED"


def _storyboard_fault(sb: Sandbox, body: dict[str, Any]) -> JobFault | Response:
    """How a storyboard job will end: request-caused failures first, then injected faults."""
    cfg = sb.config
    bad = [(p, s) for p, s in results.speakers_in(body) if catalog.resolve_speaker(s) is None]
    if bad and cfg.invalid_voice_mode == "sync":
        fields = [{"name": p, "errors": f"The AI voice speaker [{s}] is invalid"} for p, s in bad]
        return invalid_body(fields, "Invalid voice")
    if bad:
        message = (
            f"The AI voice speaker [{bad[0][1]}] is invalid. Please provide a valid voice name."
        )
        return JobFault("fail", FAIL_CODE, message)
    url = results.unreachable_source(body, cfg.unreachable_urls)
    if url is not None:
        message = f"Unable to read content from [{url}]. Make sure the page is public."
        return JobFault("fail", FAIL_CODE, message)
    for n, scene in enumerate(body.get("scenes") or [], 1):
        search = (
            (scene.get("background") or {}).get("searchFilter") if isinstance(scene, dict) else None
        )
        query = search.get("query") if isinstance(search, dict) else None
        if isinstance(query, str) and not catalog.media_query_has_results(query):
            message = f"No background visual could be found for scene {n}."
            return JobFault("fail", "SCENE_BACKGROUND_VISUAL_NOT_FOUND", message)
    template_id = body.get("templateId")
    if isinstance(template_id, str) and catalog.template(template_id) is None:
        return JobFault("fail", FAIL_CODE, f"The template [{template_id}] was not found.")
    return sb.faults.for_job(cfg)


async def _storyboard(request: Request, kind: SandboxJobKind) -> Response:
    sb = sandbox_of(request)
    body, error = await read_json(request)
    if error is not None:
        return error
    fields = rules.validate_storyboard(body)
    rejection = sb.faults.take_rejection() if not fields else None
    if rejection is not None:
        fields = [rejection]
    if fields:
        return invalid_body(fields)
    assert isinstance(body, dict)
    fault = _storyboard_fault(sb, body)
    if isinstance(fault, Response):
        return fault
    plan = results.plan_storyboard(body, catalog.template)
    job = sb.create_job(request, kind, fault=fault, cues=plan.cues, storyboard=body)
    if isinstance(job, Response):
        return job
    project_id = None
    if body.get("saveProject") is True and fault.outcome == "complete":
        project_id = sb.save_project(job.key_fp, body)
    job.project_id = project_id
    if kind == "preview":
        job.result = results.preview_result(job.job_id, job.root_url, body, plan, project_id)
    else:
        job.result = results.render_result(job.job_id, job.root_url, plan, project_id)
        job.result.update(results.destination_results(body, job.job_id))
    return job_started(job)


async def create_preview(request: Request) -> Response:
    return await _storyboard(request, "preview")


async def render_storyboard(request: Request) -> Response:
    return await _storyboard(request, "render")


def _completed_preview(sb: Sandbox, request: Request, job_id: str) -> Job | Response:
    job = sb.jobs.get(context(request).key_fp, job_id)
    if job is None:
        return job_not_found(job_id)
    if job.kind != "preview" or job.status(sb.clock.now()) != "completed":
        # INFERRED: the docs only say the preview must be completed; 400 is our reading.
        return invalid_request(f"Job {job_id} is not a completed storyboard preview")
    return job


def _render_plan(
    sb: Sandbox, request: Request, plan: results.Plan, project_id: str | None
) -> Response:
    job = sb.create_job(request, "render", fault=sb.faults.for_job(sb.config), cues=plan.cues)
    if isinstance(job, Response):
        return job
    job.project_id = project_id
    job.result = results.render_result(job.job_id, job.root_url, plan, project_id)
    return job_started(job)


async def render_from_preview(request: Request) -> Response:
    sb = sandbox_of(request)
    _, error = await read_json(request)
    if error is not None:
        return error
    preview = _completed_preview(sb, request, request.path_params["job_id"])
    if isinstance(preview, Response):
        return preview
    plan = results.plan_render_params(preview.result["renderParams"])
    plan.ai_credits = results.plan_storyboard(preview.storyboard or {}).ai_credits
    return _render_plan(sb, request, plan, preview.project_id)


async def render_video(request: Request) -> Response:
    sb = sandbox_of(request)
    body, error = await read_json(request)
    if error is not None:
        return error
    fields = rules.validate_render_params(body)
    if fields:
        return invalid_body(fields)
    assert isinstance(body, dict)
    return _render_plan(sb, request, results.plan_render_params(body), None)


async def update_elements(request: Request) -> Response:
    sb = sandbox_of(request)
    body, error = await read_json(request)
    if error is not None:
        return error
    fields = rules.validate_storyboard_elements(body)
    if fields:
        return invalid_body(fields)
    preview = _completed_preview(sb, request, request.path_params["job_id"])
    if isinstance(preview, Response):
        return preview
    elements: list[dict[str, Any]] = preview.result["renderParams"]["elements"]
    by_id = {e.get("id"): e for e in elements}
    changes = body if isinstance(body, list) else []
    # INFERRED: an element keeps its kind; a change naming another elementType is refused whole.
    mismatched = [
        {
            "name": f"[{i}].elementType",
            "errors": f"Element {c['id']} is a {by_id[c['id']].get('elementType')}",
        }
        for i, c in enumerate(changes)
        if c["id"] in by_id and c["elementType"] != by_id[c["id"]].get("elementType")
    ]
    if mismatched:
        return invalid_body(mismatched)
    for change in changes:
        if isinstance(change, dict) and change.get("id") in by_id:
            by_id[change["id"]].update(change)
        elif isinstance(change, dict):
            elements.append(dict(change))
    preview.cues = results.plan_render_params(preview.result["renderParams"]).cues
    return Response(status_code=204)


async def render_project(request: Request) -> Response:
    sb = sandbox_of(request)
    project_id = request.path_params["project_id"]
    project = sb.jobs.get_project(context(request).key_fp, project_id)
    if project is None:
        # INFERRED body: the docs give no shape for an unknown project.
        return json({"success": False, "message": "Project not found"}, 404)
    plan = results.plan_storyboard(project.storyboard, catalog.template)
    return _render_plan(sb, request, plan, project.project_id)


ROUTES = [
    Route("/v2/video/storyboard", create_preview, methods=["POST"]),
    Route("/v2/video/storyboard/render", render_storyboard, methods=["POST"]),
    Route("/v2/video/storyboard/{job_id}/elements", update_elements, methods=["PUT"]),
    Route("/v2/video/render/{job_id}", render_from_preview, methods=["PUT"]),
    Route("/v2/video/render", render_video, methods=["POST"]),
    Route("/v2/projects/{project_id}/render", render_project, methods=["POST"]),
]
