"""Sandbox rules for render params, storyboard elements, transcription, highlights, music."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pictory_mcp.sandbox.rules import (
    validate_highlights,
    validate_highlights_from_job,
    validate_music_search,
    validate_render_params,
    validate_storyboard_elements,
    validate_transcription,
)

Validator = Callable[[object], list[dict[str, str]]]

RENDER_OK = {
    "output": {"name": "demo", "format": "mp4", "width": 1920, "height": 1080},
    "elements": [{"id": "backgroundElement_1", "elementType": "backgroundElement", "duration": 4}],
}
ELEMENTS_OK = [
    {
        "id": "SceneText_1",
        "elementType": "SceneText",
        "type": "text",
        "startTime": 0,
        "duration": 3,
        "text": "Hello",
    },
    {"id": "voiceOver", "elementType": "audioElement", "type": "audio"},
]
TRANSCRIPT = [
    {
        "uid": "s1",
        "speakerId": 1,
        "words": [{"uid": "w1", "word": "Hi", "start_time": 0.1, "end_time": 0.4}],
    }
]
FILE = "https://cdn.example.com/talk.mp4"


def case(validator: Validator, bad: object, good: object, field: str, id_: str) -> Any:
    return pytest.param(validator, bad, good, field, id=id_)


@pytest.mark.parametrize(
    ("validator", "bad", "good", "field"),
    [
        case(validate_render_params, [RENDER_OK], RENDER_OK, "body", "render-array"),
        case(
            validate_render_params,
            {"elements": []},
            {"output": {}, "elements": []},
            "output",
            "render-output",
        ),
        case(
            validate_render_params,
            {"output": {}},
            {"output": {}, "elements": []},
            "elements",
            "render-elements",
        ),
        case(
            validate_render_params,
            {"output": {}, "elements": {}},
            {"output": {}, "elements": []},
            "elements",
            "render-elements-object",
        ),
        case(
            validate_render_params,
            {"output": {}, "elements": [{"elementType": "sticker"}]},
            {"output": {}, "elements": [{"elementType": "layerItem"}]},
            "elements[0].elementType",
            "render-element-type",
        ),
        case(
            validate_render_params,
            {**RENDER_OK, "output": {"width": "1920"}},
            RENDER_OK,
            "output.width",
            "render-width",
        ),
        case(
            validate_storyboard_elements,
            {"elements": ELEMENTS_OK},
            ELEMENTS_OK,
            "body",
            "elements-object",
        ),
        case(validate_storyboard_elements, [], ELEMENTS_OK, "body", "elements-empty"),
        case(
            validate_storyboard_elements,
            [{"elementType": "SceneText"}],
            [{"id": "SceneText_2", "elementType": "SceneText"}],
            "[0].id",
            "elements-id",
        ),
        case(
            validate_storyboard_elements,
            [{"id": "bgMusic", "elementType": "music"}],
            [{"id": "bgMusic", "elementType": "audioElement"}],
            "[0].elementType",
            "elements-type",
        ),
        case(
            validate_storyboard_elements,
            [{"id": "bgMusic", "elementType": "audioElement", "type": "sound"}],
            [{"id": "bgMusic", "elementType": "audioElement", "type": "audio"}],
            "[0].type",
            "elements-media-type",
        ),
        case(
            validate_storyboard_elements,
            ["voiceOver"],
            [{"id": "voiceOver", "elementType": "audioElement"}],
            "[0]",
            "elements-string",
        ),
    ],
)
def test_render_params_and_storyboard_elements_shapes(
    validator: Validator, bad: object, good: object, field: str
) -> None:
    assert [f["name"] for f in validator(bad)] == [field]
    assert validator(good) == []


@pytest.mark.parametrize(
    ("validator", "bad", "good", "field"),
    [
        case(
            validate_transcription,
            {"mediaType": "video"},
            {"fileUrl": FILE},
            "fileUrl",
            "fileUrl-required",
        ),
        case(
            validate_transcription,
            {"fileUrl": "s3://bucket/talk.mp4"},
            {"fileUrl": FILE},
            "fileUrl",
            "fileUrl-scheme",
        ),
        case(
            validate_transcription,
            {"fileUrl": "http://cdn.example.com/talk.mp4"},
            {"fileUrl": FILE},
            "fileUrl",
            "fileUrl-https",
        ),
        case(
            validate_transcription,
            {"fileUrl": FILE, "mediaType": "podcast"},
            {"fileUrl": FILE, "mediaType": "audio"},
            "mediaType",
            "media-type",
        ),
        case(
            validate_transcription,
            {"fileUrl": FILE, "language": 1},
            {"fileUrl": FILE, "language": "en-US", "webhook": "https://x.example/h"},
            "language",
            "language",
        ),
        case(
            validate_transcription,
            {"fileUrl": FILE, "webhook": "x.example/h"},
            {"fileUrl": FILE, "webhook": "http://x.example/h"},
            "webhook",
            "webhook",
        ),
        case(
            validate_highlights,
            {"highlight_duration": 30},
            {"transcript": TRANSCRIPT},
            "transcript",
            "transcript-required",
        ),
        case(
            validate_highlights,
            {"transcript": []},
            {"transcript": TRANSCRIPT},
            "transcript",
            "transcript-empty",
        ),
        case(
            validate_highlights,
            {"transcript": TRANSCRIPT, "highlight_duration": 0},
            {"transcript": TRANSCRIPT, "highlight_duration": 1},
            "highlight_duration",
            "duration-zero",
        ),
        case(
            validate_highlights,
            {"transcript": TRANSCRIPT, "highlight_duration": 30.5},
            {"transcript": TRANSCRIPT, "highlight_duration": 30},
            "highlight_duration",
            "duration-fraction",
        ),
        case(
            validate_highlights,
            {"transcript": ["Hi"]},
            {"transcript": TRANSCRIPT},
            "transcript[0]",
            "sentence-string",
        ),
        case(
            validate_highlights_from_job,
            {"language": "en"},
            {"highlight_duration": 60, "language": "en"},
            "highlight_duration",
            "from-job-required",
        ),
        case(
            validate_highlights_from_job,
            {"highlight_duration": "60"},
            {"highlight_duration": 60},
            "highlight_duration",
            "from-job-string",
        ),
        case(
            validate_highlights_from_job,
            {"highlight_duration": -5},
            {"highlight_duration": 5},
            "highlight_duration",
            "from-job-negative",
        ),
        case(validate_highlights_from_job, [], {"highlight_duration": 5}, "body", "from-job-root"),
    ],
)
def test_transcription_and_highlight_bodies(
    validator: Validator, bad: object, good: object, field: str
) -> None:
    assert [f["name"] for f in validator(bad)] == [field]
    assert validator(good) == []


@pytest.mark.parametrize(
    ("bad", "good", "field"),
    [
        ({"page": 0}, {"page": 1}, "page"),
        ({"pageSize": 19}, {"pageSize": 20}, "pageSize"),
        ({"pageSize": 101}, {"pageSize": 100}, "pageSize"),
        ({"sort": "popular"}, {"sort": "shuffle"}, "sort"),
        ({"mood": "Calm / Serene"}, {"mood": ["Calm / Serene"]}, "mood"),
        ({"notGenre": [3]}, {"notGenre": ["Ambient"]}, "notGenre[0]"),
        ({"genreGroup": [None]}, {"genreGroup": ["Cinematic"]}, "genreGroup[0]"),
        ({"minDuration": "30"}, {"minDuration": 30}, "minDuration"),
        (
            {"minDuration": 90, "maxDuration": 30},
            {"minDuration": 30, "maxDuration": 90},
            "maxDuration",
        ),
        ({"query": 5}, {"query": "piano"}, "query"),
        ([], {}, "body"),
    ],
    ids=[
        "page",
        "page-size-low",
        "page-size-high",
        "sort",
        "filter-string",
        "not-filter-item",
        "null-item",
        "duration-string",
        "duration-order",
        "query-number",
        "array-body",
    ],
)
def test_music_search_bounds_and_filter_types(
    bad: object, good: dict[str, Any], field: str
) -> None:
    assert [f["name"] for f in validate_music_search(bad)] == [field]
    assert validate_music_search(good) == []


def test_music_search_treats_a_missing_body_as_an_empty_search() -> None:
    assert validate_music_search(None) == []
    body = {
        "page": 1,
        "pageSize": 20,
        "sort": "featured",
        "mood": ["Calm / Serene"],
        "purpose": ["Corporate / Business"],
        "unknownFilter": 1,
    }
    assert validate_music_search(body) == []
