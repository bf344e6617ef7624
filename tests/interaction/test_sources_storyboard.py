"""create_video_from_storyboard: full validation, catalogue voice checks, exact submission."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from tests._helpers import posts, structured, text_of

pytestmark = pytest.mark.anyio

VENDOR = Path(__file__).resolve().parent.parent / "data" / "vendor-payloads"
PAYLOADS = {
    p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(VENDOR.glob("*.json"))
}
SIMPLE: dict[str, Any] = {
    "videoName": "Two voices",
    "voiceOver": {"enabled": True, "aiVoices": [{"speaker": "Brian"}, {"speaker": "Adam"}]},
    "scenes": [{"story": "First scene."}, {"story": "Second scene."}],
}


def test_all_five_vendor_payloads_are_exercised() -> None:
    assert len(PAYLOADS) == 5


def nothing_sent(sandbox: Any) -> bool:
    return posts(sandbox, "/v2/video/storyboard") == [] and not posts(
        sandbox, "/v2/video/storyboard/render"
    )


@pytest.mark.parametrize("name", sorted(PAYLOADS))
async def test_every_vendor_payload_is_submitted_exactly_as_given(
    client: Client, sandbox: Any, name: str
) -> None:
    payload = copy.deepcopy(PAYLOADS[name])
    view = structured(
        await client.call_tool("create_video_from_storyboard", {"storyboard": payload})
    )
    (request,) = posts(sandbox, "/v2/video/storyboard/render")
    assert request["body"] == payload
    assert request["job_id"] == view["job_id"]
    assert view["details"]["submitted"]["video_name"] == payload["videoName"]


async def test_a_storyboard_can_be_submitted_as_a_preview(client: Client, sandbox: Any) -> None:
    view = structured(
        await client.call_tool(
            "create_video_from_storyboard", {"storyboard": SIMPLE, "preview": True}
        )
    )
    assert view["kind"] == "preview"
    (request,) = posts(sandbox, "/v2/video/storyboard")
    assert request["body"] == SIMPLE
    assert view["details"]["submitted"]["voices"] == ["Adam", "Brian"]


def broken(change: Any) -> dict[str, Any]:
    body = copy.deepcopy(SIMPLE)
    change(body)
    return body


@pytest.mark.parametrize(
    ("storyboard", "expected"),
    [
        (broken(lambda b: b.pop("videoName")), "videoName: Field required"),
        (broken(lambda b: b["scenes"][1].update(blogUrl="https://x.example")), "scenes[1]:"),
        (
            broken(lambda b: b["voiceOver"]["aiVoices"][0].update(speed=500)),
            "voiceOver.aiVoices[0].speed",
        ),
        (broken(lambda b: b.update(brandId="a", brandName="b")), "mutually exclusive"),
        (broken(lambda b: b["scenes"][0].update(colour="red")), "scenes[0].colour"),
        (
            broken(lambda b: b["voiceOver"]["aiVoices"][1].update(speaker="Adamm")),
            "voiceOver.aiVoices[1].speaker: Unknown voice 'Adamm'. Did you mean 'Adam'?",
        ),
        (
            broken(
                lambda b: b["scenes"][0].update(
                    voiceOver={"aiVoices": [{"speaker": "Nobody Here"}]}
                )
            ),
            "scenes[0].voiceOver.aiVoices[0].speaker: Unknown voice",
        ),
        (
            broken(
                lambda b: b["voiceOver"]["aiVoices"][0].update(
                    premiumVoiceSettings={"stability": "50%"}
                )
            ),
            "premiumVoiceSettings works only with elevenlabs voices; 'Brian' is aws",
        ),
        (broken(lambda b: b.update(awsConnectionId="nope")), "awsConnectionId 'nope'"),
    ],
)
async def test_an_invalid_storyboard_is_refused_with_the_field_path_and_nothing_is_sent(
    client: Client, sandbox: Any, storyboard: dict[str, Any], expected: str
) -> None:
    result = await client.call_tool("create_video_from_storyboard", {"storyboard": storyboard})
    assert result.is_error
    assert expected in text_of(result)
    assert nothing_sent(sandbox)


async def test_a_voice_may_be_named_by_track_or_provider_id(client: Client, sandbox: Any) -> None:
    body = broken(
        lambda b: b["voiceOver"].update(
            aiVoices=[{"speaker": "1776425060651"}, {"speaker": "pNInz6obpgDQGcFmaJgB"}]
        )
    )
    view = structured(await client.call_tool("create_video_from_storyboard", {"storyboard": body}))
    assert view["details"]["submitted"]["voices"] == ["Adam"]
    assert posts(sandbox, "/v2/video/storyboard/render")[0]["body"] == body


async def test_the_storyboard_schema_is_served_as_a_resource(client: Client) -> None:
    from pictory_mcp.api.models import storyboard_json_schema

    contents = (await client.read_resource("pictory://schema/storyboard")).contents[0]
    assert json.loads(contents.text) == storyboard_json_schema()  # type: ignore[union-attr]
    tools = {t.name: t for t in (await client.list_tools()).tools}
    assert "pictory://schema/storyboard" in (
        tools["create_video_from_storyboard"].description or ""
    )
