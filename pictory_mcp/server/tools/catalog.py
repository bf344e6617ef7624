"""Catalogue and account tools: brands, styles, layouts, templates, avatars, music facets,
connections, music and stock search, and the account quota; all compact and paged."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from pydantic import Field

from pictory_mcp.api import PictoryClient
from pictory_mcp.errors import InputError, NotFoundError
from pictory_mcp.server.failures import tool_errors
from pictory_mcp.server.outputs import Page
from pictory_mcp.server.state import AppState
from pictory_mcp.server.tools._base import ToolSpec, app_state
from pictory_mcp.server.tools._paging import close_values, matches, one_of, page_of

Kind = Literal[
    "brands",
    "text_styles",
    "smart_layouts",
    "templates",
    "avatars",
    "music_moods",
    "music_genres",
    "music_purposes",
    "aws_connections",
    "vimeo_connections",
]
# Paged upstream lists are read to the end, but never past this many pages.
MAX_UPSTREAM_PAGES = 20
MUSIC_PAGE_SIZE = 100  # the largest page Pictory serves; search_music pages within it
SCENE_TEXT_CHARS = 140
MAX_TEMPLATE_SCENES = 20
LOW_QUOTA_SHARE = 0.10


async def _all_pages(fetch_page: Callable[[str | None], Awaitable[Any]]) -> list[Any]:
    items: list[Any] = []
    key: str | None = None
    for _ in range(MAX_UPSTREAM_PAGES):
        page = await fetch_page(key)
        items.extend(page.items)
        key = page.next_page_key
        if not key:
            break
    return items


def _fetcher(client: PictoryClient, kind: str) -> Callable[[], Awaitable[list[Any]]]:
    """How to fetch `kind`. The cache keys (and model lists) match what other toolsets read:
    'brands' and 'text_styles' hold the client's Brand / TextStyle lists."""
    if kind.startswith("music_"):
        facet: Any = kind.removeprefix("music_")

        async def facet_values() -> list[Any]:
            return await client.music_facet(facet)

        return facet_values
    if kind == "avatars":
        return lambda: _all_pages(lambda key: client.list_avatars(key))
    if kind == "vimeo_connections":
        return lambda: _all_pages(lambda key: client.list_vimeo_connections(key))
    fetchers: dict[str, Callable[[], Awaitable[list[Any]]]] = {
        "brands": client.list_brands,
        "text_styles": client.list_text_styles,
        "smart_layouts": client.list_smart_layouts,
        "templates": client.list_templates,
        "aws_connections": client.list_aws_connections,
    }
    return fetchers[kind]


async def cached_catalog(state: AppState, kind: str) -> list[Any]:
    """The client's models for `kind` (a `Kind` value), fetched once per cache period; for
    paged kinds (avatars, vimeo_connections) every page, flattened."""
    return await state.lookup(kind, _fetcher(state.require_client(), kind))


def _compact(kind: str, item: Any) -> dict[str, Any]:
    """Only what an agent needs to pick an item; None values are dropped from the answer."""
    if kind.startswith("music_"):
        return {"name": str(item)}
    if kind == "smart_layouts":
        return {"id": item.template_id, "name": item.template_name}
    if kind == "templates":
        return {
            "id": item.template_id,
            "name": item.name,
            "language": item.language,
            "deprecated": True if item.deprecated else None,
            "published": False if item.published is False else None,
        }
    if kind == "avatars":
        looks = [look.id for look in item.looks if look.id]
        return {"name": item.name, "gender": item.gender, "looks": looks}
    if kind == "aws_connections":
        return {
            "id": item.connection_id,
            "name": item.name,
            "region": item.aws_region,
            "enabled": item.enabled,
        }
    if kind == "vimeo_connections":
        return {"id": item.connection_id, "name": item.name, "enabled": item.enabled}
    return {"id": item.id, "name": item.name}


_USE = {
    "brands": "Pass a brand's name or id as brand in create_* tools.",
    "text_styles": "Pass a style's name or id as subtitle_style in create_* tools.",
    "smart_layouts": "Use a layout's name or id as the smart layout (smartLayoutId).",
    "templates": "Call get_template(template_id) to see a template's variables.",
    "avatars": "Use a look id as the avatar (avatar.avatarId); avatars need a voice-over.",
    "music_moods": "Pass a name exactly as mood to search_music.",
    "music_genres": "Pass a name exactly as genre to search_music.",
    "music_purposes": "Pass a name exactly as purpose to search_music.",
    "aws_connections": "Use an enabled connection's id to read private S3 media (awsConnectionId).",
    "vimeo_connections": "Use an enabled connection's id to upload renders to Vimeo (vimeoConnectionId).",
}


