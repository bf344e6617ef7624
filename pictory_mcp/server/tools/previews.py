"""Preview-first tools: read a completed storyboard preview's scenes compactly, and change a
scene's text or visual (Pictory's storyboard element update) before render_preview spends credits.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from mcp.server.mcpserver import Context
from pydantic import Field

from pictory_mcp.errors import InputError, NotFoundError, PictoryMCPError
from pictory_mcp.server.failures import UnknownJobError
from pictory_mcp.server.jobview import as_number, build_view, job_data
from pictory_mcp.server.outputs import Page
from pictory_mcp.server.phrasing import RENDER_TIME
from pictory_mcp.server.state import AppState
from pictory_mcp.server.tools._base import ToolSpec, app_state
from pictory_mcp.server.tools._submit import JOB_ID, MAX_URL, check_url, has_words
from pictory_mcp.server.uris import STORYBOARD_VIEW

MAX_TEXT = 2000
SHOWN_CHARS = 200
_ID = re.compile(r"^(backgroundElement|SceneText)_(\d+)$")
_IMAGE_EXT = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".svg")
_VIDEO_EXT = (".mp4", ".mov", ".webm", ".m4v", ".avi", ".mkv")

VisualType = Literal["video", "image"]
Scenes = dict[int, dict[str, dict[str, Any]]]


def _short(value: str, limit: int | None = SHOWN_CHARS) -> str:
    return value if limit is None or len(value) <= limit else value[: limit - 1] + "…"


def scenes_of(render_params: object) -> Scenes:
    """Scene number -> its elements by kind, from ids backgroundElement_n / SceneText_n."""
    found: Scenes = {}
    elements = render_params.get("elements") if isinstance(render_params, dict) else None
    for element in elements if isinstance(elements, list) else []:
        match = _ID.match(str(element.get("id", ""))) if isinstance(element, dict) else None
        if match and isinstance(element, dict):
            found.setdefault(int(match.group(2)), {})[match.group(1)] = element
    return dict(sorted(found.items()))


def compact(
    number: int, parts: dict[str, dict[str, Any]], *, shown: int | None = SHOWN_CHARS
) -> dict[str, Any]:
    """One scene as the agent sees it: text, visual, timing (nothing else); texts and URLs cut
    at `shown` characters (None: in full, as the storyboard view edits them)."""
    background = parts.get("backgroundElement", {})
    caption = parts.get("SceneText", {})
    scene: dict[str, Any] = {"scene": number}
    if isinstance(caption.get("text"), str):
        scene["text"] = _short(caption["text"], shown)
    if isinstance(background.get("url"), str):
        scene["visual"] = _short(background["url"], shown)
    if isinstance(background.get("type"), str):
        scene["visual_type"] = background["type"]
    start, duration = (
        as_number(background.get(k, caption.get(k))) for k in ("startTime", "duration")
    )
    if start is not None:
        scene["start"] = round(start, 2)
    if duration is not None:
        scene["duration"] = round(duration, 2)
    return scene


def preview_seconds(scenes: Scenes) -> float:
    """How long the preview plays: the end of its last timed element, in seconds."""
    ends = [
        (as_number(e.get("startTime")) or 0.0) + (as_number(e.get("duration")) or 0.0)
        for parts in scenes.values()
        for e in parts.values()
    ]
    return round(max(ends, default=0.0), 1)


def _range(scenes: Scenes) -> str:
    numbers = list(scenes)
    return f"{numbers[0]}-{numbers[-1]}" if len(numbers) > 1 else str(numbers[0])


async def completed_preview(state: AppState, job_id: str, then: str) -> dict[str, Any]:
    """The `data` of a completed preview job, or a refusal that says what to do instead."""
    client = state.require_client()
    try:
        data = job_data(await client.get_job(job_id))
    except NotFoundError:
        raise UnknownJobError(job_id, wanted="the job_id of a preview=true call") from None
    view = build_view(job_id, data, kind="preview", poll_interval=state.settings.poll_interval)
    if view.status == "in-progress":
        raise InputError(
            f"Preview {job_id} is still being made. Call wait_for_job(job_id) until it "
            f"completes ({RENDER_TIME}), then {then}."
        )
    if view.status == "failed" and view.error is not None:
        raise InputError(f"Preview {job_id} failed: {view.error.message}. {view.error.fix}")
    if view.status != "completed":
        raise InputError(f"Preview {job_id} is {view.status}. {view.next_step}")
    if not isinstance(data.get("renderParams"), dict):
        raise InputError(
            f"Job {job_id} is not a storyboard preview (it has no scenes to edit). Make one with "
            "create_video_from_text(preview=true); for a finished video use check_job."
        )
    return data


async def get_preview(
    ctx: Context,
    job_id: Annotated[str, Field(pattern=JOB_ID)],
    offset: Annotated[int, Field(ge=0)] = 0,
    limit: Annotated[int, Field(ge=1, le=50)] = 10,
) -> Page:
    """Show a completed storyboard preview's scenes: text, visual, timing. Review before render_preview."""
    state = app_state(ctx)
    data = await completed_preview(state, job_id, "get_preview")
    scenes = scenes_of(data["renderParams"])
    total = len(scenes)
    if total and offset >= total:
        raise InputError(f"offset {offset} is past the last scene; use 0-{total - 1}.")
    shown = list(scenes.items())[offset : offset + limit]
    more = offset + limit < total
    url = data.get("preview")
    where = f" at {url}" if isinstance(url, str) and url else ""
    if not total:
        return Page(
            items=[],
            total=0,
            next_step=f"Preview{where} has no editable scenes; render_preview(job_id) renders it as is.",
        )
    step = (
        f"Preview{where}: {total} scenes, {preview_seconds(scenes):g} s. "
        f"{f'More: offset={offset + limit}. ' if more else ''}"
        "Change a scene with update_preview_scene; render_preview(job_id) renders (spends credits)."
    )
    return Page(
        items=[compact(n, parts) for n, parts in shown],
        total=total,
        next_offset=offset + limit if more else None,
        next_step=step,
    )


