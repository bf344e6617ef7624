"""How a preview's renderParams become numbered compact scenes, whatever else the elements hold."""

from __future__ import annotations

from pictory_mcp.server.tools.previews import compact, scenes_of


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


def test_render_params_without_elements_have_no_scenes() -> None:
    assert scenes_of(None) == {}
    assert scenes_of({"scenes": [{"sub_scenes": []}]}) == {}
    assert scenes_of({"elements": "broken"}) == {}


def test_a_long_url_is_shortened_to_two_hundred_characters() -> None:
    url = "https://cdn.example.com/" + "v" * 300 + ".mp4"
    shown = compact(1, {"backgroundElement": {"url": url}})["visual"]
    assert len(shown) == 200 and shown.endswith("…") and url.startswith(shown[:-1])
