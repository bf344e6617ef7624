"""Look-up routes backed by the catalogue: voices, music, media, brands, styles, smart layouts,
templates, avatars and the AWS/Vimeo connections, each in its documented envelope (the quota:
`account.py`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pictory_mcp.sandbox import catalog, rules
from pictory_mcp.sandbox.core import invalid_body, invalid_request, json, not_found, read_json


def _bare(fetch: Callable[[], object]) -> Callable[[Request], Any]:
    async def endpoint(request: Request) -> Response:
        return json(fetch())

    return endpoint


async def voices(request: Request) -> Response:
    return json(catalog.voices())


_FACETS = {
    "moods": "moods",
    "purposes": "purposes",
    "genres": "genres",
    "genres/groups": "genre_groups",
    "instruments": "instruments",
}


def _facet(kind: str) -> Callable[[Request], Any]:
    return _bare(lambda: catalog.music_facets(kind))


async def music_search(request: Request) -> Response:
    body, error = await read_json(request)
    if error is not None:
        return error
    body = {} if body is None else body
    fields = rules.validate_music_search(body)
    if fields:
        return invalid_body(fields)
    assert isinstance(body, dict)  # the validator refuses anything else
    return json({"items": catalog.search_music(body)})


async def media_search(request: Request) -> Response:
    keyword = request.query_params.get("keyword", "").strip()
    if not keyword:
        return invalid_request("keyword is required")
    results = catalog.search_media(
        keyword, request.query_params.get("category"), request.query_params.get("language", "en")
    )
    return json({"data": {"page": 1, "searchResults": results}})


async def smart_layouts(request: Request) -> Response:
    return json({"items": catalog.smart_layouts()})


async def templates(request: Request) -> Response:
    return json({"items": catalog.templates()})


async def template(request: Request) -> Response:
    found = catalog.template(request.path_params["template_id"])
    return json(found) if found is not None else not_found("Template not found")


async def avatars(request: Request) -> Response:
    return json({"items": catalog.avatars(), "nextPageKey": None})


async def aws_connections(request: Request) -> Response:
    return json({"Items": catalog.aws_connections()})


async def vimeo_connections(request: Request) -> Response:
    return json({"Items": catalog.vimeo_connections(), "nextPageKey": None})


def _connection(fetch: Callable[[], list[dict[str, Any]]]) -> Callable[[Request], Any]:
    async def endpoint(request: Request) -> Response:
        wanted = request.path_params["connection_id"]
        for item in fetch():
            if item.get("connectionId") == wanted:
                return json(item)
        return not_found("Connection not found")

    return endpoint


ROUTES = [
    Route("/v1/voiceovers/tracks", voices, methods=["GET"]),
    Route("/v1/music/search", music_search, methods=["POST"]),
    *(Route(f"/v1/music/{path}", _facet(kind), methods=["GET"]) for path, kind in _FACETS.items()),
    Route("/v1/media/search", media_search, methods=["GET"]),
    Route("/v1/brands/video", _bare(lambda: catalog.brands()), methods=["GET"]),
    Route("/v1/styles", _bare(lambda: catalog.text_styles()), methods=["GET"]),
    Route("/v1/smartlayouts", smart_layouts, methods=["GET"]),
    Route("/v1/templates", templates, methods=["GET"]),
    Route("/v1/templates/{template_id}", template, methods=["GET"]),
    Route("/v1/avatars", avatars, methods=["GET"]),
    Route("/v1/awsconnections", aws_connections, methods=["GET"]),
    Route(
        "/v1/awsconnections/{connection_id}",
        _connection(lambda: catalog.aws_connections()),
        methods=["GET"],
    ),
    Route("/v1/vimeo-connections", vimeo_connections, methods=["GET"]),
    Route(
        "/v1/vimeo-connections/{connection_id}",
        _connection(lambda: catalog.vimeo_connections()),
        methods=["GET"],
    ),
]
