"""Request bodies shared by the client's model tests and the test that holds the sandbox's rules
to the same reading of the reference: a base storyboard and the table of rule violations built
on it, a minimal and a rich valid storyboard, and refused bodies of the other requests."""

from __future__ import annotations

import copy
from typing import Any

from pictory_mcp.api.models import (
    HighlightsFromJobRequest,
    HighlightsRequest,
    MusicSearchRequest,
    TranscriptionRequest,
)

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


# (name, changes to BASE, a fragment of the client's message)
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


MINIMAL: dict[str, Any] = {
    "videoName": "x",
    "aspectRatio": "9:16",
    "language": "en",
    "voiceOver": {"enabled": True, "aiVoices": [{"speaker": "Brian"}]},
    "backgroundMusic": {"enabled": True, "autoMusic": True, "volume": 0.1},
    "scenes": [{"story": "Hello.", "createSceneOnEndOfSentence": True}],
}

# Fields the vendor payloads leave out (see vendor-payloads/README.md "Coverage gaps").
RICH: dict[str, Any] = {
    "videoName": "coverage_of_every_field",
    "videoDescription": "All the optional parts at once",
    "videoWidth": 1080,
    "videoHeight": 1920,
    "language": "de",
    "saveProject": False,
    "webhook": "https://example.com/hooks/pictory",
    "webhookInput": {"requestId": "req-1", "n": 3},
    "brandName": "Acme",
    "smartLayoutId": "layout-1",
    "subtitleStyleId": "style-9",
    "subtitleStyle": {
        "fontFamily": "Brand Serif",
        "fontUrl": "https://example.com/brand.ttf",
        "shadowColor": "#000",
        "shadowWidth": "2%",
        "paragraphWidth": "80%",
        "showBoxBackground": False,
        "showBullet": True,
        "bulletSize": 12,
        "bulletFillColor": "#FFC828FF",
        "animations": [
            {"name": "typewriter", "type": "entry", "speed": "custom", "customSpeedValue": 0.5,
             "writingStyle": "word"},
            {"name": "blur", "type": "exit", "speed": "fast", "futureWords": "subtle"},
        ],
    },
    "voiceOver": {
        "enabled": True,
        "aiVoices": [
            {"speaker": "pNInz6obpgDQGcFmaJgB", "speed": 110, "amplificationLevel": -0.5,
             "premiumVoiceSettings": {"modelId": "eleven_multilingual_v2", "stability": "60%",
                                      "similarityBoost": "75%", "style": "20%",
                                      "useSpeakerBoost": True}},
            {"speaker": "1776425060651"},
        ],
    },
    "backgroundMusic": {
        "enabled": True,
        "musicUrl": "https://tracks.melod.ie/track.mp3",
        "volume": 0.08,
        "clips": [{"start": 0, "end": 30.5}],
    },
    "logo": {"url": "https://example.com/logo.png", "position": "top-right", "width": "10%"},
    "avatar": {"avatarId": "look-1", "position": "bottom-right", "width": "25%",
               "borderRadius": "50%", "backgroundColor": "rgba(0,0,0,0)", "hide": False},
    "awsConnectionId": "20241207042423053xmex5z9ag9ivmp21",
    "vimeoConnectionId": "vimeo-1",
    "destinations": [{"type": "vimeo", "folder_uri": "/videos/123456",
                      "content_rating": ["safe"], "privacy": {"view": "anybody"}}],
    "visualLibraryId": "lib-1",
    "visualSelectionPreference": "prefer-user-library",
    "projectMetadata": {"team": "docs"},
    "scenes": [
        {"storyCoPilot": {"prompt": "A 30 second explainer about tides", "videoType": "Explainer",
                          "duration": 30, "platform": "YouTube", "tone": "informative"}},
        {"blogUrl": "https://example.com/blog/post"},
        {"pptUrl": "https://example.com/deck.pptx", "useSpeakerNotes": True},
        {"audioUrl": "https://example.com/talk.mp3", "audioLanguage": "en-GB",
         "transcript": [{"text": "Hi", "start": 0, "end": 1}],
         "mediaRepurposeSettings": {"removeSilence": True}},
        {"videoUrl": "https://example.com/talk.mp4", "audioLanguage": "de-DE"},
        {"story": "<speak>Hallo.</speak>", "isSSMLStory": True, "caption": "Hallo",
         "hideSubtitles": False, "highlightKeywords": False,
         "voiceOver": {"enabled": True, "externalVoice": {
             "voiceUrl": "https://example.com/me.mp3", "syncVoice": True,
             "amplificationLevel": 0.2}},
         "backgroundMusic": {"enabled": False},
         "avatar": {"top": "60%", "left": "70%", "width": "20%", "borderColor": "#fff",
                    "borderThickness": 2, "borderRadius": "50%"},
         "background": {"visualUrl": "https://example.com/clip.mp4", "type": "video",
                        "clips": [{"start": 3, "end": 9}],
                        "settings": {"zoomAndPan": True, "videoKenBurns": {
                            "start": {"zoom": 1.0, "centerX": 0.5, "centerY": 0.5},
                            "end": {"zoom": 1.2, "centerX": 0.6, "centerY": 0.4}}}},
         "backgroundBrolls": [{"searchFilter": {"keywords": ["ocean", "coastline"],
                                                "category": "Nature/Landscapes",
                                                "libraries": ["story_blocks", "getty"]},
                               "brollClip": {"start": 1, "end": 2.5}}],
         "backgroundCorpus": [{"visualUrl": "https://example.com/a.jpg", "type": "image",
                               "prefer": True}]},
        {"story": "An AI picture, gently moving.",
         "background": {"type": "image",
                        "aiVisual": {"prompt": "a lighthouse", "model": "seedream3.0",
                                     "mediaStyle": "vintage",
                                     "referenceImageUrl": "https://example.com/ref.png"},
                        "settings": {"kenBurnsEffect": True},
                        "motionGraphics": {"enabled": True, "prompt": "waves", "style": "flat"}},
         "elements": [
             {"type": "image", "visualUrl": "https://example.com/p.png", "position": "center"},
             {"type": "video", "searchFilter": {"query": "waves"}, "position": "bottom-left",
              "settings": {"loop": False, "mute": True}},
             {"type": "video", "aiVisual": {"model": "veo3.1_fast", "videoDuration": "4s",
                                            "firstFrameImageUrl": "https://example.com/f.png"}},
             {"type": "shape", "name": "speech-bubble-7", "fill": "rgba(255, 200, 40, 1)"},
             {"type": "shape", "name": "geometry-10"},
         ]},
        {"background": {"color": "#1e293b"}, "minimumDuration": 3},
    ],
}  # fmt: skip


