"""Tools that make a video from something published: an article, a PowerPoint, a template."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from mcp.server.mcpserver import Context
from pydantic import Field, WithJsonSchema

from pictory_mcp.errors import InputError, NotFoundError
from pictory_mcp.server.estimates import template_length
from pictory_mcp.server.outputs import JobView
from pictory_mcp.server.state import AppState
from pictory_mcp.server.tools._arguments import OptionsArg, PreviewArg, UrlArg
from pictory_mcp.server.tools._assembly import apply_options
from pictory_mcp.server.tools._base import ToolSpec, app_state
from pictory_mcp.server.tools._options import SharedOptions, check_language
from pictory_mcp.server.tools._submit import (
    MAX_URL,
    check_url,
    name_from_url,
    spend_of,
    submit,
    validate_storyboard,
    video_name_from,
)

VariableValue = str | int | float | bool


async def _submit_url_scene(
    state: AppState,
    url: str,
    scene: dict[str, Any],
    options: SharedOptions | None,
    *,
    preview: bool,
    summary: dict[str, Any],
) -> JobView:
    """One scene made from a public URL (article or PowerPoint), with the shared options."""
    given = options or SharedOptions()
    name = video_name_from(name_from_url(url), given.video_name)
    applied = await apply_options(state, given.to_video_options())
    top_level = {"url", "ppt_url", "use_speaker_notes", "preview"}
    body = {"videoName": name, **applied.payload, "scenes": [scene]}
    payload = validate_storyboard(body, top_level)
    summary = {"video_name": name, **applied.summary, **summary, "preview": preview}
    return await submit(
        state,
        payload,
        preview=preview,
        summary=summary,
        top_level=top_level,
        notes=applied.notes,
    )


async def create_video_from_article(
    ctx: Context,
    url: UrlArg,
    preview: PreviewArg = False,
    options: OptionsArg = None,
) -> JobView:
    """Public blog post or article URL → narrated video. Spends credits (no cancel) unless preview=true."""
    url = check_url(url, "url")
    return await _submit_url_scene(
        app_state(ctx), url, {"blogUrl": url}, options, preview=preview, summary={"url": url}
    )


async def create_video_from_presentation(
    ctx: Context,
    ppt_url: Annotated[str, Field(max_length=MAX_URL, description="Public .pptx URL")],
    use_speaker_notes: Annotated[bool, Field(description="Narrate notes, not slide text")] = False,
    preview: PreviewArg = False,
    options: OptionsArg = None,
) -> JobView:
    """Public PowerPoint (.pptx) URL → narrated video. Spends credits (no cancel) unless preview=true."""
    url = check_url(ppt_url, "ppt_url")
    scene = {"pptUrl": url, "useSpeakerNotes": use_speaker_notes}
    summary = {"ppt_url": url, "use_speaker_notes": use_speaker_notes}
    return await _submit_url_scene(
        app_state(ctx), url, scene, options, preview=preview, summary=summary
    )


async def _template(state: AppState, template_id: str) -> Any:
    client = state.require_client()
    try:
        return await client.get_template(template_id)
    except NotFoundError:
        listed = await state.lookup("templates", client.list_templates)
        known = ", ".join(f"'{t.name}' ({t.template_id})" for t in listed[:8]) or "none"
        raise InputError(
            f"Unknown template_id '{template_id}'. Templates on this account: {known}."
        ) from None


def _check_variables(template: Any, variables: dict[str, VariableValue]) -> None:
    declared = [str(k) for k in template.variables]
    missing = [k for k in declared if k not in variables]
    unknown = [k for k in variables if k not in declared]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown {', '.join(unknown)}")
        raise InputError(
            f"Template '{template.name}' variables: {'; '.join(parts)}. "
            f"Give exactly: {', '.join(declared) or 'no variables'}."
        )


async def create_video_from_template(
    ctx: Context,
    template_id: Annotated[str, Field(min_length=1, max_length=100)],
    variables: Annotated[
        dict[str, VariableValue],
        WithJsonSchema({"type": "object", "description": "Variable name → text or number"}),
    ],
    preview: PreviewArg = False,
    options: OptionsArg = None,
) -> JobView:
    """Render a saved template with its variables; unset options keep the template's. Spends credits (no cancel) unless preview=true."""
    state = app_state(ctx)
    template = await _template(state, template_id.strip())
    _check_variables(template, variables)
    given = options or SharedOptions()
    if given.language is not None:
        check_language(given.language)
    applied = await apply_options(state, given.to_video_options(keep_template=True))
    name = video_name_from(str(template.name or "Template video"), given.video_name)
    top_level = {"template_id", "variables", "preview"}
    payload = validate_storyboard(
        {
            "videoName": name,
            "templateId": str(template.template_id or template_id),
            "variables": dict(variables),
            **applied.payload,
        },
        top_level,
    )
    summary: dict[str, Any] = {
        "video_name": name,
        "template": template.name,
        **applied.summary,
        "variables": sorted(variables),
        "preview": preview,
    }
    voice_over = payload.get("voiceOver") or template.voice_over or {}
    voices = [v for v in voice_over.get("aiVoices") or [] if isinstance(v, dict)]
    speeds = [float(v.get("speed") or 100) for v in voices]
    length = template_length(
        template.scenes,
        variables,
        template.variables,
        sum(speeds) / len(speeds) if speeds else None,
    )
    view = await submit(
        state,
        payload,
        preview=preview,
        summary=summary,
        top_level=top_level,
        notes=applied.notes,
        spend=replace(spend_of(payload), length=length),
    )
    if template.deprecated:
        view.detail(warning="This template is deprecated; prefer a current one.")
    return view


TOOLS = [
    ToolSpec(create_video_from_article, "Create video from article", read_only=False),
    ToolSpec(create_video_from_presentation, "Create video from PowerPoint", read_only=False),
    ToolSpec(create_video_from_template, "Create video from template", read_only=False),
]