@tool_errors
async def list_catalog(
    ctx: Context,
    kind: Kind,
    query: Annotated[str | None, Field(max_length=100, description="In name or id")] = None,
    limit: Annotated[int, Field(ge=1, le=100)] = 20,
    offset: Annotated[int, Field(ge=0)] = 0,
) -> Page:
    """List brands, text styles, layouts, templates, avatars, music facets or S3/Vimeo
    connections: compact, filtered, paged."""
    state = app_state(ctx)
    items = [_compact(kind, raw) for raw in await cached_catalog(state, kind)]
    found = [item for item in items if matches(item, query)]
    return page_of(found, offset, limit, use=_USE[kind])


# --- templates ------------------------------------------------------------------------------


def _scene_text(scene: Any) -> str:
    """A template scene's subtitle text (or its text layers), shortened."""
    texts: list[str] = []
    if isinstance(scene, dict):
        for sub in scene.get("subtitles") or []:
            if isinstance(sub, dict) and isinstance(sub.get("text"), str):
                texts.append(sub["text"])
        if not texts:
            for layer_group in scene.get("layers") or []:
                layers = layer_group if isinstance(layer_group, list) else [layer_group]
                for layer in layers:
                    if isinstance(layer, dict) and isinstance(layer.get("text"), str):
                        texts.append(layer["text"])
    text = " ".join(t.strip() for t in texts if t.strip())
    return text if len(text) <= SCENE_TEXT_CHARS else text[: SCENE_TEXT_CHARS - 1] + "…"


async def _template_id(state: AppState, wanted: str) -> str:
    """An id as given, or the id of the template with that name (any case)."""
    templates = await cached_catalog(state, "templates")
    if any(t.template_id == wanted for t in templates):
        return wanted
    named = [t for t in templates if (t.name or "").casefold() == wanted.strip().casefold()]
    return str(named[0].template_id) if len(named) == 1 else wanted


@tool_errors
async def get_template(
    ctx: Context,
    template_id: Annotated[str, Field(min_length=1, max_length=100, description="Id or name")],
) -> Page:
    """A template's variables (to fill in create_video_from_template) and scene texts."""
    state = app_state(ctx)
    resolved = await _template_id(state, template_id)
    try:
        detail = await state.require_client().get_template(resolved)
    except NotFoundError:
        names = [t.name for t in await cached_catalog(state, "templates") if t.name]
        close = close_values(names, template_id)
        hint = f" Did you mean {one_of(close)}?" if close else ""
        raise InputError(
            f"No template '{template_id}' on this account.{hint} "
            "Call list_catalog(kind='templates') for template ids."
        ) from None
    variables = {str(k): str(v) for k, v in detail.variables.items()}
    scenes = [_scene_text(s) for s in detail.scenes]
    item: dict[str, Any] = {
        "id": detail.template_id or resolved,
        "name": detail.name,
        "language": detail.language,
        "variables": variables,
        "scenes": scenes[:MAX_TEMPLATE_SCENES],
        "scene_count": len(scenes),
        "deprecated": True if detail.deprecated else None,
    }
    if variables:
        example = ", ".join(f"'{name}': '…'" for name in variables)
        step = (
            f"Render it with create_video_from_template(template_id='{item['id']}', "
            f"variables={{{example}}}); give every variable a value."
        )
    else:
        step = f"It has no variables: create_video_from_template(template_id='{item['id']}')."
    if detail.deprecated:
        step = "This template is deprecated; prefer another. " + step
    return Page(items=[item], total=1, next_step=step)


# --- music and stock media --------------------------------------------------------------------


async def _checked_facet(state: AppState, arg: str, value: str | None) -> list[str]:
    """`[value]` when it is exactly one of Pictory's values (they are case-sensitive)."""
    if value is None:
        return []
    kind = f"music_{arg}s"
    allowed = [str(v) for v in await cached_catalog(state, kind)]
    if value in allowed:
        return [value]
    close = close_values(allowed, value)
    hint = f" Did you mean {one_of(close)}?" if close else ""
    raise InputError(
        f"Unknown {arg} '{value}'.{hint} Values are exact and case-sensitive; "
        f"list_catalog(kind='{kind}') lists them."
    )


