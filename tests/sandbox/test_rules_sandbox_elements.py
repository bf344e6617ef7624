"""AI visual and element rules of the sandbox (§6.4–§6.5)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sandbox.conftest import URL, case, check


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
            text(style={"showBullet": True}),
            text(style={"fontSize": 40}),
            "scenes[0].elements[0].style.showBullet",
            "bullets-are-for-subtitles",
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
