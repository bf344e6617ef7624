"""How a preview's renderParams become numbered compact scenes, whatever else the elements hold."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from pictory_mcp.config import Settings
from pictory_mcp.errors import ServerError
from pictory_mcp.server.state import AppState
from pictory_mcp.server.tools.previews import compact, scenes_of, update_preview_scene


def test_scenes_are_numbered_by_element_id_and_other_elements_are_ignored() -> None:
    params = {
        "elements": [
            {"id": "voiceOver", "elementType": "audioElement", "url": "https://a/x.mp3"},
            {"id": "backgroundElement_10", "type": "image", "url": "https://a/10.jpg"},
            {"id": "SceneText_9", "text": "Nine", "startTime": 4, "duration": 1.234},
            {"id": "backgroundElement_9", "type": "video", "url": "https://a/9.mp4"},
            {"id": "layerItem_1", "elementType": "layerItem"},
            "not an element",
            {"id": "SceneText_x", "text": "no number"},
        ]
    }
    scenes = scenes_of(params)
    assert list(scenes) == [9, 10]
    assert compact(9, scenes[9]) == {
        "scene": 9,
        "text": "Nine",
        "visual": "https://a/9.mp4",
        "visual_type": "video",
        "start": 4.0,
        "duration": 1.23,
    }
    assert compact(10, scenes[10]) == {
        "scene": 10,
        "visual": "https://a/10.jpg",
        "visual_type": "image",
    }


def test_scene_timing_sent_as_numeric_text_is_read_like_job_answers_are() -> None:
    parts = {"SceneText": {"text": "T", "startTime": "2.5", "duration": "3"}}
    scene = compact(1, parts)
    assert (scene["start"], scene["duration"]) == (2.5, 3.0)
    assert "start" not in compact(1, {"SceneText": {"startTime": True, "duration": "soon"}})


def test_render_params_without_elements_have_no_scenes() -> None:
    assert scenes_of(None) == {}
    assert scenes_of({"scenes": [{"sub_scenes": []}]}) == {}
    assert scenes_of({"elements": "broken"}) == {}


def test_a_long_url_is_shortened_to_two_hundred_characters() -> None:
    url = "https://cdn.example.com/" + "v" * 300 + ".mp4"
    shown = compact(1, {"backgroundElement": {"url": url}})["visual"]
    assert len(shown) == 200 and shown.endswith("…") and url.startswith(shown[:-1])


class FlakyReadBack:
    """A client whose job answer fails after the edit, as a 503 after a PUT would."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.gets = 0
        self.sent: list[list[dict[str, Any]]] = []

    async def get_job(self, job_id: str) -> dict[str, Any]:
        self.gets += 1
        if self.gets > 1:
            raise ServerError("Service Unavailable", status_code=503)
        return {"data": self.data}

    async def update_storyboard_elements(self, job_id: str, elements: list[dict[str, Any]]) -> None:
        self.sent.append(elements)


@pytest.mark.anyio
async def test_a_failed_read_back_answers_with_the_elements_that_were_sent(tmp_path: Path) -> None:
    caption = {"id": "SceneText_1", "elementType": "SceneText", "type": "text", "text": "Old."}
    background = {"id": "backgroundElement_1", "elementType": "backgroundElement", "type": "video"}
    timing = {"startTime": 0, "duration": 2.5}
    data = {
        "status": "completed",
        "renderParams": {"elements": [{**caption, **timing}, {**background, **timing}]},
    }
    fake = FlakyReadBack(data)
    state = AppState(
        settings=Settings.from_env({}, poll_interval=1.0, db_path=tmp_path / "jobs.sqlite3"),
        store=None,  # type: ignore[arg-type]
        client_factory=lambda: fake,  # type: ignore[arg-type,return-value]
        base_url="https://api.example.com",
    )
    ctx = SimpleNamespace(request_context=SimpleNamespace(lifespan_context=state))
    page = await update_preview_scene(ctx, job_id="job-1", scene=1, text="New.")  # type: ignore[arg-type]
    assert page.items == [
        {"scene": 1, "text": "New.", "visual_type": "video", "start": 0.0, "duration": 2.5}
    ]
    assert fake.sent == [[{**caption, **timing, "text": "New."}]]