@tool_errors
async def search_music(
    ctx: Context,
    query: Annotated[str | None, Field(max_length=100)] = None,
    mood: Annotated[str | None, Field(max_length=100, description="e.g. 'Calm / Serene'")] = None,
    genre: Annotated[str | None, Field(max_length=100)] = None,
    purpose: Annotated[str | None, Field(max_length=100, description="e.g. 'Technology'")] = None,
    limit: Annotated[int, Field(ge=1, le=50)] = 10,
    offset: Annotated[int, Field(ge=0, lt=MUSIC_PAGE_SIZE)] = 0,
) -> Page:
    """Search the music library; mood/genre/purpose take exact list_catalog values. Use a
    track's music_url as the video's music."""
    state = app_state(ctx)
    body: dict[str, Any] = {"page": 1, "pageSize": MUSIC_PAGE_SIZE, "sort": "featured"}
    if query and query.strip():
        body["query"] = query.strip()
    for arg, value in (("mood", mood), ("genre", genre), ("purpose", purpose)):
        checked = await _checked_facet(state, arg, value)
        if checked:
            body[arg] = checked
    tracks = await state.require_client().search_music(body)
    items = [
        {
            "title": t.title,
            "duration": t.duration,
            "moods": t.moods,
            "genres": t.genres,
            "music_url": t.audio_url,
        }
        for t in tracks
    ]
    use = "Pass a track's music_url as the music URL of a create_* tool (backgroundMusic.musicUrl)."
    if len(items) >= MUSIC_PAGE_SIZE:
        use += f" Only the first {MUSIC_PAGE_SIZE} matches are shown; narrow the search."
    page = page_of(items, offset, limit, use=use)
    if not items:
        page.next_step = "No track matched. Drop a filter or try other words."
    return page


@tool_errors
async def search_media(
    ctx: Context,
    keyword: Annotated[str, Field(min_length=1, max_length=100)],
    category: Annotated[
        str | None, Field(max_length=60, description="e.g. 'Nature' or 'Nature/Waterfalls'")
    ] = None,
    limit: Annotated[int, Field(ge=1, le=50)] = 10,
) -> Page:
    """Check which stock videos/images exist for a keyword."""
    state = app_state(ctx)
    found = await state.require_client().search_media(keyword.strip(), category)
    items = []
    for r in found:
        preview = r.preview or r.thumbnail
        items.append(
            {
                "type": r.media_type,
                "duration": r.duration,
                "description": r.media_description,
                "library": r.search_library,
                "preview": (preview.url or preview.jpg) if preview else None,
            }
        )
    page = page_of(items, 0, limit, use="")
    if items:
        page.next_step = (
            f"Stock exists. To use it, put '{keyword.strip()}' in a scene's visual search "
            "(searchFilter.query); never paste preview URLs (watermarked, expiring)."
        )
    else:
        page.next_step = "No stock found. Try a broader keyword, or use an AI visual instead."
    return page


# --- account ---------------------------------------------------------------------------------

_METERS = (
    ("video_minutes", "video_minutes"),
    ("transcription_minutes", "transcription_minutes"),
    ("elevenlabs_minutes", "eleven_labs_voice_over_minutes"),
    ("ai_credits", "ai_credits"),
)


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def quota_advice(meters: list[dict[str, Any]]) -> str:
    """One line: what is exhausted or low (under 10 % left), else that there is room."""
    known = [m for m in meters if "left" in m]
    empty = [m["name"] for m in known if m["left"] <= 0]
    low = [
        f"{m['name']} {m['left']} of {m['limit']} left"
        for m in known
        if 0 < m["left"] < LOW_QUOTA_SHARE * m["limit"]
    ]
    if empty:
        return (
            f"None left of: {', '.join(empty)}. Jobs needing it will fail until the quota "
            "resets or the plan is upgraded; tell the user before submitting."
        )
    if low:
        return f"Low: {'; '.join(low)}. Keep renders short and warn the user before a large one."
    return (
        "Enough quota for now. AI visuals and avatars spend ai_credits; check before large renders."
    )


@tool_errors
async def get_account_quota(ctx: Context) -> Page:
    """Quota left (video/transcription/ElevenLabs minutes, AI credits). Check before a large
    render."""
    quota = await app_state(ctx).require_client().get_quota()
    meters: list[dict[str, Any]] = []
    for name, attr in _METERS:
        usage = getattr(quota, attr)
        if usage is None:
            continue
        meter: dict[str, Any] = {"name": name}
        if usage.used is not None:
            meter["used"] = _number(usage.used)
        if usage.limit is not None:
            meter["limit"] = _number(usage.limit)
        if usage.used is not None and usage.limit is not None:
            meter["left"] = _number(max(usage.limit - usage.used, 0))
        meters.append(meter)
    return Page(items=meters, total=len(meters), next_step=quota_advice(meters))


TOOLS = [
    ToolSpec(list_catalog, "List catalogue", read_only=True, idempotent=True),
    ToolSpec(get_template, "Inspect template", read_only=True, idempotent=True),
    ToolSpec(search_music, "Search music", read_only=True, idempotent=True),
    ToolSpec(search_media, "Search stock media", read_only=True, idempotent=True),
    ToolSpec(get_account_quota, "Account quota", read_only=True, idempotent=True),
]
