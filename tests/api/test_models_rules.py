"""Every validation rule of REFERENCE §6.13 (and the value formats of §6.10) is refused
with a message that names the fields to change."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import ValidationError

from pictory_mcp.api.models import Storyboard

DROP = object()
"""Marks a key to remove."""

BASE: dict[str, Any] = {
    "videoName": "rules",
    "voiceOver": {"enabled": True, "aiVoices": [{"speaker": "Brian"}]},
    "backgroundMusic": {"enabled": True, "autoMusic": True, "volume": 0.1},
    "scenes": [{"story": "Hello there."}],
}

AI_VIDEO = {"type": "video", "aiVisual": {"model": "pixverse5.5", "videoDuration": "5s"}}
AI_IMAGE = {"type": "image", "aiVisual": {"model": "seedream3.0"}}
TEXT = {"type": "text", "text": "Hi"}
ANIM = {"name": "fade", "type": "entry"}
EXIT = {"name": "fade", "type": "exit"}


def mutate(changes: dict[str, Any]) -> dict[str, Any]:
    """BASE with dotted paths ("scenes.0.story") set to values, or removed with DROP."""
    payload = copy.deepcopy(BASE)
    for path, value in changes.items():
        *parents, last = path.split(".")
        node: Any = payload
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        key: Any = int(last) if isinstance(node, list) else last
        if value is DROP:
            del node[key]
        else:
            node[key] = copy.deepcopy(value)
    return payload


RULES: list[tuple[str, dict[str, Any], str]] = [
    # Required fields and pairs.
    ("videoName missing", {"videoName": DROP}, "Field required"),
    ("scenes missing", {"scenes": DROP}, "scenes is required (at least 1 scene) unless templateId"),
    ("scenes empty", {"scenes": []}, "at least 1 item"),
    ("variables without template", {"variables": {"a": 1}}, "variables fill a template"),
    ("width without height", {"videoWidth": 1920}, "videoWidth and videoHeight must be sent together"),
    ("height without width", {"videoHeight": 1080}, "videoWidth and videoHeight must be sent together"),
    # Mutually exclusive pairs.
    ("brand id and name", {"brandId": "b", "brandName": "n"},
     "brandId and brandName are mutually exclusive: send only one"),
    ("subtitle style id and name", {"subtitleStyleId": "s", "subtitleStyleName": "n"},
     "subtitleStyleId and subtitleStyleName are mutually exclusive"),
    ("smart layout id and name", {"smartLayoutId": "s", "smartLayoutName": "n"},
     "smartLayoutId and smartLayoutName are mutually exclusive"),
    ("global ai and external voice", {"voiceOver.externalVoice": {"voiceUrl": "https://v"}},
     "voiceOver.aiVoices and voiceOver.externalVoice are mutually exclusive"),
    ("scene ai and external voice",
     {"scenes.0.voiceOver": {"aiVoices": [{"speaker": "B"}], "externalVoice": {"voiceUrl": "u"}}},
     "voiceOver.aiVoices and voiceOver.externalVoice are mutually exclusive"),
    ("autoMusic and musicUrl", {"backgroundMusic.musicUrl": "https://m.mp3"},
     "backgroundMusic.autoMusic and backgroundMusic.musicUrl are mutually exclusive"),
    ("first frame and reference images",
     {"scenes.0.background": {"type": "video", "aiVisual": {
         "model": "veo3.1", "firstFrameImageUrl": "f", "referenceImageUrls": ["r"]}}},
     "aiVisual.firstFrameImageUrl and aiVisual.referenceImageUrls are mutually exclusive"),
    ("element position and top", {"scenes.0.elements": [{**TEXT, "position": "center", "top": "5%"}]},
     "element position and top/left are mutually exclusive"),
    ("ken burns and zoom and pan",
     {"scenes.0.background": {"color": "#000", "settings": {"kenBurnsEffect": True,
                                                            "zoomAndPan": True}}},
     "settings.kenBurnsEffect and settings.zoomAndPan are mutually exclusive"),
    # Avatar needs narration.
    ("avatar with voice disabled", {"avatar": {"avatarId": "a"}, "voiceOver.enabled": False},
     "avatar requires voiceOver.enabled: true"),
    ("avatar without voiceOver", {"avatar": {"avatarId": "a"}, "voiceOver": DROP},
     "avatar requires voiceOver.enabled: true"),
    # Limits.
    ("story too long", {"scenes.0.story": "x" * 15001}, "at most 15000 characters"),
    ("copilot prompt too long", {"scenes.0": {"storyCoPilot": {"prompt": "x" * 5001}}},
     "at most 5000 characters"),
    ("ai prompt too long",
     {"scenes.0.background": {"type": "image", "aiVisual": {"model": "flux-schnell",
                                                          "prompt": "x" * 501}}},
     "at most 500 characters"),
    ("element text too long", {"scenes.0.elements": [{**TEXT, "text": "x" * 2001}]},
     "at most 2000 characters"),
    ("speed too slow", {"voiceOver.aiVoices.0.speed": 49}, "greater than or equal to 50"),
    ("speed too fast", {"voiceOver.aiVoices.0.speed": 201}, "less than or equal to 200"),
    ("amplification too high", {"voiceOver.aiVoices.0.amplificationLevel": 1.5},
     "less than or equal to 1"),
    ("external amplification too low",
     {"voiceOver": {"enabled": True, "externalVoice": {"voiceUrl": "u", "amplificationLevel": -2}}},
     "greater than or equal to -1"),
    ("subtitle lines zero", {"scenes.0.maxSubtitleLines": 0}, "greater than or equal to 1"),
    ("subtitle lines five", {"scenes.0.maxSubtitleLines": 5}, "less than or equal to 4"),
    ("no elements", {"scenes.0.elements": []}, "at least 1 item"),
    ("21 elements", {"scenes.0.elements": [TEXT] * 21}, "at most 20 items"),
    ("no keywords", {"scenes.0.background": {"searchFilter": {"keywords": []}}}, "at least 1 item"),
    ("11 keywords", {"scenes.0.background": {"searchFilter": {"keywords": ["ab"] * 11}}},
     "at most 10 items"),
    ("one-letter keyword", {"scenes.0.background": {"searchFilter": {"keywords": ["a"]}}},
     "at least 2 characters"),
    ("long keyword", {"scenes.0.background": {"searchFilter": {"keywords": ["a" * 101]}}},
     "at most 100 characters"),
    ("music too loud", {"backgroundMusic.volume": 1.5}, "less than or equal to 1"),
    ("11 music clips", {"backgroundMusic.clips": [{"start": 0, "end": 1}] * 11}, "at most 10 items"),
    ("11 background clips",
     {"scenes.0.background": {"visualUrl": "u", "type": "video",
                              "clips": [{"start": 0, "end": 1}] * 11}},
     "at most 10 items"),
    ("overlay too opaque",
     {"scenes.0.background": {"color": "#000", "colorOverlay": {"color": "#fff", "opacity": 1.2}}},
     "less than or equal to 1"),
    ("webhook too long", {"webhook": "https://e.com/" + "x" * 490}, "at most 500 characters"),
    ("copilot too long a video", {"scenes.0": {"storyCoPilot": {"prompt": "p", "duration": 601}}},
     "less than or equal to 600"),
    ("font size zero", {"subtitleStyle": {"fontSize": 0}}, "greater than or equal to 1"),
    ("font size fractional", {"subtitleStyle": {"fontSize": 1.5}}, "fractional part"),
    ("custom speed too slow",
     {"subtitleStyle": {"animations": [{**ANIM, "speed": "custom", "customSpeedValue": 0.4}]}},
     "greater than or equal to 0.5"),
    ("three animations", {"subtitleStyle": {"animations": [ANIM, EXIT, ANIM]}}, "at most 2 items"),
    ("no animations", {"subtitleStyle": {"animations": []}}, "at least 1 item"),
    ("two entry animations", {"subtitleStyle": {"animations": [ANIM, ANIM]}},
     "at most one entry and one exit"),
    ("three reference images",
     {"scenes.0.background": {"type": "video", "aiVisual": {
         "model": "veo3.1", "referenceImageUrls": ["a", "b", "c"]}}},
     "at most 2 items"),
    # AI visuals.
    ("duration not offered by model",
     {"scenes.0.background": {**AI_VIDEO, "aiVisual": {"model": "veo3.1", "videoDuration": "5s"}}},
     "aiVisual.videoDuration for veo3.1 must be one of 4s, 6s, 8s"),
    ("duration on image model",
     {"scenes.0.background": {"type": "image", "aiVisual": {"model": "nanobanana",
                                                          "videoDuration": "4s"}}},
     "aiVisual.videoDuration is only for video models"),
    ("aiVisual without type", {"scenes.0.background": {"aiVisual": {"model": "pixverse5.5"}}},
     "background.type is required with aiVisual"),
    ("type disagrees with model", {"scenes.0.background": {**AI_IMAGE, "type": "video"}},
     'background.type is "video" but seedream3.0 is an image model'),
    ("element type disagrees with model",
     {"scenes.0.elements": [{"type": "image", "aiVisual": {"model": "veo3.1"}}]},
     'element.type is "image" but veo3.1 is a video model'),
    ("reference image on a video model",
     {"scenes.0.background": {**AI_VIDEO, "aiVisual": {"model": "pixverse5.5",
                                                     "referenceImageUrl": "r"}}},
     "aiVisual.referenceImageUrl is for image models"),
    ("reference image on flux",
     {"scenes.0.background": {"type": "image", "aiVisual": {"model": "flux-schnell",
                                                          "referenceImageUrl": "r"}}},
     "flux-schnell does not edit reference images"),
    ("unknown model", {"scenes.0.background": {"type": "image", "aiVisual": {"model": "dall-e"}}},
     "Input should be"),
    # Scene content.
    ("two content sources", {"scenes.0.blogUrl": "https://b"},
     "a scene takes exactly one content source; got story and blogUrl"),
    ("no content at all", {"scenes.0": {"hideSubtitles": True}},
     "a scene needs one of story, storyCoPilot"),
    ("caption without story", {"scenes.0": {"blogUrl": "https://b", "caption": "c"}},
     "caption needs story"),
    ("caption with split flag", {"scenes.0.caption": "c", "scenes.0.createSceneOnNewLine": True},
     "caption cannot be combined with createSceneOnNewLine or createSceneOnEndOfSentence"),
    ("caption with sentence split",
     {"scenes.0.caption": "c", "scenes.0.createSceneOnEndOfSentence": True},
     "caption cannot be combined"),
    ("audio without language", {"scenes.0": {"audioUrl": "https://a.mp3"}},
     "audioUrl/videoUrl scenes need audioLanguage"),
    ("video without language", {"scenes.0": {"videoUrl": "https://a.mp4"}},
     "audioUrl/videoUrl scenes need audioLanguage"),
    ("transcript on a story scene", {"scenes.0.transcript": [{"text": "t"}]},
     "transcript is only allowed on audioUrl/videoUrl scenes"),
    ("repurpose settings on a story scene", {"scenes.0.mediaRepurposeSettings": {"a": 1}},
     "mediaRepurposeSettings is only allowed on audioUrl/videoUrl scenes"),
    ("ssml without story", {"scenes.0": {"blogUrl": "https://b", "isSSMLStory": True}},
     "isSSMLStory needs story"),
    ("speaker notes without ppt", {"scenes.0.useSpeakerNotes": True}, "useSpeakerNotes needs pptUrl"),
    ("subtitle lines with smart layout",
     {"smartLayoutName": "Wanderlust", "scenes.0.maxSubtitleLines": 2},
     "scenes[0].maxSubtitleLines is not allowed with smartLayoutName"),
    ("unknown audio language",
     {"scenes.0": {"audioUrl": "https://a.mp3", "audioLanguage": "en"}}, "Input should be"),
    # Value formats.
    ("decimal percentage", {"scenes.0.elements": [{**TEXT, "top": "10.5%"}]},
     'integer percentage string from "0%" to "100%"'),
    ("percentage over 100", {"logo": {"url": "u", "width": "101%"}}, "integer percentage string"),
    ("percentage without sign", {"avatar": {"avatarId": "a", "width": "25"}},
     "integer percentage string"),
    ("named colour", {"scenes.0.background": {"color": "red"}}, "colour must be rgb(r,g,b)"),
    ("rgb channel out of range", {"scenes.0.background": {"color": "rgb(256,0,0)"}},
     "colour must be rgb(r,g,b)"),
    ("five-digit hex", {"subtitleStyle": {"color": "#12345"}}, "colour must be rgb(r,g,b)"),
    # Catalogues and other documented restrictions.
    ("unknown font", {"subtitleStyle": {"fontFamily": "Comic Sans"}},
     "fontFamily is not a built-in Pictory font"),
    ("font wrongly cased", {"subtitleStyle": {"fontFamily": "poppins"}},
     'fontFamily is case-sensitive: use "Poppins"'),
    ("font url without family", {"subtitleStyle": {"fontUrl": "https://f.ttf"}},
     "fontUrl needs fontFamily"),
    ("unknown shape", {"scenes.0.elements": [{"type": "shape", "name": "hexagon"}]},
     "unknown shape name; use one of rectangle, circle"),
    ("missing geometry-9", {"scenes.0.elements": [{"type": "shape", "name": "geometry-9"}]},
     "unknown shape name"),
    ("unknown category",
     {"scenes.0.background": {"searchFilter": {"query": "q", "category": "Nature/Cats"}}},
     'category must be "Parent" or "Parent/Child"'),
    ("empty search filter", {"scenes.0.background": {"searchFilter": {}}},
     "searchFilter needs a query, keywords or a category"),
    ("two background sources", {"scenes.0.background": {"color": "#000", "visualUrl": "u"}},
     "background takes one of visualUrl, color, aiVisual or searchFilter; got visualUrl and color"),
    ("clips on an image", {"scenes.0.background": {"visualUrl": "u", "type": "image",
                                                   "clips": [{"start": 0, "end": 1}]}},
     'background.clips trims a visualUrl with type "video" only'),
    ("clip ends before it starts", {"backgroundMusic.clips": [{"start": 5, "end": 2}]},
     "clip end must be greater than start"),
    ("ken burns on a video background",
     {"scenes.0.background": {"visualUrl": "u", "type": "video",
                              "settings": {"kenBurnsEffect": True}}},
     "settings.kenBurnsEffect is for image backgrounds"),
    ("media element with two sources",
     {"scenes.0.elements": [{"type": "image", "visualUrl": "u", "searchFilter": {"query": "q"}}]},
     "a image element needs exactly one of visualUrl, searchFilter or aiVisual"),
    ("media element without source", {"scenes.0.elements": [{"type": "video"}]},
     "needs exactly one of visualUrl, searchFilter or aiVisual (got none)"),
    ("element search with keywords",
     {"scenes.0.elements": [{"type": "image", "searchFilter": {"keywords": ["ab"]}}]},
     "element searchFilter uses only query"),
    ("settings on an image element",
     {"scenes.0.elements": [{"type": "image", "visualUrl": "u", "settings": {"loop": True}}]},
     "element settings (loop, mute) apply to video elements only"),
    ("bullets on a text element",
     {"scenes.0.elements": [{**TEXT, "style": {"showBullet": True}}]},
     "for subtitle styles only"),
    ("future words on a wipe", {"subtitleStyle": {"animations": [{**ANIM, "name": "wipe",
                                                                  "futureWords": "subtle"}]}},
     'futureWords only applies to the "fade" and "blur" animations'),
    ("custom speed without value", {"subtitleStyle": {"animations": [{**ANIM, "speed": "custom"}]}},
     'animation speed "custom" needs customSpeedValue'),
    ("speed value without custom",
     {"subtitleStyle": {"animations": [{**ANIM, "speed": "fast", "customSpeedValue": 1}]}},
     'customSpeedValue is only used with speed "custom"'),
    ("scene music volume", {"scenes.0.backgroundMusic": {"enabled": True, "volume": 0.2}},
     "scene backgroundMusic accepts only enabled"),
    ("scene avatar id", {"scenes.0.avatar": {"avatarId": "x"}},
     "scene avatar cannot set avatarId: set avatar.avatarId at the top level"),
    ("vimeo destination without connection",
     {"destinations": [{"type": "vimeo", "folder_uri": "/videos/1"}]},
     "vimeo destinations need vimeoConnectionId"),
    ("engine pinned to an unknown version", {"storyboardVersion": "v9"}, "Input should be"),
]  # fmt: skip


def test_the_base_payload_of_the_rule_table_is_valid() -> None:
    Storyboard.model_validate(BASE)


@pytest.mark.parametrize(
    ("changes", "fragment"), [pytest.param(c, f, id=name) for name, c, f in RULES]
)
def test_a_rule_violation_is_refused_with_a_message_naming_the_fix(
    changes: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        Storyboard.model_validate(mutate(changes))
    messages = [error["msg"] for error in caught.value.errors()]
    assert any(fragment in message for message in messages), messages


def test_custom_messages_do_not_echo_the_offending_value() -> None:
    marker = "pictai_do_not_echo_this_value"
    with pytest.raises(ValidationError) as caught:
        Storyboard.model_validate(mutate({"scenes.0.background": {"color": marker}}))
    assert all(marker not in error["msg"] for error in caught.value.errors())


@pytest.mark.parametrize(
    "color", ["#fff", "#FFAA00", "#ffaa0080", "rgb( 1, 2, 3 )", "rgba(0,0,0,0)"]
)
def test_documented_colour_forms_are_accepted(color: str) -> None:
    Storyboard.model_validate(mutate({"scenes.0.background": {"color": color}}))


@pytest.mark.parametrize("value", ["0%", "100%", "7%"])
def test_integer_percentages_from_zero_to_a_hundred_are_accepted(value: str) -> None:
    Storyboard.model_validate(mutate({"logo": {"url": "https://l.png", "width": value}}))


@pytest.mark.parametrize(
    ("model", "duration"),
    [("veo3.1", "8s"), ("veo3.1_fast", "6s"), ("pixverse5.5", "10s"), ("pixverse5.5", None)],
)
def test_each_video_model_accepts_its_own_durations(model: str, duration: str | None) -> None:
    ai: dict[str, Any] = {"model": model}
    if duration:
        ai["videoDuration"] = duration
    Storyboard.model_validate(mutate({"scenes.0.background": {"type": "video", "aiVisual": ai}}))


def test_a_visual_only_scene_needs_no_story() -> None:
    Storyboard.model_validate(mutate({"scenes.0": {"background": {"color": "#000"}}}))


def test_an_element_without_a_known_type_is_refused() -> None:
    with pytest.raises(ValidationError, match="does not match any of the expected tags"):
        Storyboard.model_validate(mutate({"scenes.0.elements": [{"type": "sticker"}]}))
