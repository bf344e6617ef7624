"""Transcription, highlights and music-search bodies match the documented examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from pictory_mcp.api.models import (
    HighlightsFromJobRequest,
    HighlightsRequest,
    MusicSearchRequest,
    TranscriptionRequest,
)
from tests.api.cases import REQUEST_REFUSALS

EXAMPLES: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "pictory-examples.json").read_text(
        encoding="utf-8"
    )
)


def body_of(example: str) -> dict[str, Any]:
    body: dict[str, Any] = EXAMPLES[example]["request"]["body"]
    return body


def test_the_documented_transcription_body_round_trips() -> None:
    body = body_of("transcription_start")
    assert TranscriptionRequest.model_validate(body).to_payload() == body


def test_the_documented_highlights_from_job_body_keeps_its_snake_case_name() -> None:
    body = body_of("highlights_from_job")
    assert HighlightsFromJobRequest.model_validate(body).to_payload() == body
    built = HighlightsFromJobRequest(highlight_duration=30, language="en")
    assert built.to_payload() == {"highlight_duration": 30, "language": "en"}


def test_the_documented_music_search_body_round_trips() -> None:
    body = body_of("music_search")
    assert MusicSearchRequest.model_validate(body).to_payload() == body


def test_music_search_sends_camel_case_filters() -> None:
    request = MusicSearchRequest(page_size=50, not_mood=["Sad"], min_duration=30)
    assert request.to_payload() == {"pageSize": 50, "notMood": ["Sad"], "minDuration": 30}


def test_highlights_from_a_transcript_need_the_transcript() -> None:
    sentence = {"uid": "s1", "speakerId": 1, "words": [{"uid": "w1", "word": "Hi"}]}
    body = {"transcript": [sentence], "highlight_duration": 30, "webhook": "https://e.com/h"}
    assert HighlightsRequest.model_validate(body).to_payload() == body
    with pytest.raises(ValidationError, match="Field required"):
        HighlightsRequest.model_validate({"highlight_duration": 30})


@pytest.mark.parametrize(("model", "body", "fragment"), REQUEST_REFUSALS)
def test_invalid_request_bodies_are_refused(
    model: type[TranscriptionRequest | HighlightsFromJobRequest | MusicSearchRequest],
    body: dict[str, Any],
    fragment: str,
) -> None:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(body)
    assert any(fragment in error["msg"] for error in caught.value.errors())
