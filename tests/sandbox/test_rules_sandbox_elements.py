"""AI visual, element, font-style and animation rules of the sandbox (§6.4–§6.6)."""

from __future__ import annotations

from typing import Any

import pytest

from pictory_mcp.sandbox.rules import validate_storyboard


def names(scene: dict[str, Any], **top: Any) -> list[str]:
    body = {"videoName": "demo", "scenes": [scene], **top}
    return [field["name"] for field in validate_storyboard(body)]


def case(bad: dict[str, Any], good: dict[str, Any], field: str, id_: str) -> Any:
    return pytest.param(bad, good, field, id=id_)


def check(bad: dict[str, Any], good: dict[str, Any], field: str) -> None:
    assert names(bad) == [field]
    assert names(good) == []


URL = "https://cdn.example.com/clip.mp4"


def bg(**fields: Any) -> dict[str, Any]:
    return {"story": "Hi", "background": fields}


def ai(model: str, **fields: Any) -> dict[str, Any]:
    return {"model": model, **fields}


@pytest.mark.parametrize(
    ("bad", "good", "field"),
    [
        case(
            bg(aiVisual=ai("pixverse5.5")),
            bg(type="video", aiVisual=ai("pixverse5.5")),
            "scenes[0].background.type",
            "type-required",
        ),
        case(
            bg(type="video", aiVisual={"prompt": "x"}),
            bg(type="video", aiVisual=ai("veo3.1")),
            "scenes[0].background.aiVisual.model",
            "model-required",
        ),
        case(
            bg(type="video", aiVisual=ai("sora")),
            bg(type="video", aiVisual=ai("veo3.1_fast")),
            "scenes[0].background.aiVisual.model",
            "model-enum",
        ),
        case(
            bg(type="video", aiVisual=ai("flux-schnell")),
            bg(type="image", aiVisual=ai("flux-schnell")),
            "scenes[0].background.aiVisual.model",
            "image-model-for-video",
        ),
        case(
            bg(type="video", aiVisual=ai("veo3.1", videoDuration="5s")),
            bg(type="video", aiVisual=ai("veo3.1", videoDuration="6s")),
            "scenes[0].background.aiVisual.videoDuration",
            "veo-duration",
        ),
        case(
            bg(type="video", aiVisual=ai("pixverse5.5", videoDuration="4s")),
            bg(type="video", aiVisual=ai("pixverse5.5", videoDuration="10s")),
            "scenes[0].background.aiVisual.videoDuration",
            "pixverse-duration",
        ),
        case(
            bg(type="image", aiVisual=ai("seedream3.0", videoDuration="5s")),
            bg(type="image", aiVisual=ai("seedream3.0")),
            "scenes[0].background.aiVisual.videoDuration",
            "duration-on-image",
        ),
        case(
            bg(type="image", aiVisual=ai("nanobanana", prompt="p" * 501)),
            bg(type="image", aiVisual=ai("nanobanana", prompt="p" * 500)),
            "scenes[0].background.aiVisual.prompt",
            "prompt-long",
        ),
        case(
            bg(type="image", aiVisual=ai("seedream3.0", mediaStyle="anime")),
            bg(type="image", aiVisual=ai("seedream3.0", mediaStyle="cartoon")),
            "scenes[0].background.aiVisual.mediaStyle",
            "media-style",
        ),
        case(
            bg(
                type="video",
                aiVisual=ai("veo3.1", firstFrameImageUrl=URL, referenceImageUrls=[URL]),
            ),
            bg(type="video", aiVisual=ai("veo3.1", referenceImageUrls=[URL, URL])),
            "scenes[0].background.aiVisual.referenceImageUrls",
            "first-frame-vs-references",
        ),
        case(
            bg(type="video", aiVisual=ai("veo3.1", referenceImageUrls=[URL] * 3)),
            bg(type="video", aiVisual=ai("veo3.1", referenceImageUrls=[URL])),
            "scenes[0].background.aiVisual.referenceImageUrls",
            "three-references",
        ),
        case(
            bg(type="image", aiVisual=ai("seedream3.0", firstFrameImageUrl=URL)),
            bg(type="video", aiVisual=ai("pixverse5.5", firstFrameImageUrl=URL)),
            "scenes[0].background.aiVisual.firstFrameImageUrl",
            "first-frame-image-model",
        ),
        case(
            bg(type="video", aiVisual=ai("veo3.1", referenceImageUrl=URL)),
            bg(type="image", aiVisual=ai("seedream3.0", referenceImageUrl=URL)),
            "scenes[0].background.aiVisual.referenceImageUrl",
            "reference-video-model",
        ),
        case(
            bg(type="video", aiVisual=ai("veo3.1", visualContinuity="on")),
            bg(type="video", aiVisual=ai("veo3.1", visualContinuity=True)),
            "scenes[0].background.aiVisual.visualContinuity",
            "continuity",
        ),
    ],
)
def test_ai_visual_models_durations_and_references(
    bad: dict[str, Any], good: dict[str, Any], field: str
) -> None:
    check(bad, good, field)


