"""Languages in any spelling, voices that speak them, voice names in any case, video names in
any script, and the account's default brand: what the create tools accept and report."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from tests._helpers import posts, structured, text_of

pytestmark = pytest.mark.anyio

SCRIPT = "Solar power is getting cheaper. Panels pay for themselves faster."
MEDIA = "https://media.example.com/talks/keynote-2024.mp4"


async def rendered(client: Client, sandbox: Any, **arguments: Any) -> tuple[dict[str, Any], Any]:
    """The answer of create_video_from_text and the storyboard the sandbox received."""
    view = structured(
        await client.call_tool("create_video_from_text", {"script": SCRIPT, **arguments})
    )
    (request,) = posts(sandbox, "/v2/video/storyboard/render")
    return view, request["body"]


async def refused(client: Client, sandbox: Any, tool: str, arguments: dict[str, Any]) -> str:
    result = await client.call_tool(tool, arguments)
    assert result.is_error, text_of(result)
    assert not [r for r in sandbox.control.requests() if r["method"] in ("POST", "PUT")]
    return text_of(result)


async def record_of(client: Client, job_id: str) -> dict[str, Any]:
    contents = (await client.read_resource(f"pictory://jobs/{job_id}")).contents[0]
    return dict(json.loads(contents.text))  # type: ignore[union-attr]


# --- one language format -------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["es", "es-ES", "es_ES", "ES", "es-es", " Es_eS "])
async def test_a_create_tool_takes_any_spelling_of_a_language_and_sends_its_code(
    client: Client, sandbox: Any, spelling: str
) -> None:
    view, body = await rendered(client, sandbox, language=spelling)
    assert body["language"] == "es"
    assert view["details"]["submitted"]["language"] == "es"
    assert body["voiceOver"]["aiVoices"] == [{"speaker": "Hugo"}]


async def test_the_options_of_the_other_create_tools_take_a_locale_too(
    client: Client, sandbox: Any
) -> None:
    arguments = {"url": "https://blog.example.com/solar", "options": {"language": "fr_FR"}}
    structured(await client.call_tool("create_video_from_article", arguments))
    (request,) = posts(sandbox, "/v2/video/storyboard/render")
    assert request["body"]["language"] == "fr"


@pytest.mark.parametrize(
    ("spelling", "locale"),
    [("es", "es-ES"), ("es_es", "es-ES"), ("EN-gb", "en-GB"), ("en", "en-US")],
)
async def test_highlights_take_a_bare_code_or_any_spelling_of_a_locale(
    client: Client, sandbox: Any, spelling: str, locale: str
) -> None:
    view = structured(
        await client.call_tool(
            "create_video_highlights", {"media_url": MEDIA, "language": spelling}
        )
    )
    assert view["details"]["submitted"]["language"] == locale
    (transcription,) = posts(sandbox, "/v2/transcription")
    assert transcription["body"]["language"] == locale


async def test_a_language_refusal_names_codes_to_use_never_a_pattern(
    client: Client, sandbox: Any
) -> None:
    text = await refused(
        client, sandbox, "create_video_from_text", {"script": SCRIPT, "language": "xx"}
    )
    assert "use a code such as 'es'" in text and "ar, zh" in text
    mexican = await refused(
        client, sandbox, "create_video_highlights", {"media_url": MEDIA, "language": "es-MX"}
    )
    assert "use 'es', 'es-ES' or 'es-US'" in mexican
    unknown = await refused(
        client, sandbox, "create_video_highlights", {"media_url": MEDIA, "language": "xx"}
    )
    assert "use a code such as 'es'" in unknown and "en-GB" in unknown
    for answer in (text, mexican, unknown):
        assert "pattern" not in answer and "^" not in answer and "Input should be" not in answer


async def test_no_language_argument_advertises_a_pattern(client: Client) -> None:
    for tool in (await client.list_tools()).tools:
        language = tool.input_schema.get("properties", {}).get("language")
        if language is not None:
            assert "pattern" not in language, tool.name
            assert re.search(r"\b[a-z]{2} or [a-z]{2}-[A-Z]{2}\b", language["description"]), (
                tool.name
            )


async def test_list_voices_takes_a_locale_with_an_underscore(client: Client) -> None:
    listed = structured(await client.call_tool("list_voices", {"language": "es_es"}))
    assert {v["name"] for v in listed["voices"]} == {"Hugo", "Lucia"}


# --- voice and language agree -----------------------------------------------------------------


async def test_a_voice_that_does_not_speak_the_language_is_refused_with_voices_that_do(
    client: Client, sandbox: Any
) -> None:
    arguments = {"script": SCRIPT, "voice": "Brian", "language": "es"}
    text = await refused(client, sandbox, "create_video_from_text", arguments)
    assert "voice 'Brian' speaks en-GB, not language 'es'" in text
    assert "'Hugo', 'Lucia' or 'Lupe'" in text and "list_voices(language='es')" in text


async def test_an_english_only_elevenlabs_voice_is_refused_for_another_language(
    client: Client, sandbox: Any
) -> None:
    arguments = {"script": SCRIPT, "voice": "Charlotte", "language": "de"}
    text = await refused(client, sandbox, "create_video_from_text", arguments)
    assert "voice 'Charlotte' speaks en-GB, not language 'de'" in text and "'Wilbur'" in text


async def test_a_multilingual_elevenlabs_voice_reads_another_language_and_the_answer_says_so(
    client: Client, sandbox: Any
) -> None:
    view, body = await rendered(client, sandbox, voice="Adam", language="es")
    assert body["voiceOver"]["aiVoices"] == [{"speaker": "Adam"}]
    assert "multilingual" in view["details"]["submitted"]["voice_language"]


async def test_the_default_voice_speaks_the_language_even_where_pictory_falls_back_to_english(
    client: Client, sandbox: Any
) -> None:
    view, body = await rendered(client, sandbox, language="hi")
    assert body["voiceOver"]["aiVoices"] == [{"speaker": "Aditi"}]
    assert view["details"]["submitted"]["voice"] == "Aditi"


async def test_a_storyboard_speaker_that_does_not_speak_its_language_is_refused(
    client: Client, sandbox: Any
) -> None:
    storyboard = {
        "videoName": "Solar",
        "language": "es",
        "voiceOver": {"enabled": True, "aiVoices": [{"speaker": "Brian"}]},
        "scenes": [{"story": SCRIPT}],
    }
    text = await refused(
        client, sandbox, "create_video_from_storyboard", {"storyboard": storyboard}
    )
    assert text.startswith("voiceOver.aiVoices[0].speaker: voice 'Brian' speaks en-GB")


# --- voice names in any case --------------------------------------------------------------------


async def test_a_voice_name_in_another_case_is_taken_and_reported_as_spelled_in_the_catalogue(
    client: Client, sandbox: Any
) -> None:
    view, body = await rendered(client, sandbox, voice="brian, JOANNA")
    assert body["voiceOver"]["aiVoices"] == [{"speaker": "Brian"}, {"speaker": "Joanna"}]
    assert view["details"]["submitted"]["voice"] == "Brian, Joanna"


async def test_a_storyboard_speaker_in_another_case_is_sent_as_the_catalogue_spells_it(
    client: Client, sandbox: Any
) -> None:
    storyboard = {
        "videoName": "Solar",
        "voiceOver": {"enabled": True, "aiVoices": [{"speaker": "brian"}]},
        "scenes": [{"story": SCRIPT}],
    }
    structured(await client.call_tool("create_video_from_storyboard", {"storyboard": storyboard}))
    (request,) = posts(sandbox, "/v2/video/storyboard/render")
    assert request["body"]["voiceOver"]["aiVoices"] == [{"speaker": "Brian"}]


# --- names survive ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("Café de Colombia", "Café de Colombia"),
        ("Cafe\u0301 Müller", "Café Müller"),  # a combining accent is one letter
        ("東京 ツアー 2025", "東京 ツアー 2025"),
        ("हिंदी वीडियो", "हिंदी वीडियो"),  # vowel signs stay with their letters
        ("Q&A: 50% off! (launch)", "Q A 50 off launch"),
        ("snake_case-and-dashes", "snake_case-and-dashes"),
    ],
)
async def test_a_video_name_keeps_every_letter_and_drops_only_what_pictory_refuses(
    client: Client, sandbox: Any, given: str, sent: str
) -> None:
    view, body = await rendered(client, sandbox, options={"video_name": given})
    assert body["videoName"] == sent
    assert view["details"]["submitted"]["video_name"] == sent
    assert (await record_of(client, view["job_id"]))["video_name"] == sent


async def test_a_render_from_a_preview_keeps_its_name_down_to_the_downloaded_file(
    client: Client, sandbox: Any
) -> None:
    arguments = {"script": SCRIPT, "preview": True, "options": {"video_name": "Café de Colombia"}}
    preview = structured(await client.call_tool("create_video_from_text", arguments))
    sandbox.control.advance_clock(3600)
    assert (
        structured(await client.call_tool("check_job", {"job_id": preview["job_id"]}))["status"]
        == "completed"
    )
    render = structured(await client.call_tool("render_preview", {"job_id": preview["job_id"]}))
    assert render["details"]["submitted"]["video_name"] == "Café de Colombia"
    assert (await record_of(client, render["job_id"]))["video_name"] == "Café de Colombia"
    sandbox.control.advance_clock(3600)
    assert (
        structured(await client.call_tool("check_job", {"job_id": render["job_id"]}))["status"]
        == "completed"
    )
    with anyio.fail_after(20):
        saved = structured(await client.call_tool("download_video", {"job_id": render["job_id"]}))
    assert Path(saved["details"]["path"]).name == f"Café-de-Colombia-{render['job_id']}.mp4"


async def test_every_step_of_a_highlights_workflow_carries_its_name_in_the_history(
    client: Client, sandbox: Any
) -> None:
    arguments = {"media_url": MEDIA, "video_name": "Keynote cut"}
    view = structured(await client.call_tool("create_video_highlights", arguments))
    full = structured(
        await client.call_tool("check_job", {"job_id": view["job_id"], "detail": True})
    )
    children = []
    for step in full["details"]["steps"]:
        resource = await client.read_resource(f"pictory://jobs/{step['job_id']}")
        children.append(json.loads(resource.contents[0].text))  # type: ignore[union-attr]
    assert children and all(job["video_name"] == "Keynote cut" for job in children)


# --- brands and defaults --------------------------------------------------------------------


async def test_the_default_brand_is_marked_and_the_answer_says_what_a_video_gets_without_one(
    client: Client,
) -> None:
    page = structured(await client.call_tool("list_catalog", {"kind": "brands"}))
    marked = [item["name"] for item in page["items"] if item.get("default")]
    assert marked == ["Default Brand"]
    assert "without brand a video gets no brand" in page["next_step"]


async def test_the_create_tools_name_their_defaults(client: Client) -> None:
    tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    text = tools["create_video_from_text"].input_schema["properties"]
    assert "default" in text["voice"]["description"]
    assert text["aspect_ratio"]["default"] == "16:9"
    assert text["music_volume"]["default"] == 0.1
    assert text["language"]["default"] == "en"
