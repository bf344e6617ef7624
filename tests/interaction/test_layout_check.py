"""create_video_from_storyboard measures the storyboard's layout before anything is sent:
certain problems are refused (nothing reaches the sandbox), likely ones ride on the answer,
preview=true is checked the same way, and a clean storyboard is sent unchanged."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from mcp import Client

from tests._helpers import posts, structured, text_of

pytestmark = pytest.mark.anyio

ROUTES = {False: "/v2/video/storyboard/render", True: "/v2/video/storyboard"}


def storyboard(*elements: dict[str, Any], aspect: str = "16:9") -> dict[str, Any]:
    return {
        "videoName": "Layout check",
        "aspectRatio": aspect,
        "voiceOver": {"enabled": True, "aiVoices": [{"speaker": "Brian"}]},
        "scenes": [
            {"story": "A designed scene.", "hideSubtitles": True, "elements": list(elements)}
        ],
    }


def label(words: str, top: int, *, font: str = "Arial", size: int = 40) -> dict[str, Any]:
    return {
        "type": "text",
        "text": words,
        "textVariant": "body",
        "style": {"fontFamily": font, "fontSize": size, "alignment": "center"},
        "top": f"{top}%",
        "left": "10%",
        "width": "20%",
    }


CHIP = {"type": "shape", "name": "rectangle", "borderRadius": 12, "top": "30%", "left": "10%",
        "width": "20%"}  # fmt: skip
CLEAN = storyboard(CHIP, label("Ship it", 34))
BROKEN = storyboard(
    label("Our quarterly results beat every forecast and the team grew by a third", 10),
    label("Overlapping title", 12),
    {"type": "shape", "name": "circle", "top": "95%", "left": "70%", "width": "20%"},
    aspect="9:16",
)
APPROXIMATE = storyboard(CHIP, label("Results beat every forecast", 34, font="Manrope"))


def sent(sandbox: Any) -> list[dict[str, Any]]:
    return posts(sandbox, ROUTES[False]) + posts(sandbox, ROUTES[True])


@pytest.mark.parametrize("preview", [False, True])
async def test_a_storyboard_with_layout_errors_is_refused_before_anything_is_sent(
    client: Client, sandbox: Any, preview: bool
) -> None:
    result = await client.call_tool(
        "create_video_from_storyboard", {"storyboard": BROKEN, "preview": preview}
    )
    assert result.is_error
    message = text_of(result)
    assert message.startswith("The storyboard's layout has 4 problems to fix (nothing was sent): ")
    assert 'scenes[0].elements[0] (text "Our quarterly results b…"): wraps to' in message
    assert 'scenes[0].elements[1] (text "Overlapping title"): overlaps elements[0]' in message
    assert "scenes[0].elements[2] (shape circle): runs past" in message
    assert "fontSize 40" in message and "Fix them and call again." in message
    assert "Traceback" not in message
    assert sent(sandbox) == []
    history = structured(await client.call_tool("list_jobs", {}))
    assert history["total"] == 0  # not even a placeholder: nothing was submitted


@pytest.mark.parametrize("preview", [False, True])
async def test_approximate_problems_are_warned_about_and_the_storyboard_is_sent_as_given(
    client: Client, sandbox: Any, preview: bool
) -> None:
    payload = copy.deepcopy(APPROXIMATE)
    view = structured(
        await client.call_tool(
            "create_video_from_storyboard", {"storyboard": payload, "preview": preview}
        )
    )
    (request,) = posts(sandbox, ROUTES[preview])
    assert request["body"] == APPROXIMATE
    (warning,) = view["details"]["layout"]
    assert warning.startswith(
        'scenes[0].elements[1] (text "Results beat every fore…"): wraps to about 3 lines'
    )
    assert "(approximate: Manrope measured with Helvetica widths" in warning
    then = "check them in the preview" if preview else "the render was sent; check the video"
    assert view["next_step"].startswith(
        f"Layout check: 1 possible problem from approximate measures in details.layout; {then}."
    )


async def test_a_clean_storyboard_passes_unchanged_with_nothing_said_about_layout(
    client: Client, sandbox: Any
) -> None:
    view = structured(await client.call_tool("create_video_from_storyboard", {"storyboard": CLEAN}))
    (request,) = posts(sandbox, ROUTES[False])
    assert request["body"] == CLEAN
    assert "layout" not in view["details"]
    assert "Layout" not in view["next_step"]