def el(**fields: Any) -> dict[str, Any]:
    return {"story": "Hi", "elements": [fields]}


def text(**fields: Any) -> dict[str, Any]:
    return el(type="text", text="Title", **fields)


@pytest.mark.parametrize(
    ("bad", "good", "field"),
    [
        case(
            {"story": "Hi", "elements": []},
            el(type="shape", name="circle"),
            "scenes[0].elements",
            "no-elements",
        ),
        case(
            {"story": "Hi", "elements": [{"type": "shape", "name": "circle"}] * 21},
            {"story": "Hi", "elements": [{"type": "shape", "name": "circle"}] * 20},
            "scenes[0].elements",
            "twenty-one",
        ),
        case(
            el(type="sticker"),
            el(type="shape", name="pill"),
            "scenes[0].elements[0].type",
            "type-enum",
        ),
        case(
            el(name="circle"),
            el(type="shape", name="circle"),
            "scenes[0].elements[0].type",
            "type-required",
        ),
        case(
            el(type="shape", name="hexagon"),
            el(type="shape", name="speech-bubble-7"),
            "scenes[0].elements[0].name",
            "shape-catalogue",
        ),
        case(
            el(type="shape", name="speech-bubble-1"),
            el(type="shape", name="geometry-10"),
            "scenes[0].elements[0].name",
            "shape-gap",
        ),
        case(
            el(type="shape", name="line", strokeWidth=-2),
            el(type="shape", name="line", stroke="#123", strokeWidth=2),
            "scenes[0].elements[0].strokeWidth",
            "stroke-width",
        ),
        case(
            el(type="shape", name="circle", fill="blue"),
            el(type="shape", name="circle", fill="#0000ff"),
            "scenes[0].elements[0].fill",
            "fill-colour",
        ),
        case(
            el(type="shape", name="circle", position="center", top="10%"),
            el(type="shape", name="circle", position="center"),
            "scenes[0].elements[0].top",
            "position-vs-top",
        ),
        case(
            el(type="shape", name="circle", position="middle"),
            el(type="shape", name="circle", position="center-right"),
            "scenes[0].elements[0].position",
            "position-enum",
        ),
        case(
            el(type="shape", name="circle", left="10.5%"),
            el(type="shape", name="circle", left="10%"),
            "scenes[0].elements[0].left",
            "decimal-percent",
        ),
        case(
            el(type="shape", name="circle", width="101%"),
            el(type="shape", name="circle", width="100%"),
            "scenes[0].elements[0].width",
            "percent-over",
        ),
        case(
            el(type="shape", name="circle", top=10),
            el(type="shape", name="circle", top="0%"),
            "scenes[0].elements[0].top",
            "percent-number",
        ),
        case(el(type="text"), text(), "scenes[0].elements[0].text", "text-required"),
        case(
            el(type="text", text="t" * 2001),
            el(type="text", text="t" * 2000),
            "scenes[0].elements[0].text",
            "text-long",
        ),
        case(
            text(textVariant="title"),
            text(textVariant="subheading"),
            "scenes[0].elements[0].textVariant",
            "variant",
        ),
    ],
)
def test_element_types_shapes_and_positioning(
    bad: dict[str, Any], good: dict[str, Any], field: str
) -> None:
    check(bad, good, field)


