"""Every validation rule of REFERENCE §6.13 (and the value formats of §6.10) is refused
with a message that names the fields to change."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from pictory_mcp.api.models import Storyboard
from tests.api.cases import BASE, RULES, mutate


def test_the_base_payload_of_the_rule_table_is_valid() -> None:
    Storyboard.model_validate(BASE)


@pytest.mark.parametrize(
    ("changes", "fragment"), [pytest.param(c, f, id=name) for name, c, f in RULES]
)
def test_a_rule_violation_is_refused_with_a_message_naming_the_fix(
    changes: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        Storyboard.model_validate(mutate(changes))
    messages = [error["msg"] for error in caught.value.errors()]
    assert any(fragment in message for message in messages), messages


def test_custom_messages_do_not_echo_the_offending_value() -> None:
    marker = "pictai_do_not_echo_this_value"
    with pytest.raises(ValidationError) as caught:
        Storyboard.model_validate(mutate({"scenes.0.background": {"color": marker}}))
    assert all(marker not in error["msg"] for error in caught.value.errors())


@pytest.mark.parametrize(
    "color", ["#fff", "#FFAA00", "#ffaa0080", "rgb( 1, 2, 3 )", "rgba(0,0,0,0)"]
)
def test_documented_colour_forms_are_accepted(color: str) -> None:
    Storyboard.model_validate(mutate({"scenes.0.background": {"color": color}}))


@pytest.mark.parametrize("value", ["0%", "100%", "7%"])
def test_integer_percentages_from_zero_to_a_hundred_are_accepted(value: str) -> None:
    Storyboard.model_validate(mutate({"logo": {"url": "https://l.png", "width": value}}))


@pytest.mark.parametrize(
    ("model", "duration"),
    [("veo3.1", "8s"), ("veo3.1_fast", "6s"), ("pixverse5.5", "10s"), ("pixverse5.5", None)],
)
def test_each_video_model_accepts_its_own_durations(model: str, duration: str | None) -> None:
    ai: dict[str, Any] = {"model": model}
    if duration:
        ai["videoDuration"] = duration
    Storyboard.model_validate(mutate({"scenes.0.background": {"type": "video", "aiVisual": ai}}))


def test_a_visual_only_scene_needs_no_story() -> None:
    Storyboard.model_validate(mutate({"scenes.0": {"background": {"color": "#000"}}}))


def test_an_element_without_a_known_type_is_refused() -> None:
    with pytest.raises(ValidationError, match="does not match any of the expected tags"):
        Storyboard.model_validate(mutate({"scenes.0.elements": [{"type": "sticker"}]}))
