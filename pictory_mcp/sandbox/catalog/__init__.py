"""The sandbox's deterministic catalogue: voices, music, stock media, brands, styles, layouts,
templates, avatars, quota and connections. Built lazily on first use and cached; every call
returns a fresh copy, so callers may mutate what they get."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from . import _account, _media, _music, _music_facets
from ._voices import DEFAULT_VOICES, build_voices, find_speaker

__all__ = [
    "DEFAULT_VOICES",
    "avatars",
    "aws_connections",
    "brands",
    "media_query_has_results",
    "music_facets",
    "music_tracks",
    "quota",
    "resolve_speaker",
    "search_media",
    "search_music",
    "smart_layouts",
    "template",
    "templates",
    "text_styles",
    "vimeo_connections",
    "voices",
]

_FACETS: dict[str, tuple[str, ...]] = {
    "moods": _music_facets.MOODS,
    "purposes": _music_facets.PURPOSES,
    "genres": _music_facets.GENRES,
    "genre_groups": _music_facets.GENRE_GROUPS,
    "instruments": _music_facets.INSTRUMENTS,
}


@cache
def _voices() -> list[dict[str, Any]]:
    return build_voices()


@cache
def _tracks() -> list[dict[str, Any]]:
    return _music.build_tracks()


def voices() -> list[dict[str, Any]]:
    """GET /v1/voiceovers/tracks: the bare array of voice tracks."""
    return copy.deepcopy(_voices())


def resolve_speaker(speaker: str) -> dict[str, Any] | None:
    """The voice a `speaker` value names: track id string, then name (any case), then
    provider voice id; None when nothing matches."""
    found = find_speaker(_voices(), speaker)
    return copy.deepcopy(found) if found is not None else None


def music_tracks() -> list[dict[str, Any]]:
    """The whole music library in search-item shape, featured order."""
    return copy.deepcopy(_tracks())


def music_facets(kind: str) -> list[str]:
    """A facet list: kind is moods, purposes, genres, genre_groups or instruments."""
    if kind not in _FACETS:
        raise KeyError(f"unknown music facet {kind!r}; expected one of {sorted(_FACETS)}")
    return list(_FACETS[kind])


def search_music(body: dict[str, Any]) -> list[dict[str, Any]]:
    """POST /v1/music/search items for an already validated body."""
    return copy.deepcopy(_music.search_tracks(_tracks(), body))


def search_media(
    keyword: str, category: str | None = None, language: str | None = "en"
) -> list[dict[str, Any]]:
    """GET /v1/media/search `searchResults` (empty for "zzznothing" keywords)."""
    return _media.search(keyword, category, language)


def media_query_has_results(query: str) -> bool:
    """Whether a stock search for `query` finds anything (False for "zzznothing" queries)."""
    return _media.query_has_results(query)


def brands() -> list[dict[str, Any]]:
    """GET /v1/brands/video."""
    return copy.deepcopy(_account.BRANDS)


def text_styles() -> list[dict[str, Any]]:
    """GET /v1/styles."""
    return copy.deepcopy(_account.TEXT_STYLES)


def smart_layouts() -> list[dict[str, Any]]:
    """GET /v1/smartlayouts `items`."""
    return copy.deepcopy(_account.SMART_LAYOUTS)


def templates() -> list[dict[str, Any]]:
    """GET /v1/templates `items`."""
    return _account.template_list()


def template(template_id: str) -> dict[str, Any] | None:
    """GET /v1/templates/{templateId}, or None for an unknown id."""
    return _account.template_detail(template_id)


def avatars() -> list[dict[str, Any]]:
    """GET /v1/avatars `items` (avatar groups with their looks)."""
    return copy.deepcopy(_account.AVATARS)


def quota() -> dict[str, Any]:
    """GET /v1/quota."""
    return copy.deepcopy(_account.QUOTA)


def aws_connections() -> list[dict[str, Any]]:
    """GET /v1/awsconnections `Items`."""
    return copy.deepcopy(_account.AWS_CONNECTIONS)


def vimeo_connections() -> list[dict[str, Any]]:
    """GET /v1/vimeo-connections `Items`."""
    return copy.deepcopy(_account.VIMEO_CONNECTIONS)
