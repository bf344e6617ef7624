"""Article, PowerPoint and template videos through mcp.Client against the sandbox."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client

from tests._helpers import posts, structured, text_of

pytestmark = pytest.mark.anyio

ARTICLE = "https://blog.example.com/posts/why-solar-wins"
DECK = "https://files.example.com/decks/q3-review.pptx"
ANNOUNCE = "20250901101500123a1b2c3d4e5f60718293a4b5c6d7e8f9tpl1"


def sent(sandbox: Any) -> list[dict[str, Any]]:
    return [r["body"] for r in posts(sandbox, "/v2/video/storyboard/render")]


def nothing_sent(sandbox: Any) -> bool:
    return posts(sandbox, "/v2/video/storyboard") == [] and sent(sandbox) == []


async def test_an_article_url_becomes_one_blog_scene_with_the_plain_options(
    client: Client, sandbox: Any
) -> None:
    view = structured(
        await client.call_tool(
            "create_video_from_article",
            {"url": ARTICLE, "voice": "Brian", "aspect_ratio": "9:16", "brand": "Corporate Blue"},
        )
    )
    (body,) = sent(sandbox)
    assert body["scenes"] == [{"blogUrl": ARTICLE}]
    assert body["videoName"] == "why solar wins"
    assert body["aspectRatio"] == "9:16" and body["language"] == "en"
    assert body["voiceOver"] == {"enabled": True, "aiVoices": [{"speaker": "Brian"}]}
    assert body["backgroundMusic"] == {"enabled": True, "autoMusic": True, "volume": 0.1}
    assert body["brandId"] == "b9d7e6a4-1f2c-4d3e-8a9b-7c6d5e4f3a21"
    assert view["status"] == "in-progress"
    assert view["details"]["submitted"]["url"] == ARTICLE


async def test_an_article_can_start_as_a_preview(client: Client, sandbox: Any) -> None:
    view = structured(
        await client.call_tool("create_video_from_article", {"url": ARTICLE, "preview": True})
    )
    assert view["kind"] == "preview"
    previews = posts(sandbox, "/v2/video/storyboard")
    assert len(previews) == 1 and previews[0]["body"]["scenes"] == [{"blogUrl": ARTICLE}]
    assert sent(sandbox) == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("ftp://files.example.com/post", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("javascript:alert(1)", "http:// or https://"),
        ("https://", "http:// or https://"),
        ("https://example.com/" + "a" * 2000, "2000"),
    ],
)
async def test_an_article_url_that_is_not_public_http_is_refused_before_submission(
    client: Client, sandbox: Any, url: str, expected: str
) -> None:
    result = await client.call_tool("create_video_from_article", {"url": url})
    assert result.is_error
    assert expected in text_of(result)
    assert nothing_sent(sandbox)


async def test_an_unreachable_article_fails_the_job_with_the_reason(
    client: Client, sandbox: Any
) -> None:
    job_id = structured(
        await client.call_tool("create_video_from_article", {"url": "https://news.invalid/post"})
    )["job_id"]
    sandbox.control.advance_clock(3600)
    failed = structured(await client.call_tool("check_job", {"job_id": job_id}))
    assert failed["status"] == "failed"
    assert failed["error"]["code"] == "TEXT_TO_VIDEO_FAILED"


async def test_a_presentation_is_sent_with_its_speaker_notes_flag(
    client: Client, sandbox: Any
) -> None:
    view = structured(
        await client.call_tool(
            "create_video_from_presentation",
            {"ppt_url": DECK, "use_speaker_notes": True, "language": "de"},
        )
    )
    (body,) = sent(sandbox)
    assert body["scenes"] == [{"pptUrl": DECK, "useSpeakerNotes": True}]
    assert body["videoName"] == "q3 review"
    assert body["language"] == "de"
    assert body["voiceOver"]["aiVoices"] == [{"speaker": "Wilbur"}]
    assert view["details"]["submitted"]["use_speaker_notes"] is True


async def test_a_presentation_url_must_be_http(client: Client, sandbox: Any) -> None:
    result = await client.call_tool(
        "create_video_from_presentation", {"ppt_url": "C:\\decks\\q3.pptx"}
    )
    assert result.is_error and "ppt_url must be a public http" in text_of(result)
    assert nothing_sent(sandbox)


async def test_a_template_is_rendered_with_its_variables(client: Client, sandbox: Any) -> None:
    variables = {"Product": "Solar Kit", "Company": "Acme"}
    view = structured(
        await client.call_tool(
            "create_video_from_template", {"template_id": ANNOUNCE, "variables": variables}
        )
    )
    (body,) = sent(sandbox)
    assert body == {
        "videoName": "Product Announcement",
        "templateId": ANNOUNCE,
        "variables": variables,
    }
    assert view["details"]["submitted"]["template"] == "Product Announcement"
    sandbox.control.advance_clock(3600)
    done = structured(await client.call_tool("check_job", {"job_id": view["job_id"]}))
    assert done["status"] == "completed"


async def test_template_options_are_sent_only_when_given(client: Client, sandbox: Any) -> None:
    structured(
        await client.call_tool(
            "create_video_from_template",
            {
                "template_id": ANNOUNCE,
                "variables": {"Product": "Solar Kit", "Company": "Acme"},
                "voice": "Brian",
                "music_volume": 0.2,
                "aspect_ratio": "1:1",
            },
        )
    )
    (body,) = sent(sandbox)
    assert body["voiceOver"] == {"enabled": True, "aiVoices": [{"speaker": "Brian"}]}
    assert body["backgroundMusic"] == {"enabled": True, "autoMusic": True, "volume": 0.2}
    assert body["aspectRatio"] == "1:1" and "language" not in body


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"Product": "Kit"}, "missing Company"),
        ({"Product": "Kit", "Company": "Acme", "Price": "9"}, "unknown Price"),
        ({}, "Give exactly: Product, Company"),
    ],
)
async def test_template_variables_must_match_the_template(
    client: Client, sandbox: Any, variables: dict[str, str], expected: str
) -> None:
    result = await client.call_tool(
        "create_video_from_template", {"template_id": ANNOUNCE, "variables": variables}
    )
    assert result.is_error and expected in text_of(result)
    assert nothing_sent(sandbox)


async def test_an_unknown_template_lists_the_templates(client: Client, sandbox: Any) -> None:
    result = await client.call_tool(
        "create_video_from_template", {"template_id": "nope", "variables": {}}
    )
    assert result.is_error
    assert "Unknown template_id 'nope'" in text_of(result)
    assert "Product Announcement" in text_of(result) and ANNOUNCE in text_of(result)
    assert nothing_sent(sandbox)


async def test_shared_options_work_nested_or_top_level_but_not_both(
    client: Client, sandbox: Any
) -> None:
    url = "https://blog.example.com/posts/tides"
    nested = await client.call_tool(
        "create_video_from_article",
        {"url": url, "options": {"voice": "Brian", "aspect_ratio": "9:16"}},
    )
    flat = await client.call_tool(
        "create_video_from_article", {"url": url, "voice": "Brian", "aspect_ratio": "9:16"}
    )
    assert not nested.is_error and not flat.is_error
    bodies = [r["body"] for r in posts(sandbox, "/v2/video/storyboard/render")]
    assert len(bodies) == 2
    assert bodies[0]["voiceOver"] == bodies[1]["voiceOver"]
    assert bodies[0]["aspectRatio"] == bodies[1]["aspectRatio"] == "9:16"
    both = await client.call_tool(
        "create_video_from_article", {"url": url, "voice": "Brian", "options": {"voice": "Joanna"}}
    )
    assert both.is_error and "voice once" in text_of(both)
    bad = await client.call_tool(
        "create_video_from_article", {"url": url, "options": {"aspect_ratio": "2:1"}}
    )
    assert bad.is_error and "options.aspect_ratio" in text_of(bad)
    assert len(posts(sandbox, "/v2/video/storyboard/render")) == 2
