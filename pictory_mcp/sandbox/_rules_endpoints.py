"""Rules for the non-storyboard request bodies: render params, elements, transcription, music.

A root that must be an array reports its items as "[i].field"; a wrong root type is reported
on the name "body".
"""

from __future__ import annotations

from typing import Any

from ._rules_base import Checker, Fields
from ._rules_enums import (
    MUSIC_FILTERS,
    MUSIC_SORTS,
    RENDER_ELEMENT_TYPES,
    STORYBOARD_ELEMENT_MEDIA_TYPES,
    TRANSCRIPTION_MEDIA_TYPES,
)


def _root_object(c: Checker, body: object) -> dict[str, Any] | None:
    if not isinstance(body, dict):
        c.fail("body", "The request body must be a JSON object")
        return None
    return body


def _webhook(c: Checker, body: dict[str, Any]) -> None:
    c.string(body, "webhook", "", max_len=500, url=True)


def validate_render_params(body: object) -> Fields:
    """POST /v2/video/render: a preview's `renderParams`, sent as is (§7 #4)."""
    c = Checker()
    params = _root_object(c, body)
    if params is None:
        return c.fields
    output = c.obj(params, "output", "", required=True)
    if output is not None:
        c.number(output, "width", "output", integer=True, lo=1)
        c.number(output, "height", "output", integer=True, lo=1)
        for key in ("format", "name", "title"):
            c.string(output, key, "output")
    elements = c.array(params, "elements", "", required=True)
    for i, raw in enumerate(elements or []):
        name = f"elements[{i}]"
        element = c.item_obj(raw, name)
        if element is not None:
            c.string(element, "elementType", name, choices=RENDER_ELEMENT_TYPES)
            c.number(element, "duration", name, lo=0)
    _webhook(c, params)
    return c.fields


def validate_storyboard_elements(body: object) -> Fields:
    """PUT /v2/video/storyboard/{jobId}/elements: a bare array of elements (§7 #5)."""
    c = Checker()
    if not isinstance(body, list):
        c.fail("body", "The request body must be a JSON array of elements")
        return c.fields
    if not body:
        c.fail("body", "The elements array must contain at least 1 item")
    for i, raw in enumerate(body):
        name = f"[{i}]"
        element = c.item_obj(raw, name)
        if element is None:
            continue
        c.string(element, "id", name, required=True, min_len=1)
        c.string(element, "elementType", name, required=True, choices=RENDER_ELEMENT_TYPES)
        c.string(element, "type", name, choices=STORYBOARD_ELEMENT_MEDIA_TYPES)
        c.number(element, "startTime", name, lo=0)
        c.number(element, "duration", name, lo=0)
    return c.fields


def validate_transcription(body: object) -> Fields:
    """POST /v2/transcription (§9)."""
    c = Checker()
    req = _root_object(c, body)
    if req is None:
        return c.fields
    file_url = c.string(req, "fileUrl", "", required=True, url=True)
    # The reference gives fileUrl as HTTPS only; a plain http:// link is refused.
    if file_url is not None and not file_url.lower().startswith("https://"):
        c.fail("fileUrl", '"fileUrl" must be an https:// URL')
    c.string(req, "mediaType", "", choices=TRANSCRIPTION_MEDIA_TYPES)
    c.string(req, "language", "", min_len=1)
    c.array(req, "transcript", "")
    _webhook(c, req)
    return c.fields


def validate_highlights(body: object) -> Fields:
    """POST /v2/transcription/highlights: a supplied transcript (§9)."""
    c = Checker()
    req = _root_object(c, body)
    if req is None:
        return c.fields
    transcript = c.array(req, "transcript", "", required=True, min_items=1)
    for i, raw in enumerate(transcript or []):
        c.item_obj(raw, f"transcript[{i}]")
    c.number(req, "highlight_duration", "", integer=True, above=0)
    c.number(req, "duration", "", above=0)
    c.string(req, "language", "", min_len=1)
    _webhook(c, req)
    return c.fields


def validate_highlights_from_job(body: object) -> Fields:
    """POST /v2/transcription/{jobId}/highlights; `highlight_duration` is required here."""
    c = Checker()
    req = _root_object(c, body)
    if req is None:
        return c.fields
    c.number(req, "highlight_duration", "", required=True, integer=True, above=0)
    c.string(req, "language", "", min_len=1)
    _webhook(c, req)
    return c.fields


def validate_music_search(body: object) -> Fields:
    """POST /v1/music/search: every field optional (§11). A missing body counts as `{}`."""
    c = Checker()
    req = _root_object(c, {} if body is None else body)
    if req is None:
        return c.fields
    c.string(req, "query", "")
    c.number(req, "page", "", integer=True, lo=1)
    c.number(req, "pageSize", "", integer=True, lo=20, hi=100)
    c.string(req, "sort", "", choices=MUSIC_SORTS)
    for base in MUSIC_FILTERS:
        for key in (base, "not" + base[0].upper() + base[1:]):
            values = c.array(req, key, "")
            for i, value in enumerate(values or []):
                if not isinstance(value, str):
                    c.fail(f"{key}[{i}]", f'"{key}[{i}]" must be a string')
    low = c.number(req, "minDuration", "", lo=0)
    high = c.number(req, "maxDuration", "", lo=0)
    if low is not None and high is not None and low > high:
        c.fail("maxDuration", '"maxDuration" must be greater than or equal to "minDuration"')
    return c.fields
