"""Storyboard models accept what Pictory documents and send it back unchanged."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from pictory_mcp.api.models import (
    AIVoice,
    Background,
    BackgroundMusic,
    Destination,
    Scene,
    Storyboard,
    TextElement,
    VoiceOver,
    storyboard_json_schema,
)
from tests.api.cases import MINIMAL, RICH

VENDOR_DIR = Path(__file__).resolve().parents[1] / "data" / "vendor-payloads"
VENDOR_FILES = sorted(VENDOR_DIR.glob("*.json"))


@pytest.mark.parametrize("path", VENDOR_FILES, ids=lambda p: p.stem)
def test_every_vendor_payload_validates_and_round_trips_unchanged(path: Path) -> None:
    payload = json.loads(path.read_text(encoding="utf-8"))
    board = Storyboard.model_validate(payload)
    assert json.dumps(board.to_payload(), sort_keys=True) == json.dumps(payload, sort_keys=True)


def test_there_are_five_vendor_payloads_to_check() -> None:
    assert len(VENDOR_FILES) == 5


def test_the_minimal_text_to_video_payload_validates() -> None:
    board = Storyboard.model_validate(MINIMAL)
    assert board.to_payload() == MINIMAL


def test_a_payload_using_every_optional_part_validates_and_round_trips() -> None:
    board = Storyboard.model_validate(RICH)
    # Compared as values: 1.0 goes out as 1, which JSON readers treat as the same number.
    assert board.to_payload() == RICH


def test_a_template_render_needs_no_scenes() -> None:
    payload = {"videoName": "t", "templateId": "tpl-1", "variables": {"name": "Ada"}}
    assert Storyboard.model_validate(payload).to_payload() == payload


def test_integral_numbers_stay_integers_on_the_wire() -> None:
    payload = copy.deepcopy(MINIMAL)
    payload["scenes"][0]["minimumDuration"] = 9
    body = Storyboard.model_validate(payload).to_payload()
    assert json.dumps(body["scenes"][0]["minimumDuration"]) == "9"
    assert json.dumps(body["backgroundMusic"]["volume"]) == "0.1"


def test_models_built_from_python_names_serialise_with_pictory_names() -> None:
    board = Storyboard(
        video_name="py",
        voice_over=VoiceOver(enabled=True, ai_voices=[AIVoice(speaker="Brian", speed=100)]),
        background_music=BackgroundMusic(enabled=True, auto_music=True, volume=0.1),
        vimeo_connection_id="v1",
        destinations=[Destination(type="vimeo", folder_uri="/videos/1")],
        scenes=[
            Scene(
                story="Hi",
                is_ssml_story=False,
                background=Background(color="rgb(0,0,0)"),
                elements=[TextElement(type="text", text="Title", text_variant="heading")],
            )
        ],
    )
    body = board.to_payload()
    assert body["videoName"] == "py"
    assert body["voiceOver"]["aiVoices"] == [{"speaker": "Brian", "speed": 100}]
    assert body["backgroundMusic"]["autoMusic"] is True
    assert body["destinations"] == [{"type": "vimeo", "folder_uri": "/videos/1"}]
    assert body["scenes"][0]["isSSMLStory"] is False
    assert body["scenes"][0]["elements"][0]["textVariant"] == "heading"
    assert "video_name" not in body


def test_python_names_are_accepted_in_dicts_too() -> None:
    board = Storyboard.model_validate({"video_name": "n", "scenes": [{"story": "s"}]})
    assert board.video_name == "n"


def test_unknown_fields_are_rejected_at_every_level() -> None:
    for bad in (
        {**MINIMAL, "videoname": "typo"},
        {**MINIMAL, "scenes": [{"story": "x", "stroy": "typo"}]},
        {**MINIMAL, "voiceOver": {"enabled": True, "aiVoices": [{"speaker": "B", "sped": 1}]}},
    ):
        with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
            Storyboard.model_validate(bad)


def test_a_shape_element_rejects_text_fields() -> None:
    payload = copy.deepcopy(MINIMAL)
    payload["scenes"][0]["elements"] = [{"type": "shape", "name": "circle", "text": "no"}]
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Storyboard.model_validate(payload)


def test_the_json_schema_is_a_compact_dict_with_scenes() -> None:
    schema = storyboard_json_schema()
    size = len(json.dumps(schema, separators=(",", ":")))
    print(f"storyboard JSON schema: {size} bytes")
    assert isinstance(schema, dict)
    assert "scenes" in schema["properties"]
    assert "videoName" in schema["required"]
    assert size < 26_000
    # Long catalogues are validators, not enums: no font or shape list in the schema.
    assert "Poppins Extrabold" not in json.dumps(schema)
    assert "speech-bubble-7" not in json.dumps(schema)


def test_the_json_schema_shows_enumerations_and_pictory_names() -> None:
    schema = storyboard_json_schema()
    props = schema["properties"]
    assert props["aspectRatio"]["enum"] == ["16:9", "9:16", "1:1", "4:5"]
    scene = schema["$defs"]["Scene"]["properties"]
    assert "isSSMLStory" in scene
    assert "fade" in scene["sceneTransition"]["enum"]
    assert "null" not in json.dumps(schema)


def test_every_schema_description_is_short() -> None:
    def descriptions(node: Any) -> list[str]:
        if isinstance(node, dict):
            found = [node["description"]] if isinstance(node.get("description"), str) else []
            return found + [d for v in node.values() for d in descriptions(v)]
        if isinstance(node, list):
            return [d for v in node for d in descriptions(v)]
        return []

    too_long = [d for d in descriptions(storyboard_json_schema()) if len(d) > 100]
    assert too_long == []
