"""Video lengths worked out before submitting, from the reference's reading pace and scene
timings; sources only Pictory can measure say why their length is unknown."""

from __future__ import annotations

from typing import Any

import pytest

from pictory_mcp.server.estimates import (
    Length,
    narration_seconds,
    storyboard_length,
    template_length,
)

WORDS_150 = " ".join(["word"] * 150)


def board(*scenes: dict[str, Any], speed: int | None = None) -> dict[str, Any]:
    voice: dict[str, Any] = {"speaker": "Brian"}
    if speed is not None:
        voice["speed"] = speed
    return {"voiceOver": {"enabled": True, "aiVoices": [voice]}, "scenes": list(scenes)}


def test_a_minute_of_narration_is_150_words_at_speed_100_and_faster_voices_take_less() -> None:
    assert narration_seconds(WORDS_150) == 60
    assert storyboard_length(board({"story": WORDS_150})) == Length(1.0)
    assert storyboard_length(board({"story": WORDS_150}, speed=200)) == Length(0.5)
    scene_voice = {"story": WORDS_150, "voiceOver": {"aiVoices": [{"speed": 50}]}}
    assert storyboard_length(board(scene_voice)) == Length(2.0)


def test_scene_floors_pauses_and_written_scripts_add_up() -> None:
    length = storyboard_length(
        board(
            {"story": "Five words in this scene.", "minimumDuration": 10},  # 2 s read, 10 s shown
            {"story": WORDS_150, "endPauseDuration": 6},
            {"background": {"type": "image"}, "minimumDuration": 14},
            {"storyCoPilot": {"prompt": "solar", "duration": 30}},
        )
    )
    assert length == Length(2.0)  # 10 + 66 + 14 + 30 seconds


@pytest.mark.parametrize(
    ("scene", "why"),
    [
        ({"blogUrl": "https://example.com/post"}, "reads the article itself"),
        ({"pptUrl": "https://example.com/deck.pptx"}, "reads the presentation itself"),
        ({"videoUrl": "https://example.com/a.mp4"}, "source video"),
        ({"audioUrl": "https://example.com/a.mp3"}, "source audio"),
        ({"background": {"type": "image"}}, "scene 1 has no narration"),
        ({"storyCoPilot": {"prompt": "solar"}}, "writes the script itself"),
    ],
)
def test_lengths_only_pictory_can_know_are_unknown_with_the_reason(
    scene: dict[str, Any], why: str
) -> None:
    length = storyboard_length(board(scene))
    assert length.minutes is None and why in length.why_unknown


def test_a_template_is_measured_from_its_subtitles_with_the_variables_filled_in() -> None:
    scenes = [{"subtitles": [{"text": "{{Company}} presents {{ Product }}."}]}]
    variables = {"Company": "Acme", "Product": " ".join(["word"] * 148)}
    assert template_length(scenes, variables, {"Company": "COMPANY"}, None) == Length(1.0)
    assert template_length(scenes, variables, {}, 200) == Length(0.5)
    assert storyboard_length({"templateId": "t1"}).minutes is None
    assert template_length([], {}, {}, None).minutes is None
