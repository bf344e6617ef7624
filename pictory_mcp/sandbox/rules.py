"""The sandbox's own request validation, read independently from REFERENCE.md §6 and §6.13.

Every validator takes the raw parsed JSON and returns the 400 `fields` entries,
`[{"name": "<dotted.path[0].x>", "errors": "<sentence>"}]`; an empty list means valid.

Reading choices (REFERENCE marks these INFERRED or leaves them open):
- Unknown fields are ignored, never an error (documented: the API strips them). JSON `null`
  counts as an absent field.
- Types are strict: strings are strings, booleans are booleans, numbers are finite numbers
  (an integral float such as `3.0` is an integer, as for a JavaScript validator).
- `videoName` is required on preview and render alike; the unverified third-party limits on
  its characters and length are not enforced. `scenes` needs ≥1 item unless `templateId`.
- For a mutually exclusive pair, the error is reported on the second field of the pair as
  listed in §6.13 (e.g. `brandName`, `voiceOver.externalVoice`, an element's `top`).
- Pairs of flags (`autoMusic`/`musicUrl`, `kenBurnsEffect`/`zoomAndPan`) clash only when
  the flag is true; `caption` clashes with a `createSceneOn*` flag only when that flag is true.
- `smartLayoutId`/`smartLayoutName` may both be sent (only brand and subtitle-style pairs are
  documented as exclusive). Model/aspect-ratio compatibility (§6.4) is not enforced.
- `destinations` items take `type` "vimeo" or "s3"; a "vimeo" destination needs
  `vimeoConnectionId`. `variables` values must be strings, numbers or booleans.
"""

from __future__ import annotations

from typing import Any

from ._rules_base import Checker, Fields, at, present
from ._rules_endpoints import (
    validate_highlights,
    validate_highlights_from_job,
    validate_music_search,
    validate_render_params,
    validate_storyboard_elements,
    validate_transcription,
)
from ._rules_enums import (
    ASPECT_RATIOS,
    DESTINATION_TYPES,
    POSITION_PRESETS,
    SCRIPT_LANGUAGES,
    VISUAL_SELECTION_PREFERENCES,
)
from ._rules_scene import (
    check_avatar_common,
    check_background_music,
    check_scene,
    check_voice_over,
)
from ._rules_style import check_font_style

__all__ = [
    "validate_highlights",
    "validate_highlights_from_job",
    "validate_music_search",
    "validate_render_params",
    "validate_storyboard",
    "validate_storyboard_elements",
    "validate_transcription",
]

_PLAIN_STRINGS = (
    "videoDescription",
    "storyboardVersion",
    "awsConnectionId",
    "vimeoConnectionId",
    "visualLibraryId",
)
_NAMED_IDS = ("brandId", "brandName", "smartLayoutId", "smartLayoutName")


def validate_storyboard(body: object) -> Fields:
    """Validate a POST /v2/video/storyboard or /v2/video/storyboard/render body."""
    c = Checker()
    if not isinstance(body, dict):
        c.fail("body", "The request body must be a JSON object")
        return c.fields
    c.string(body, "videoName", "", required=True, min_len=1)
    for key in _PLAIN_STRINGS:
        c.string(body, key, "")
    _check_dimensions(c, body)
    c.string(body, "aspectRatio", "", choices=ASPECT_RATIOS)
    c.string(body, "language", "", choices=SCRIPT_LANGUAGES)
    c.boolean(body, "saveProject", "")
    c.string(body, "webhook", "", max_len=500, url=True)
    c.obj(body, "webhookInput", "")
    c.obj(body, "projectMetadata", "")
    c.string(body, "visualSelectionPreference", "", choices=VISUAL_SELECTION_PREFERENCES)
    _check_template(c, body)
    for key in _NAMED_IDS:
        c.string(body, key, "", min_len=1)
    c.exclusive(body, "brandId", "brandName", "")
    c.string(body, "subtitleStyleId", "", min_len=1)
    c.string(body, "subtitleStyleName", "", min_len=1)
    c.exclusive(body, "subtitleStyleId", "subtitleStyleName", "")
    style = c.obj(body, "subtitleStyle", "")
    if style is not None:
        check_font_style(c, style, "subtitleStyle")
    voice = c.obj(body, "voiceOver", "")
    if voice is not None:
        check_voice_over(c, voice, "voiceOver")
    music = c.obj(body, "backgroundMusic", "")
    if music is not None:
        check_background_music(c, music, "backgroundMusic")
    logo = c.obj(body, "logo", "")
    if logo is not None:
        c.string(logo, "url", "logo", required=True, url=True)
        c.string(logo, "position", "logo", choices=POSITION_PRESETS)
        c.percent(logo, "width", "logo")
    _check_avatar(c, body, voice)
    _check_destinations(c, body)
    _check_scenes(c, body)
    return c.fields


def _check_dimensions(c: Checker, body: dict[str, Any]) -> None:
    c.number(body, "videoWidth", "", integer=True, lo=1)
    c.number(body, "videoHeight", "", integer=True, lo=1)
    for given, missing in (("videoWidth", "videoHeight"), ("videoHeight", "videoWidth")):
        if present(body, given) and not present(body, missing):
            c.fail(missing, f'"{missing}" is required when "{given}" is given (send both)')


def _check_template(c: Checker, body: dict[str, Any]) -> None:
    c.string(body, "templateId", "", min_len=1)
    variables = c.obj(body, "variables", "")
    for key, value in (variables or {}).items():
        if value is not None and not isinstance(value, (str, int, float, bool)):
            name = at("variables", key)
            c.fail(name, f'"{name}" must be a string, number or boolean')


def _check_avatar(c: Checker, body: dict[str, Any], voice: dict[str, Any] | None) -> None:
    avatar = c.obj(body, "avatar", "")
    if avatar is None:
        return
    c.string(avatar, "avatarId", "avatar", required=True, min_len=1)
    check_avatar_common(c, avatar, "avatar")
    if voice is None or voice.get("enabled") is not True:
        c.fail("avatar", '"avatar" requires "voiceOver.enabled" to be true')


def _check_destinations(c: Checker, body: dict[str, Any]) -> None:
    destinations = c.array(body, "destinations", "")
    for i, raw in enumerate(destinations or []):
        name = f"destinations[{i}]"
        dest = c.item_obj(raw, name)
        if dest is None:
            continue
        kind = c.string(dest, "type", name, required=True, choices=DESTINATION_TYPES)
        c.string(dest, "folder_uri", name)
        c.obj(dest, "privacy", name)
        ratings = c.array(dest, "content_rating", name)
        for j, rating in enumerate(ratings or []):
            if not isinstance(rating, str):
                c.fail(
                    f"{name}.content_rating[{j}]", f'"{name}.content_rating[{j}]" must be a string'
                )
        if kind == "vimeo" and not present(body, "vimeoConnectionId"):
            c.fail(name, f'"{name}" is a Vimeo destination and needs "vimeoConnectionId"')


def _check_scenes(c: Checker, body: dict[str, Any]) -> None:
    has_template = present(body, "templateId")
    scenes = c.array(
        body, "scenes", "", required=not has_template, min_items=0 if has_template else 1
    )
    smart_layout = present(body, "smartLayoutId") or present(body, "smartLayoutName")
    for i, raw in enumerate(scenes or []):
        name = f"scenes[{i}]"
        scene = c.item_obj(raw, name)
        if scene is not None:
            check_scene(c, scene, name, smart_layout=smart_layout)
