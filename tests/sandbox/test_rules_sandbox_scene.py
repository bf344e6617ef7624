"""Scene, background and stock-search rules of the sandbox (§6.2–§6.3)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sandbox.conftest import URL, case, check, names


@pytest.mark.parametrize(
    ("bad", "good", "field"),
    [
        case(
            {"story": "Hi", "blogUrl": "https://b.example/post"},
            {"story": "Hi"},
            "scenes[0]",
            "two-sources",
        ),
        case({}, {"background": {"color": "#000"}}, "scenes[0]", "nothing-at-all"),
        case({"story": ""}, {"story": "x"}, "scenes[0].story", "empty-story"),
        case({"story": "a" * 15001}, {"story": "a" * 15000}, "scenes[0].story", "long-story"),
        case({"story": ["Hi"]}, {"story": "Hi"}, "scenes[0].story", "story-array"),
        case(
            {"blogUrl": "example.com/post"},
            {"blogUrl": "https://example.com/post"},
            "scenes[0].blogUrl",
            "blog-url",
        ),
        case(
            {"pptUrl": "https://x.example/deck.pptx", "useSpeakerNotes": "yes"},
            {"pptUrl": "https://x.example/deck.pptx", "useSpeakerNotes": True},
            "scenes[0].useSpeakerNotes",
            "speaker-notes",
        ),
        case(
            {"videoUrl": URL},
            {"videoUrl": URL, "audioLanguage": "en-GB"},
            "scenes[0].audioLanguage",
            "media-needs-language",
        ),
        case(
            {"audioUrl": URL, "audioLanguage": "en"},
            {"audioUrl": URL, "audioLanguage": "en-US"},
            "scenes[0].audioLanguage",
            "language-enum",
        ),
        case(
            {"story": "Hi", "transcript": []},
            {"videoUrl": URL, "audioLanguage": "en-US", "transcript": []},
            "scenes[0].transcript",
            "transcript-needs-media",
        ),
        case(
            {"story": "Hi", "mediaRepurposeSettings": {}},
            {"audioUrl": URL, "audioLanguage": "hi-IN", "mediaRepurposeSettings": {}},
            "scenes[0].mediaRepurposeSettings",
            "repurpose-needs-media",
        ),
        case(
            {"blogUrl": "https://b.example/p", "isSSMLStory": True},
            {"story": "<speak>Hi</speak>", "isSSMLStory": True},
            "scenes[0].isSSMLStory",
            "ssml-needs-story",
        ),
        case(
            {"blogUrl": "https://b.example/p", "caption": "Hi"},
            {"story": "Hi", "caption": "Hi"},
            "scenes[0].caption",
            "caption-needs-story",
        ),
        case(
            {"story": "Hi", "caption": "Hi", "createSceneOnEndOfSentence": True},
            {"story": "Hi", "caption": "Hi", "createSceneOnEndOfSentence": False},
            "scenes[0].caption",
            "caption-with-split",
        ),
    ],
)
def test_content_source_rules(bad: dict[str, Any], good: dict[str, Any], field: str) -> None:
    check(bad, good, field)


def copilot(**fields: Any) -> dict[str, Any]:
    return {"storyCoPilot": {"prompt": "Explain tides", **fields}}


@pytest.mark.parametrize(
    ("bad", "good", "field"),
    [
        case(
            {"storyCoPilot": {"tone": "casual"}},
            copilot(tone="casual"),
            "scenes[0].storyCoPilot.prompt",
            "prompt-required",
        ),
        case(
            copilot(prompt="p" * 5001),
            copilot(prompt="p" * 5000),
            "scenes[0].storyCoPilot.prompt",
            "prompt-long",
        ),
        case(
            copilot(duration=0),
            copilot(duration=1),
            "scenes[0].storyCoPilot.duration",
            "duration-low",
        ),
        case(
            copilot(duration=601),
            copilot(duration=600),
            "scenes[0].storyCoPilot.duration",
            "duration-high",
        ),
        case(
            copilot(videoType="Vlog"),
            copilot(videoType="Internal Communication"),
            "scenes[0].storyCoPilot.videoType",
            "video-type",
        ),
        case(
            copilot(platform="youtube"),
            copilot(platform="YouTube"),
            "scenes[0].storyCoPilot.platform",
            "platform-case",
        ),
        case(
            copilot(tone="angry"), copilot(tone="humorous"), "scenes[0].storyCoPilot.tone", "tone"
        ),
    ],
)
def test_story_copilot_enumerations_and_bounds(
    bad: dict[str, Any], good: dict[str, Any], field: str
) -> None:
    check(bad, good, field)


@pytest.mark.parametrize(
    ("bad", "good", "field"),
    [
        case(
            {"story": "Hi", "maxSubtitleLines": 5},
            {"story": "Hi", "maxSubtitleLines": 4},
            "scenes[0].maxSubtitleLines",
            "max-lines",
        ),
        case(
            {"story": "Hi", "maxSubtitleLines": 1.5},
            {"story": "Hi", "maxSubtitleLines": 1},
            "scenes[0].maxSubtitleLines",
            "fractional-lines",
        ),
        case(
            {"story": "Hi", "sceneTransition": "dissolve"},
            {"story": "Hi", "sceneTransition": "circlecrop"},
            "scenes[0].sceneTransition",
            "transition",
        ),
        case(
            {"story": "Hi", "minimumDuration": -1},
            {"story": "Hi", "minimumDuration": 0},
            "scenes[0].minimumDuration",
            "negative-duration",
        ),
        case(
            {"story": "Hi", "hideSubtitles": 1},
            {"story": "Hi", "hideSubtitles": True},
            "scenes[0].hideSubtitles",
            "hide-int",
        ),
        case(
            {"story": "Hi", "backgroundMusic": {"enabled": True, "volume": 0.2}},
            {"story": "Hi", "backgroundMusic": {"enabled": False}},
            "scenes[0].backgroundMusic.volume",
            "scene-music-volume",
        ),
        case(
            {"story": "Hi", "avatar": {"avatarId": "Annie_expressive12_public"}},
            {"story": "Hi", "avatar": {"position": "top-left", "hide": True}},
            "scenes[0].avatar.avatarId",
            "scene-avatar-id",
        ),
        case(
            {"story": "Hi", "avatar": {"position": "top-left", "top": "5%"}},
            {
                "story": "Hi",
                "avatar": {"top": "5%", "left": "5%", "borderColor": "#fff", "borderThickness": 2},
            },
            "scenes[0].avatar.top",
            "scene-avatar-position",
        ),
        case(
            {
                "story": "Hi",
                "voiceOver": {
                    "aiVoices": [{"speaker": "Fiona"}],
                    "externalVoice": {"voiceUrl": URL},
                },
            },
            {"story": "Hi", "voiceOver": {"aiVoices": [{"speaker": "Fiona"}]}},
            "scenes[0].voiceOver.externalVoice",
            "scene-voices",
        ),
        case(
            {"story": "Hi", "subtitleStyle": {"fontSize": 0}},
            {"story": "Hi", "subtitleStyle": {"fontSize": 1}},
            "scenes[0].subtitleStyle.fontSize",
            "scene-subtitle-style",
        ),
    ],
)
def test_scene_settings_and_per_scene_overrides(
    bad: dict[str, Any], good: dict[str, Any], field: str
) -> None:
    check(bad, good, field)


def test_max_subtitle_lines_cannot_be_combined_with_a_smart_layout() -> None:
    scene = {"story": "Hi", "maxSubtitleLines": 2}
    assert names(scene, smartLayoutName="Wanderlust") == ["scenes[0].maxSubtitleLines"]
    assert names({"story": "Hi"}, smartLayoutName="Wanderlust") == []


def bg(**fields: Any) -> dict[str, Any]:
    return {"story": "Hi", "background": fields}


def ai(model: str, **fields: Any) -> dict[str, Any]:
    return {"model": model, **fields}


@pytest.mark.parametrize(
    ("bad", "good", "field"),
    [
        case(
            bg(color="#fff", visualUrl=URL),
            bg(color="#fff"),
            "scenes[0].background",
            "two-backgrounds",
        ),
        case(
            bg(color="white"), bg(color="#FFFFFF80"), "scenes[0].background.color", "named-colour"
        ),
        case(
            bg(color="rgb(256,0,0)"),
            bg(color="rgb(255, 0, 0)"),
            "scenes[0].background.color",
            "rgb-range",
        ),
        case(
            bg(color="rgba(0,0,0,1.5)"),
            bg(color="rgba(0,0,0,0.5)"),
            "scenes[0].background.color",
            "rgba-alpha",
        ),
        case(
            bg(type="gif", visualUrl=URL),
            bg(type="image", visualUrl=URL),
            "scenes[0].background.type",
            "type-enum",
        ),
        case(
            bg(type="image", visualUrl=URL, clips=[{"start": 0, "end": 3}]),
            bg(type="video", visualUrl=URL, clips=[{"start": 0, "end": 3}]),
            "scenes[0].background.clips",
            "clips-need-video",
        ),
        case(
            bg(type="video", visualUrl=URL, clips=[{"start": 0, "end": 1}] * 11),
            bg(type="video", visualUrl=URL, clips=[{"start": 0, "end": 1}] * 10),
            "scenes[0].background.clips",
            "too-many-clips",
        ),
        case(
            bg(color="#000", colorOverlay={"color": "#000", "opacity": 1.1}),
            bg(color="#000", colorOverlay={"color": "#000", "opacity": 0}),
            "scenes[0].background.colorOverlay.opacity",
            "overlay-opacity",
        ),
        case(
            bg(type="video", visualUrl=URL, settings={"kenBurnsEffect": True}),
            bg(type="image", visualUrl=URL, settings={"kenBurnsEffect": True}),
            "scenes[0].background.settings.kenBurnsEffect",
            "ken-burns-video",
        ),
        case(
            bg(type="image", visualUrl=URL, settings={"kenBurnsEffect": True, "zoomAndPan": True}),
            bg(type="image", visualUrl=URL, settings={"kenBurnsEffect": False, "zoomAndPan": True}),
            "scenes[0].background.settings.zoomAndPan",
            "ken-burns-zoom",
        ),
        case(
            bg(color="#000", settings={"loop": "yes"}),
            bg(color="#000", settings={"loop": True}),
            "scenes[0].background.settings.loop",
            "loop-string",
        ),
        case(
            bg(color="#000", motionGraphics={"enabled": 1}),
            bg(color="#000", motionGraphics={"enabled": True, "prompt": "waves"}),
            "scenes[0].background.motionGraphics.enabled",
            "motion-graphics",
        ),
    ],
)
def test_background_choices_colours_clips_and_settings(
    bad: dict[str, Any], good: dict[str, Any], field: str
) -> None:
    check(bad, good, field)


def search(**fields: Any) -> dict[str, Any]:
    return bg(searchFilter=fields)


@pytest.mark.parametrize(
    ("bad", "good", "field"),
    [
        case(
            search(keywords=[]),
            search(keywords=["ocean"]),
            "scenes[0].background.searchFilter.keywords",
            "no-keywords",
        ),
        case(
            search(keywords=["k" + str(n) for n in range(11)]),
            search(keywords=["k" + str(n) for n in range(10)]),
            "scenes[0].background.searchFilter.keywords",
            "eleven-keywords",
        ),
        case(
            search(keywords=["a"]),
            search(keywords=["ab"]),
            "scenes[0].background.searchFilter.keywords[0]",
            "short-keyword",
        ),
        case(
            search(keywords=["a" * 101]),
            search(keywords=["a" * 100]),
            "scenes[0].background.searchFilter.keywords[0]",
            "long-keyword",
        ),
        case(
            search(query="sunset", category="Nature/Sunsets"),
            search(query="sunset", category="Nature/Sunrises_and_Sunsets"),
            "scenes[0].background.searchFilter.category",
            "category-child",
        ),
        case(
            search(category="Medical/Hospitals"),
            search(category="Medical"),
            "scenes[0].background.searchFilter.category",
            "category-no-children",
        ),
        case(
            search(query="x", libraries=["shutterstock"]),
            search(query="x", libraries=["story_blocks", "getty"]),
            "scenes[0].background.searchFilter.libraries[0]",
            "library",
        ),
        case(
            search(libraries=["getty"]),
            search(query="city at night", libraries=["getty"]),
            "scenes[0].background.searchFilter",
            "no-query",
        ),
    ],
)
def test_stock_search_filter_rules(bad: dict[str, Any], good: dict[str, Any], field: str) -> None:
    check(bad, good, field)
