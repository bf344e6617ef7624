"""Storyboard element updates reach everything a preview shows: its renderParams, its preview
page, its own subtitles and the render made from it; a change of an element's kind is refused."""

from __future__ import annotations

from typing import Any

import httpx

from tests.sandbox.conftest import poll, start_job

BODY = {
    "videoName": "garden",
    "voiceOver": {"enabled": True, "aiVoices": [{"speaker": "Brian"}]},
    "scenes": [
        {
            "story": "Water the garden early. Weeds grow back fast.",
            "createSceneOnEndOfSentence": True,
        }
    ],
}
IMAGE = "https://images.example.com/roses.jpg"


def ready_preview(sandbox: Any, http: httpx.Client) -> tuple[str, dict[str, Any]]:
    job_id = start_job(http, "/v2/video/storyboard", BODY)
    sandbox.control.advance_clock(600)
    return job_id, poll(http, job_id)["data"]


def element(data: dict[str, Any], element_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        e for e in data["renderParams"]["elements"] if e["id"] == element_id
    )
    return found


def test_the_preview_page_lists_the_scenes_as_they_stand(sandbox: Any, http: httpx.Client) -> None:
    job_id, data = ready_preview(sandbox, http)
    before = httpx.get(data["preview"], timeout=10).text
    assert "<li id='scene-1'>" in before and "<li id='scene-2'>" in before
    assert "Water the garden early." in before and IMAGE not in before
    change = [
        {**element(data, "SceneText_2"), "text": "Pull weeds <weekly>."},
        {**element(data, "backgroundElement_2"), "url": IMAGE, "type": "image"},
    ]
    assert http.put(f"/v2/video/storyboard/{job_id}/elements", json=change).status_code == 204
    after = httpx.get(data["preview"], timeout=10).text
    assert "Pull weeds &lt;weekly&gt;." in after and "Weeds grow back fast." not in after
    assert f"<img src='{IMAGE}'" in after
    assert "Water the garden early." in after


def test_an_update_changes_the_preview_subtitles_but_not_its_timing(
    sandbox: Any, http: httpx.Client, root: httpx.Client
) -> None:
    job_id, data = ready_preview(sandbox, http)
    old = element(data, "SceneText_1")
    change = [{**old, "text": "Water at dawn."}]
    assert http.put(f"/v2/video/storyboard/{job_id}/elements", json=change).status_code == 204
    srt = root.get(f"/assets/{job_id}/subtitles.srt").text
    assert "Water at dawn." in srt and "Water the garden early." not in srt
    new = element(poll(http, job_id)["data"], "SceneText_1")
    assert new == {**old, "text": "Water at dawn."}


def test_an_element_cannot_change_its_kind(sandbox: Any, http: httpx.Client) -> None:
    job_id, data = ready_preview(sandbox, http)
    change = [
        {**element(data, "SceneText_1"), "text": "Fine."},
        {"id": "SceneText_2", "elementType": "backgroundElement", "type": "image", "url": IMAGE},
    ]
    response = http.put(f"/v2/video/storyboard/{job_id}/elements", json=change)
    assert response.status_code == 400
    assert response.json()["fields"] == [
        {"name": "[1].elementType", "errors": "Element SceneText_2 is a SceneText"}
    ]
    # Refused whole: the valid first change was not applied either.
    assert poll(http, job_id)["data"]["renderParams"] == data["renderParams"]


def test_a_render_from_the_edited_preview_uses_the_new_text(
    sandbox: Any, http: httpx.Client
) -> None:
    job_id, data = ready_preview(sandbox, http)
    change = [{**element(data, "SceneText_2"), "text": "Mulch saves water."}]
    assert http.put(f"/v2/video/storyboard/{job_id}/elements", json=change).status_code == 204
    response = http.put(f"/v2/video/render/{job_id}", json={})
    assert response.status_code == 200, response.text
    render = response.json()["data"]["jobId"]
    sandbox.control.advance_clock(600)
    done = poll(http, render)["data"]
    text = httpx.get(done["txtFile"], timeout=10).text
    assert "Water the garden early." in text and "Mulch saves water." in text
    assert "Weeds grow back fast." not in text
    ends = [e["startTime"] + e["duration"] for e in data["renderParams"]["elements"]]
    assert done["videoDuration"] == round(max(ends), 1)
