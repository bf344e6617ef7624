"""Two catalogue tools: list_catalog (brands ... templates with their variables ...
connections, and the account quota) and search_library (music or stock media); compact, paged."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal

import anyio
from mcp.server.mcpserver import Context
from pydantic import Field

from pictory_mcp.errors import InputError, NotFoundError, PictoryMCPError
from pictory_mcp.facts import MUSIC_PAGE_SIZE_MAX

if TYPE_CHECKING:
    from pictory_mcp.api import PictoryClient

from pictory_mcp.server.outputs import Page
from pictory_mcp.server.phrasing import close_values, one_of
from pictory_mcp.server.state import AppState
from pictory_mcp.server.tools._base import ToolSpec, app_state
from pictory_mcp.server.tools._paging import matches, page_of, scene_text

Kind = Literal[
    "quota",
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
MUSIC_PAGE_SIZE = MUSIC_PAGE_SIZE_MAX  # the largest page Pictory serves; search pages within it
SCENE_TEXT_CHARS = 100
MAX_TEMPLATE_SCENES = 5  # a summary to recognise a template by, not its script
DETAIL_FETCHES = 4  # template details fetched at once for one listed page
LOW_QUOTA_SHARE = 0.10
DEFAULT_BRAND = "Default Brand"


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
    if kind == "brands":  # Pictory lists no flag; the default is named so (REFERENCE §13)
        default = str(item.name or "").casefold() == DEFAULT_BRAND.casefold()
        return {"id": item.id, "name": item.name, "default": True if default else None}
    return {"id": item.id, "name": item.name}


_USE = {
    "brands": "Pass a brand's name or id as brand in create_* tools; without brand a video "
    "gets no brand (none is sent), so name the default one to use it.",
    "text_styles": "Pass a style's name or id as subtitle_style in create_* tools. For an exact look "
    "(font, colour, bold) use options.extras.subtitle_custom instead.",
    "smart_layouts": "Pass a layout's name or id as smart_layout (options.extras.smart_layout).",
    "templates": "Give one template's exact id or name as query to see its scenes and how to render it.",
    "avatars": "Avatars need create_video_from_storyboard: a look id as avatar.avatarId, with a voice-over.",
    "music_moods": "Pass a name exactly as mood to search_library(kind='music').",
    "music_genres": "Pass a name exactly as genre to search_library(kind='music').",
    "music_purposes": "Pass a name exactly as purpose to search_library(kind='music').",
    "aws_connections": "Pass an enabled connection's id as aws_connection_id (options.extras.aws_connection_id) to read private S3 media.",
    "vimeo_connections": "Pass an enabled connection's id as vimeo_connection_id (options.extras.vimeo_connection_id) to upload renders to Vimeo.",
}


async def list_catalog(
    ctx: Context,
    kind: Kind,
    query: Annotated[str | None, Field(max_length=100, description="In name or id")] = None,
    limit: Annotated[int, Field(ge=1, le=100)] = 20,
    offset: Annotated[int, Field(ge=0)] = 0,
) -> Page:
    """Account quota (check before big renders), or list brands, text styles, layouts, templates, avatars, music facets, S3/Vimeo connections."""
    state = app_state(ctx)
    if kind == "quota":
        return await _quota_page(state)
    listed = await cached_catalog(state, kind)
    if kind == "templates":
        return await _templates_page(state, listed, query, offset, limit)
    items = [_compact(kind, raw) for raw in listed]
    found = [item for item in items if matches(item, query)]
    return page_of(found, offset, limit, use=_USE[kind])


# --- templates ------------------------------------------------------------------------------


async def _template_detail(state: AppState, template_id: str) -> Any:
    """GET /v1/templates/{id}, cached like the lists; NotFoundError when there is none."""
    client = state.require_client()

    async def fetch() -> list[Any]:
        return [await client.get_template(template_id)]

    return (await state.lookup(f"template:{template_id}", fetch))[0]


async def _add_variables(state: AppState, items: list[dict[str, Any]]) -> None:
    """Give each listed template its variables; the list endpoint does not carry them."""

    failures: list[PictoryMCPError] = []

    async def fill(item: dict[str, Any]) -> None:
        async with limiter:
            try:
                detail = await _template_detail(state, str(item["id"]))
            except NotFoundError:  # listed, then deleted: show it without variables
                return
            except PictoryMCPError as exc:  # raised below, unwrapped, for tool_errors to explain
                failures.append(exc)
                return
        item["variables"] = {str(k): str(v) for k, v in detail.variables.items()}

    limiter = anyio.CapacityLimiter(DETAIL_FETCHES)
    async with anyio.create_task_group() as group:
        for item in items:
            group.start_soon(fill, item)
    if failures:
        raise failures[0]


def _one_template(detail: Any, template_id: str) -> Page:
    """One template in full: variables, a scene summary, and the call that renders it."""
    item = _compact("templates", detail)
    item["id"] = detail.template_id or template_id
    variables = {str(k): str(v) for k, v in detail.variables.items()}
    scenes = [scene_text(s, SCENE_TEXT_CHARS) for s in detail.scenes]
    item.update(variables=variables, scenes=scenes[:MAX_TEMPLATE_SCENES], scene_count=len(scenes))
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


async def _templates_page(
    state: AppState, listed: list[Any], query: str | None, offset: int, limit: int
) -> Page:
    """Templates with their variables; one exact id or name (any case) answers in full."""
    wanted = (query or "").strip()
    folded = wanted.casefold()
    exact = [t for t in listed if t.template_id == wanted or (t.name or "").casefold() == folded]
    if wanted and len(exact) == 1:
        template_id = str(exact[0].template_id)
        try:
            return _one_template(await _template_detail(state, template_id), template_id)
        except NotFoundError:  # listed, then deleted: answer the listing instead
            pass
    found = [item for item in (_compact("templates", t) for t in listed) if matches(item, query)]
    if found or not wanted:
        page = page_of(found, offset, limit, use=_USE["templates"])
        await _add_variables(state, page.items)
        return page
    if not any(c.isspace() for c in wanted):  # an id the listing does not show may still exist
        try:
            return _one_template(await _template_detail(state, wanted), wanted)
        except NotFoundError:
            pass
    close = close_values([t.name for t in listed if t.name], wanted)
    hint = f" Did you mean {one_of(close)}?" if close else ""
    return Page(
        items=[],
        total=0,
        next_step=f"No template '{wanted}' on this account.{hint} "
        "Call list_catalog(kind='templates') without query for all template ids.",
    )


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


async def _search_music(
    state: AppState, query: str | None, facets: dict[str, str | None], limit: int, offset: int
) -> Page:
    body: dict[str, Any] = {"page": 1, "pageSize": MUSIC_PAGE_SIZE, "sort": "featured"}
    if query and query.strip():
        body["query"] = query.strip()
    for arg, value in facets.items():
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
    use = "Pass a track's music_url as music_url (options.extras.music_url) of a create_* tool."
    if len(items) >= MUSIC_PAGE_SIZE:
        use += f" Only the first {MUSIC_PAGE_SIZE} matches are shown; narrow the search."
    page = page_of(items, offset, limit, use=use)
    if not items:
        page.next_step = "No track matched. Drop a filter or try other words."
    return page


async def _search_media(
    state: AppState, keyword: str, category: str | None, limit: int, offset: int
) -> Page:
    found = await state.require_client().search_media(keyword, category)
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
    use = (
        f"Stock exists. create_* tools pick stock from the script; with "
        f"create_video_from_storyboard put '{keyword}' in a scene's background.searchFilter.query. "
        "Never paste preview URLs (watermarked, expiring)."
    )
    page = page_of(items, offset, limit, use=use)
    if not items:
        page.next_step = "No stock found. Try a broader query, or use an AI visual instead."
    return page


Facet = Annotated[str | None, Field(max_length=100)]


async def search_library(
    ctx: Context,
    kind: Literal["music", "media"],
    query: Annotated[str | None, Field(max_length=100, description="Required for media")] = None,
    mood: Annotated[str | None, Field(max_length=100, description="e.g. Calm / Serene")] = None,
    genre: Facet = None,
    purpose: Facet = None,
    category: Annotated[
        str | None, Field(max_length=60, description="e.g. Nature/Waterfalls")
    ] = None,
    limit: Annotated[int, Field(ge=1, le=50)] = 10,
    offset: Annotated[int, Field(ge=0, lt=MUSIC_PAGE_SIZE)] = 0,
) -> Page:
    """Search music (query; exact list_catalog mood/genre/purpose) or stock media (query, category); paged."""
    state = app_state(ctx)
    facets = {"mood": mood, "genre": genre, "purpose": purpose}
    if kind == "music":
        if category is not None:
            raise InputError(
                "category only filters kind='media'. Drop it, or use mood/genre/purpose for music."
            )
        return await _search_music(state, query, facets, limit, offset)
    given = [arg for arg, value in facets.items() if value is not None]
    if given:
        raise InputError(
            f"{'/'.join(given)} only filter kind='music'. Drop them for media, or search "
            "kind='music'."
        )
    keyword = (query or "").strip()
    if not keyword:
        raise InputError("kind='media' needs query, the stock keyword, e.g. query='mountain lake'.")
    return await _search_media(state, keyword, category, limit, offset)


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


async def _quota_page(state: AppState) -> Page:
    """Video/transcription/ElevenLabs minutes and AI credits: used, limit, left, and advice."""
    quota = await state.require_client().get_quota()  # never cached: it changes with every job
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
    ToolSpec(search_library, "Search music or stock", read_only=True, idempotent=True),
]