RequestModel = type[
    TranscriptionRequest | HighlightsFromJobRequest | HighlightsRequest | MusicSearchRequest
]
# (model, body, a fragment of the client's message)
REQUEST_REFUSALS: list[tuple[RequestModel, dict[str, Any], str]] = [
    (TranscriptionRequest, {"fileUrl": "http://insecure/x.mp4"}, "should match pattern"),
    (TranscriptionRequest, {"fileUrl": "https://x/a.mp4", "mediaType": "image"}, "'video'"),
    (TranscriptionRequest, {"fileUrl": "https://x/a.mp4", "fileurl": "x"}, "Extra inputs"),
    (HighlightsFromJobRequest, {"highlight_duration": 0}, "greater than 0"),
    (HighlightsFromJobRequest, {"highlightDuration": 30}, "Extra inputs"),
    (HighlightsRequest, {"transcript": []}, "at least 1 item"),
    (MusicSearchRequest, {"pageSize": 10}, "greater than or equal to 20"),
    (MusicSearchRequest, {"pageSize": 101}, "less than or equal to 100"),
    (MusicSearchRequest, {"page": 0}, "greater than or equal to 1"),
    (MusicSearchRequest, {"sort": "popular"}, "'featured'"),
    (MusicSearchRequest, {"minDuration": 90, "maxDuration": 30}, "minDuration must not"),
]