@pytest.mark.parametrize(
    ("bad", "good", "field"),
    [
        case(
            el(type="image"),
            el(type="image", visualUrl=URL),
            "scenes[0].elements[0]",
            "media-needs-source",
        ),
        case(
            el(type="image", visualUrl=URL, searchFilter={"query": "cat"}),
            el(type="image", searchFilter={"query": "cat"}),
            "scenes[0].elements[0]",
            "media-two-sources",
        ),
        case(
            el(type="video", searchFilter={"keywords": ["cat"]}),
            el(type="video", searchFilter={"query": "cat", "keywords": ["x"]}),
            "scenes[0].elements[0].searchFilter.query",
            "element-search-query",
        ),
        case(
            el(type="image", aiVisual=ai("pixverse5.5")),
            el(type="image", aiVisual=ai("seedream3.0")),
            "scenes[0].elements[0].aiVisual.model",
            "element-model-kind",
        ),
        case(
            el(type="video", aiVisual=ai("pixverse5.5", videoDuration="6s")),
            el(type="video", aiVisual=ai("pixverse5.5", videoDuration="8s")),
            "scenes[0].elements[0].aiVisual.videoDuration",
            "element-duration",
        ),
        case(
            el(type="image", visualUrl=URL, settings={"loop": True}),
            el(type="video", visualUrl=URL, settings={"loop": True, "mute": False}),
            "scenes[0].elements[0].settings",
            "settings-image",
        ),
        case(
            el(type="image", visualUrl=URL, colorOverlay={"opacity": 2}),
            el(type="image", visualUrl=URL, colorOverlay={"opacity": 0.4}),
            "scenes[0].elements[0].colorOverlay.opacity",
            "element-overlay",
        ),
    ],
)
def test_media_elements_take_exactly_one_source(
    bad: dict[str, Any], good: dict[str, Any], field: str
) -> None:
    check(bad, good, field)


def styled(**style: Any) -> dict[str, Any]:
    return text(style=style)


def anim(**fields: Any) -> dict[str, Any]:
    return {"name": "fade", "type": "entry", **fields}


S = "scenes[0].elements[0].style"


@pytest.mark.parametrize(
    ("bad", "good", "field"),
    [
        case(
            styled(fontFamily="Comic Sans"),
            styled(fontFamily="space mono"),
            f"{S}.fontFamily",
            "font-list",
        ),
        case(
            styled(fontFamily="Comic Sans", fontUrl="not a url"),
            styled(fontFamily="Comic Sans", fontUrl="https://fonts.example/comic.ttf"),
            f"{S}.fontUrl",
            "font-url",
        ),
        case(
            styled(fontUrl="https://fonts.example/x.ttf"),
            styled(fontUrl="https://fonts.example/x.ttf", fontFamily="X"),
            f"{S}.fontFamily",
            "font-url-needs-family",
        ),
        case(styled(fontSize=12.5), styled(fontSize=12), f"{S}.fontSize", "font-size-int"),
        case(styled(fontSize=0), styled(fontSize=1), f"{S}.fontSize", "font-size-min"),
        case(styled(color="#12345"), styled(color="#123"), f"{S}.color", "hex-length"),
        case(
            styled(keywordColor="rgb(1,2)"),
            styled(keywordColor="rgba(1,2,3,0)"),
            f"{S}.keywordColor",
            "rgb-arity",
        ),
        case(
            styled(position="center"),
            styled(position="center-center"),
            f"{S}.position",
            "no-center-alias",
        ),
        case(styled(alignment="justify"), styled(alignment="right"), f"{S}.alignment", "alignment"),
        case(
            styled(decorations=["strike"]),
            styled(decorations=["linethrough", "italics"]),
            f"{S}.decorations[0]",
            "decoration",
        ),
        case(styled(case="title"), styled(case="smallcapitalize"), f"{S}.case", "case"),
        case(
            styled(paragraphWidth="80.5%"),
            styled(paragraphWidth="80%"),
            f"{S}.paragraphWidth",
            "paragraph-width",
        ),
        case(
            styled(shadowWidth="2px"),
            styled(shadowWidth="2%", shadowColor="#000"),
            f"{S}.shadowWidth",
            "shadow-width",
        ),
        case(
            styled(showBoxBackground="false"),
            styled(showBoxBackground=False),
            f"{S}.showBoxBackground",
            "box-background",
        ),
    ],
)
def test_font_style_fields(bad: dict[str, Any], good: dict[str, Any], field: str) -> None:
    check(bad, good, field)


