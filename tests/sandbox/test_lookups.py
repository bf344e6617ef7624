"""Look-up endpoints answer in their documented envelopes: bare arrays, `items`, `Items`,
`{data: {page, searchResults}}` and bare objects."""

from __future__ import annotations

import httpx
import pytest


@pytest.mark.parametrize(
    "path",
    [
        "/v1/voiceovers/tracks",
        "/v1/music/moods",
        "/v1/music/purposes",
        "/v1/music/genres",
        "/v1/music/genres/groups",
        "/v1/music/instruments",
        "/v1/brands/video",
        "/v1/styles",
    ],
)
def test_lookups_documented_as_bare_arrays_are_bare_arrays(http: httpx.Client, path: str) -> None:
    response = http.get(path)
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list) and body


def test_voice_tracks_carry_the_documented_keys(http: httpx.Client) -> None:
    voice = http.get("/v1/voiceovers/tracks").json()[0]
    assert {"id", "name", "voice", "language", "service", "engine", "gender"} <= set(voice)


@pytest.mark.parametrize(
    ("path", "envelope"),
    [
        ("/v1/smartlayouts", ["items"]),
        ("/v1/templates", ["items"]),
        ("/v1/avatars", ["items", "nextPageKey"]),
        ("/v1/awsconnections", ["Items"]),
        ("/v1/vimeo-connections", ["Items", "nextPageKey"]),
    ],
)
def test_list_lookups_use_their_own_envelope_casing(
    http: httpx.Client, path: str, envelope: list[str]
) -> None:
    body = http.get(path).json()
    assert sorted(body) == sorted(envelope)
    assert isinstance(body[envelope[0]], list) and body[envelope[0]]


def test_music_search_answers_items_and_validates_its_body(http: httpx.Client) -> None:
    found = http.post("/v1/music/search", json={"page": 1, "pageSize": 20, "sort": "featured"})
    assert found.status_code == 200
    assert {"id", "title", "audioUrl", "duration"} <= set(found.json()["items"][0])
    refused = http.post("/v1/music/search", json={"pageSize": 5})
    assert refused.status_code == 400
    assert refused.json()["code"] == "INVALID_REQUEST_BODY"


def test_media_search_wraps_results_in_data_page(http: httpx.Client) -> None:
    body = http.get("/v1/media/search", params={"keyword": "ocean waves", "language": "en"}).json()
    assert list(body) == ["data"]
    assert body["data"]["page"] == 1
    assert body["data"]["searchResults"][0]["mediaType"] in ("video", "image")
    assert http.get("/v1/media/search").status_code == 400


def test_template_by_id_and_an_unknown_template(http: httpx.Client) -> None:
    first = http.get("/v1/templates").json()["items"][0]
    detail = http.get(f"/v1/templates/{first['templateId']}")
    assert detail.status_code == 200
    assert detail.json()["templateId"] == first["templateId"]
    assert http.get("/v1/templates/no-such-template").status_code == 404


@pytest.mark.parametrize("kind", ["awsconnections", "vimeo-connections"])
def test_a_connection_by_id_and_an_unknown_one(http: httpx.Client, kind: str) -> None:
    first = http.get(f"/v1/{kind}").json()["Items"][0]
    one = http.get(f"/v1/{kind}/{first['connectionId']}")
    assert one.json() == first
    assert http.get(f"/v1/{kind}/nope").status_code == 404


def test_quota_is_a_bare_object(http: httpx.Client) -> None:
    body = http.get("/v1/quota").json()
    assert set(body) == {
        "videoMinutes",
        "transcriptionMinutes",
        "elevenLabsVoiceOverMinutes",
        "aiCredits",
    }


def test_a_wrong_method_is_a_json_405(http: httpx.Client) -> None:
    response = http.delete("/v1/quota")
    assert response.status_code == 405
    assert response.json() == {"message": "Method Not Allowed"}