# Pictory narrates a scene from its text, so an edited text is what the render's voice-over says.
_REVOICED = "; its voice-over will read the new text"


def _visual_type(url: str, given: VisualType | None, current: object) -> str:
    if given is not None:
        return given
    path = urlsplit(url).path.lower()
    if path.endswith(_IMAGE_EXT):
        return "image"
    if path.endswith(_VIDEO_EXT):
        return "video"
    raise InputError(
        "Cannot tell from visual_url whether it is an image or a video; "
        f"pass visual_type 'image' or 'video' (the scene's visual is now {current or 'unknown'})."
    )


async def update_preview_scene(
    ctx: Context,
    job_id: Annotated[str, Field(pattern=JOB_ID)],
    scene: Annotated[int, Field(ge=1, description="From get_preview")],
    text: Annotated[
        str | None, Field(min_length=1, max_length=MAX_TEXT, description="New subtitle text")
    ] = None,
    visual_url: Annotated[
        str | None, Field(max_length=MAX_URL, description="Image or video URL")
    ] = None,
    visual_type: VisualType | None = None,
) -> Page:
    """Replace one preview scene's subtitle text (re-narrated) and/or background visual. Then render_preview."""
    state = app_state(ctx)
    new_text = text.strip() if text is not None else None
    if text is not None and not has_words(text):
        raise InputError(
            "text is blank (no words, only spaces, punctuation or invisible characters): give "
            "the new subtitle text, or leave text out."
        )
    if visual_type is not None and visual_url is None:
        raise InputError("visual_type describes visual_url: pass visual_url too.")
    if new_text is None and visual_url is None:
        raise InputError("Nothing to change: pass text and/or visual_url.")
    url = check_url(visual_url, "visual_url") if visual_url is not None else None
    data = await completed_preview(state, job_id, "update_preview_scene")
    scenes = scenes_of(data["renderParams"])
    if not scenes:
        raise InputError(f"Preview {job_id} has no editable scenes; render it as is.")
    if scene not in scenes:
        raise InputError(
            f"Preview {job_id} has no scene {scene}; valid scenes are {_range(scenes)} "
            "(see get_preview)."
        )
    parts = scenes[scene]
    changes: list[dict[str, Any]] = []
    if new_text is not None:
        if "SceneText" not in parts:
            raise InputError(
                f"Scene {scene} shows no subtitle text, so its text cannot be set; "
                "change its visual_url instead, or pick another scene."
            )
        # The whole element goes back, changed: correct whether Pictory merges or replaces.
        changes.append({**parts["SceneText"], "text": new_text})
    if url is not None:
        if "backgroundElement" not in parts:
            raise InputError(f"Scene {scene} has no background visual to replace.")
        current = parts["backgroundElement"]
        kind = _visual_type(url, visual_type, current.get("type"))
        changes.append({**current, "url": url, "type": kind})
    client = state.require_client()
    await client.update_storyboard_elements(job_id, changes)
    # Read it back so the answer shows what Pictory now holds, not what was asked for; the edit
    # is already made, so a failed read-back falls back to the elements that were sent.
    try:
        after = scenes_of(job_data(await client.get_job(job_id)).get("renderParams"))
    except PictoryMCPError:
        after = {**scenes, scene: {**parts, **{c["elementType"]: c for c in changes}}}
    shown = compact(scene, after.get(scene, parts))
    return Page(
        items=[shown],
        total=len(after) or len(scenes),
        next_step=(
            f"Scene {scene} updated{_REVOICED if new_text is not None else ''}. Review with "
            "get_preview; when the user is happy, render_preview(job_id) renders it (spends credits)."
        ),
    )


TOOLS = [
    ToolSpec(
        get_preview,
        "Show a preview's scenes",
        read_only=True,
        idempotent=True,
        view=STORYBOARD_VIEW,
    ),
    ToolSpec(
        update_preview_scene,
        "Edit a preview scene",
        read_only=False,
        idempotent=True,
        destructive=True,
    ),
]
