"""The options every create_video_* tool shares: what reaches Pictory, and each refusal."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from mcp import Client

from tests._helpers import posts, structured, text_of

pytestmark = pytest.mark.anyio

SCRIPT = "Solar power is getting cheaper. Panels pay for themselves faster."
TRACK = "https://tracks.sandbox.pictory.invalid/music/279/bio-journey.mp3"
VIMEO = "20250301120000000vm1a2b3c4d5e6f7"
AWS = "20241207042423053xmex5z9ag9ivmp21"
AWS_DISABLED = "20250211101010101kq7w3n5b8c2d4f6"
# Every create tool takes the same options; each is called with its own required arguments.
CALLS = {
    "create_video_from_text": {"script": SCRIPT},
    "create_video_from_article": {"url": "https://blog.example.com/solar"},
    "create_video_from_presentation": {"ppt_url": "https://files.example.com/deck.pptx"},
}


async def make(
    client: Client, sandbox: Any, tool: str = "create_video_from_text", **options: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    view = structured(await client.call_tool(tool, {**CALLS[tool], **options}))
    (request,) = posts(sandbox, "/v2/video/storyboard/render")
    return view, request["body"]


async def refused(
    client: Client, sandbox: Any, tool: str = "create_video_from_text", **options: Any
) -> str:
    result = await client.call_tool(tool, {**CALLS[tool], **options})
    assert result.is_error
    assert posts(sandbox, "/v2/video/storyboard") == []
    assert posts(sandbox, "/v2/video/storyboard/render") == []
    return text_of(result)


@pytest.mark.parametrize("tool", list(CALLS))
async def test_comma_separated_voices_rotate_with_speed_and_volume_on_every_tool(
    client: Client, sandbox: Any, tool: str
) -> None:
    view, body = await make(
        client,
        sandbox,
        tool,
        voice="Brian, Martin",
        extras={"voice_speed": 120, "voice_volume": -0.5},
    )
    assert body["voiceOver"] == {
        "enabled": True,
        "aiVoices": [
            {"speaker": "Brian", "speed": 120, "amplificationLevel": -0.5},
            {"speaker": "Martin", "speed": 120, "amplificationLevel": -0.5},
        ],
    }
    assert view["details"]["submitted"]["voice"] == "Brian, Martin"


async def test_premium_settings_are_sent_as_percentages_for_an_elevenlabs_voice(
    client: Client, sandbox: Any
) -> None:
    premium = {"model": "eleven_v3", "stability": 60, "similarity": 75, "style": 20,
               "speaker_boost": True}  # fmt: skip
    _, body = await make(client, sandbox, voice="Adam", extras={"premium_voice": premium})
    assert body["voiceOver"]["aiVoices"] == [
        {
            "speaker": "Adam",
            "premiumVoiceSettings": {
                "modelId": "eleven_v3",
                "stability": "60%",
                "similarityBoost": "75%",
                "style": "20%",
                "useSpeakerBoost": True,
            },
        }
    ]


async def test_a_music_track_url_replaces_auto_music_and_keeps_its_volume(
    client: Client, sandbox: Any
) -> None:
    view, body = await make(client, sandbox, music_volume=0.12, extras={"music_url": TRACK})
    assert body["backgroundMusic"] == {"enabled": True, "musicUrl": TRACK, "volume": 0.12}
    assert view["details"]["submitted"]["music_url"] == TRACK


async def test_custom_subtitles_logo_and_smart_layout_are_applied(
    client: Client, sandbox: Any
) -> None:
    extras = {
        "subtitle_custom": {"font": "Montserrat", "size": 48, "color": "#FFFFFF",
                            "position": "bottom-center"},
        "logo_url": "https://cdn.example.com/logo.png",
        "logo_position": "top-right",
        "logo_width": 10,
        "smart_layout": "wanderlust",
    }  # fmt: skip
    view, body = await make(client, sandbox, tool="create_video_from_article", extras=extras)
    assert body["subtitleStyle"] == {
        "fontFamily": "Montserrat",
        "fontSize": 48,
        "color": "#FFFFFF",
        "position": "bottom-center",
    }
    assert body["logo"] == {
        "url": "https://cdn.example.com/logo.png",
        "position": "top-right",
        "width": "10%",
    }
    assert body["smartLayoutId"].endswith("td3")
    assert view["details"]["submitted"]["smart_layout"] == "Wanderlust"


async def test_delivery_connections_are_checked_and_sent(client: Client, sandbox: Any) -> None:
    extras = {
        "vimeo_connection_id": VIMEO,
        "vimeo_folder_uri": "/videos/123456",
        "vimeo_privacy": "unlisted",
        "aws_connection_id": AWS,
    }
    view, body = await make(client, sandbox, extras=extras)
    assert body["vimeoConnectionId"] == VIMEO
    assert body["destinations"] == [
        {"type": "vimeo", "folder_uri": "/videos/123456", "privacy": {"view": "unlisted"}}
    ]
    assert body["awsConnectionId"] == AWS
    assert view["details"]["submitted"]["vimeo"] == "Company Vimeo"


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"voice": "Adam, Brian", "extras": {"premium_voice": {"stability": 50}}},
         "premium_voice works only with elevenlabs voices; Brian is not"),
        ({"voice": "Brian,Martin,Joanna,Adam,Rachel,George"}, "give at most 5"),
        ({"voice": "Brian, Nobody"}, "Unknown voice 'Nobody'"),
        ({"extras": {"voice_speed": 300}}, "voice_speed"),
        ({"extras": {"voice_volume": 2}}, "voice_volume"),
        ({"extras": {"premium_voice": {"model": "eleven_v9"}}}, "premium_voice.model"),
        ({"extras": {"speed": 120}}, "extras.speed"),
        ({"language": "xx"}, "language 'xx' is not a script language Pictory supports"),
        ({"music_volume": 0, "extras": {"music_url": TRACK}}, "music_url needs music_volume"),
        ({"extras": {"music_url": "ftp://tracks.example/a.mp3"}}, "music_url must be a public"),
        ({"extras": {"logo_url": "data:image/png;base64,AAAA"}}, "logo_url must be a public"),
        ({"extras": {"logo_position": "top-left"}}, "need extras.logo_url"),
        ({"subtitle_style": "Headliner", "extras": {"subtitle_custom": {"size": 40}}},
         "not both"),
        ({"extras": {"subtitle_custom": {"font": "Comic Sans"}}},
         "extras.subtitle_custom.font: 'Comic Sans' is not a built-in font"),
        ({"extras": {"subtitle_custom": {"color": "blue-ish"}}}, "extras.subtitle_custom.color"),
        ({"extras": {"smart_layout": "Nope"}}, "Unknown extras.smart_layout 'Nope'. Choose one of:"),
        ({"extras": {"vimeo_connection_id": "nope"}}, f"Enabled vimeo connections: {VIMEO}"),
        ({"extras": {"vimeo_privacy": "nobody"}}, "need extras.vimeo_connection_id"),
        ({"extras": {"aws_connection_id": AWS_DISABLED}}, "is disabled"),
        ({"extras": {"aws_connection_id": "nope"}}, f"Enabled aws connections: {AWS}"),
    ],
)  # fmt: skip
async def test_each_bad_option_is_refused_before_anything_is_submitted(
    client: Client, sandbox: Any, options: dict[str, Any], expected: str
) -> None:
    message = await refused(client, sandbox, **options)
    assert expected in message
    assert "Traceback" not in message


async def test_the_extras_schema_is_served_and_matches_what_is_accepted(client: Client) -> None:
    from pictory_mcp.server.tools._options import VideoExtras

    contents = (await client.read_resource("pictory://schema/extras")).contents[0]
    schema = json.loads(contents.text)  # type: ignore[union-attr]
    assert set(schema["properties"]) == set(VideoExtras.model_fields)
    tools = {t.name: t for t in (await client.list_tools()).tools}
    assert "create_video_from_text" in str(tools["create_video_from_article"].input_schema)
    described = tools["create_video_from_text"].input_schema["properties"]["options"]["description"]
    assert "pictory://schema/extras" in described
    # The description names a few keys (or families, e.g. logo_*); each must be real.
    named = re.findall(r"\b([a-z]+(?:_[a-z*]+)+)\b", described.split("extras", 1)[1])
    assert named
    for key in named:
        prefix = key.removesuffix("*")
        assert any(
            f == key or (key.endswith("*") and f.startswith(prefix))
            for f in VideoExtras.model_fields
        ), key


@pytest.mark.parametrize("voice", [",,,", " ", " , "])
@pytest.mark.parametrize("tool", list(CALLS))
async def test_a_voice_that_names_no_voice_is_refused_not_replaced_by_the_default(
    client: Client, sandbox: Any, tool: str, voice: str
) -> None:
    text = await refused(client, sandbox, tool, voice=voice)
    assert "names no voice" in text
    assert "list_voices" in text


@pytest.mark.parametrize("script", ["\u200b\u200b\u200b", "\u200b \u2060\ufeff", " ... !? "])
async def test_a_script_without_words_is_refused_before_anything_is_spent(
    client: Client, sandbox: Any, script: str
) -> None:
    result = await client.call_tool("create_video_from_text", {"script": script})
    assert result.is_error
    assert "script is empty" in text_of(result)
    assert posts(sandbox, "/v2/video/storyboard") == []
    assert posts(sandbox, "/v2/video/storyboard/render") == []