@pytest.mark.parametrize(
    ("bad", "good", "field"),
    [
        case(styled(animations=[]), styled(animations=[anim()]), f"{S}.animations", "none"),
        case(
            styled(animations=[anim(), anim(type="exit"), anim(type="exit")]),
            styled(animations=[anim(), anim(type="exit")]),
            f"{S}.animations",
            "three",
        ),
        case(
            styled(animations=[anim(), anim(name="blur")]),
            styled(animations=[anim(), anim(name="blur", type="exit")]),
            f"{S}.animations[1].type",
            "two-entries",
        ),
        case(
            styled(animations=[anim(name="zoom")]),
            styled(animations=[anim(name="text reveal")]),
            f"{S}.animations[0].name",
            "name-enum",
        ),
        case(
            styled(animations=[{"name": "fade"}]),
            styled(animations=[anim()]),
            f"{S}.animations[0].type",
            "type-required",
        ),
        case(
            styled(animations=[anim(speed="custom")]),
            styled(animations=[anim(speed="custom", customSpeedValue=0.5)]),
            f"{S}.animations[0].customSpeedValue",
            "custom-speed-required",
        ),
        case(
            styled(animations=[anim(speed="custom", customSpeedValue=0.4)]),
            styled(animations=[anim(speed="custom", customSpeedValue=2)]),
            f"{S}.animations[0].customSpeedValue",
            "custom-speed-min",
        ),
        case(
            styled(animations=[anim(speed="quick")]),
            styled(animations=[anim(speed="fast")]),
            f"{S}.animations[0].speed",
            "speed",
        ),
        case(
            styled(animations=[anim(direction="north")]),
            styled(animations=[anim(direction="down")]),
            f"{S}.animations[0].direction",
            "direction",
        ),
        case(
            styled(animations=[anim(name="typewriter", writingStyle="letter")]),
            styled(animations=[anim(name="typewriter", writingStyle="character")]),
            f"{S}.animations[0].writingStyle",
            "writing-style",
        ),
        case(
            styled(animations=[anim(name="wipe", futureWords="subtle")]),
            styled(animations=[anim(name="blur", futureWords="subtle")]),
            f"{S}.animations[0].futureWords",
            "future-words-animation",
        ),
        case(
            styled(animations=[anim(futureWords="faint")]),
            styled(animations=[anim(futureWords="prominent")]),
            f"{S}.animations[0].futureWords",
            "future-words-enum",
        ),
    ],
)
def test_animation_rules(bad: dict[str, Any], good: dict[str, Any], field: str) -> None:
    check(bad, good, field)


def test_top_level_subtitle_style_uses_the_same_font_rules() -> None:
    scene = {"story": "Hi"}
    assert names(scene, subtitleStyle={"fontFamily": "Nope"}) == ["subtitleStyle.fontFamily"]
    assert (
        names(
            scene,
            subtitleStyle={
                "fontFamily": "Poppins Extrabold",
                "showBullet": True,
                "bulletFillColor": "#fff",
            },
        )
        == []
    )


def test_brolls_and_the_image_pool_are_checked_like_backgrounds() -> None:
    broll = {"type": "video", "visualUrl": URL, "brollClip": {"start": 4, "end": 2}}
    assert names({"story": "Hi", "backgroundBrolls": [broll]}) == [
        "scenes[0].backgroundBrolls[0].brollClip.end"
    ]
    broll["brollClip"] = {"start": 1, "end": 2}
    pool = [{"visualUrl": URL, "type": "image", "prefer": True}]
    assert names({"story": "Hi", "backgroundBrolls": [broll], "backgroundCorpus": pool}) == []
    assert names({"story": "Hi", "backgroundCorpus": [{"type": "image"}]}) == [
        "scenes[0].backgroundCorpus[0].visualUrl"
    ]


def test_errors_inside_later_scenes_carry_their_index() -> None:
    body = {"videoName": "demo", "scenes": [{"story": "a"}, {"story": "b", "sceneTransition": 1}]}
    assert [f["name"] for f in validate_storyboard(body)] == ["scenes[1].sceneTransition"]
