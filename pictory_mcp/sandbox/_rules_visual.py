"""Rules for scene backgrounds (§6.3), AI visuals (§6.4) and scene elements (§6.5).

Choices where REFERENCE is silent: an aiVisual's model kind must match its `type` (an image
model cannot fill a video background); `kenBurnsEffect` is refused only when the background is
known to be a video; `settings` on an image element is refused (documented as video-only).
"""

from __future__ import annotations

from typing import Any

from ._rules_base import Checker, at, is_http_url, present
from ._rules_enums import (
    ELEMENT_TYPES,
    IMAGE_MODELS,
    MEDIA_STYLES,
    POSITION_PRESETS,
    SEARCH_LIBRARIES,
    SHAPE_NAMES,
    TEXT_VARIANTS,
    VIDEO_MODEL_DURATIONS,
    VISUAL_TYPES,
    is_stock_category,
)
from ._rules_style import check_font_style

_ALL_MODELS = IMAGE_MODELS | frozenset(VIDEO_MODEL_DURATIONS)
_BACKGROUND_SOURCES = ("visualUrl", "color", "aiVisual", "searchFilter")
_ELEMENT_SOURCES = ("visualUrl", "searchFilter", "aiVisual")


def _one_of(c: Checker, obj: dict[str, Any], keys: tuple[str, ...], path: str, what: str) -> int:
    given = [k for k in keys if present(obj, k)]
    if len(given) > 1:
        c.fail(
            path,
            f'"{path}" {what} {", ".join(keys)}; found {" and ".join(given)}',
        )
    return len(given)


def check_ai_visual(c: Checker, ai: dict[str, Any], path: str, visual_type: str | None) -> None:
    """Check an `aiVisual` whose sibling `type` (video|image) is `visual_type`."""
    model = c.string(ai, "model", path, required=True, choices=_ALL_MODELS)
    is_video_model = model in VIDEO_MODEL_DURATIONS
    if model is not None and visual_type in VISUAL_TYPES:
        if visual_type == "video" and not is_video_model:
            c.fail(
                at(path, "model"),
                f'"{at(path, "model")}" "{model}" is an image model; a video visual needs '
                f"one of: {', '.join(sorted(VIDEO_MODEL_DURATIONS))}",
            )
        elif visual_type == "image" and is_video_model:
            c.fail(
                at(path, "model"),
                f'"{at(path, "model")}" "{model}" is a video model; an image visual needs '
                f"one of: {', '.join(sorted(IMAGE_MODELS))}",
            )
    c.string(ai, "prompt", path, max_len=500)
    c.string(ai, "mediaStyle", path, choices=MEDIA_STYLES)
    c.boolean(ai, "visualContinuity", path)
    duration = c.string(ai, "videoDuration", path)
    if duration is not None and model is not None:
        name = at(path, "videoDuration")
        if not is_video_model:
            c.fail(name, f'"{name}" is not allowed with the image model "{model}"')
        elif duration not in VIDEO_MODEL_DURATIONS[model]:
            allowed = ", ".join(VIDEO_MODEL_DURATIONS[model])
            c.fail(name, f'"{name}" must be one of {allowed} for the model "{model}"')
    c.string(ai, "firstFrameImageUrl", path, url=True)
    refs = c.array(ai, "referenceImageUrls", path, min_items=1, max_items=2)
    for i, ref in enumerate(refs or []):
        name = f"{at(path, 'referenceImageUrls')}[{i}]"
        if not isinstance(ref, str) or not is_http_url(ref):
            c.fail(name, f'"{name}" must be an absolute http(s) URL')
    c.exclusive(ai, "firstFrameImageUrl", "referenceImageUrls", path)
    c.string(ai, "referenceImageUrl", path, url=True)
    if model is not None:
        video_only = ("firstFrameImageUrl", "referenceImageUrls")
        for key in video_only if not is_video_model else ("referenceImageUrl",):
            if present(ai, key):
                kind = "video" if key in video_only else "image"
                c.fail(at(path, key), f'"{at(path, key)}" is only allowed with {kind} models')


def check_search_filter(c: Checker, sf: dict[str, Any], path: str, *, element: bool) -> None:
    """Background filters take query/keywords/category/libraries; elements use only `query`."""
    c.string(sf, "query", path, required=element, min_len=1)
    if element:
        return
    keywords = c.array(sf, "keywords", path, min_items=1, max_items=10)
    for i, word in enumerate(keywords or []):
        name = f"{at(path, 'keywords')}[{i}]"
        if not isinstance(word, str) or not 2 <= len(word) <= 100:
            c.fail(name, f'"{name}" must be a string of 2 to 100 characters')
    category = c.string(sf, "category", path)
    if category is not None and not is_stock_category(category):
        name = at(path, "category")
        c.fail(name, f'"{name}" "{category}" is not a stock category ("Parent" or "Parent/Child")')
    libraries = c.array(sf, "libraries", path)
    for i, lib in enumerate(libraries or []):
        name = f"{at(path, 'libraries')}[{i}]"
        if lib not in SEARCH_LIBRARIES:
            c.fail(name, f'"{name}" must be one of: {", ".join(sorted(SEARCH_LIBRARIES))}')
    if not any(present(sf, k) for k in ("query", "keywords", "category")):
        c.fail(path, f'"{path}" needs a "query", "keywords" or a "category"')


def check_color_overlay(c: Checker, holder: dict[str, Any], path: str) -> None:
    overlay = c.obj(holder, "colorOverlay", path)
    if overlay is not None:
        name = at(path, "colorOverlay")
        c.color(overlay, "color", name)
        c.number(overlay, "opacity", name, lo=0, hi=1)


def check_background(c: Checker, bg: dict[str, Any], path: str, *, broll: bool = False) -> None:
    """Check a scene background (or one `backgroundBrolls` item when `broll`)."""
    _one_of(c, bg, _BACKGROUND_SOURCES, path, "takes at most one of")
    visual_type = c.string(bg, "type", path, required=present(bg, "aiVisual"), choices=VISUAL_TYPES)
    c.string(bg, "visualUrl", path, url=True)
    c.color(bg, "color", path)
    if present(bg, "clips"):
        c.clips(bg, "clips", path)
        if visual_type != "video":
            name = at(path, "clips")
            c.fail(name, f'"{name}" is only allowed with "type": "video"')
    sf = c.obj(bg, "searchFilter", path)
    if sf is not None:
        check_search_filter(c, sf, at(path, "searchFilter"), element=False)
    ai = c.obj(bg, "aiVisual", path)
    if ai is not None:
        check_ai_visual(c, ai, at(path, "aiVisual"), visual_type)
    check_color_overlay(c, bg, path)
    settings = c.obj(bg, "settings", path)
    if settings is not None:
        _check_background_settings(c, settings, at(path, "settings"), visual_type)
    motion = c.obj(bg, "motionGraphics", path)
    if motion is not None:
        name = at(path, "motionGraphics")
        c.boolean(motion, "enabled", name)
        c.string(motion, "prompt", name)
        c.string(motion, "style", name)
    if broll and present(bg, "brollClip"):
        c.span(bg["brollClip"], at(path, "brollClip"))


def _check_background_settings(
    c: Checker, settings: dict[str, Any], path: str, visual_type: str | None
) -> None:
    for key in ("loop", "mute"):
        c.boolean(settings, key, path)
    zoom = c.boolean(settings, "zoomAndPan", path)
    ken_burns = c.boolean(settings, "kenBurnsEffect", path)
    if ken_burns and visual_type == "video":
        name = at(path, "kenBurnsEffect")
        c.fail(name, f'"{name}" is only for image backgrounds')
    if ken_burns and zoom:
        name = at(path, "zoomAndPan")
        c.fail(name, f'"{at(path, "kenBurnsEffect")}" and "{name}" are mutually exclusive')
    path_obj = c.obj(settings, "videoKenBurns", path)
    if path_obj is not None:
        for end in ("start", "end"):
            point = c.obj(path_obj, end, at(path, "videoKenBurns"))
            if point is not None:
                name = at(at(path, "videoKenBurns"), end)
                c.number(point, "zoom", name, above=0)
                c.number(point, "centerX", name)
                c.number(point, "centerY", name)


def check_elements(c: Checker, scene: dict[str, Any], path: str) -> None:
    """Check `elements` (1–20 overlays) of the scene at `path`."""
    elements = c.array(scene, "elements", path, min_items=1, max_items=20)
    for i, raw in enumerate(elements or []):
        name = f"{at(path, 'elements')}[{i}]"
        element = c.item_obj(raw, name)
        if element is not None:
            _check_element(c, element, name)


def _check_element(c: Checker, el: dict[str, Any], path: str) -> None:
    kind = c.string(el, "type", path, required=True, choices=ELEMENT_TYPES)
    c.string(el, "position", path, choices=POSITION_PRESETS)
    for key in ("top", "left", "width"):
        c.percent(el, key, path)
    if present(el, "position"):
        clash = next((k for k in ("top", "left") if present(el, k)), None)
        if clash is not None:
            name = at(path, clash)
            c.fail(
                name,
                f'"{at(path, "position")}" and "{name}" are mutually exclusive; '
                "use a position preset or explicit top/left",
            )
    if kind == "text":
        c.string(el, "text", path, required=True, min_len=1, max_len=2000)
        c.string(el, "textVariant", path, choices=TEXT_VARIANTS)
        style = c.obj(el, "style", path)
        if style is not None:
            check_font_style(c, style, at(path, "style"))
            _check_no_bullets(c, style, at(path, "style"))
    elif kind == "shape":
        shape = c.string(el, "name", path, required=True)
        if shape is not None and shape not in SHAPE_NAMES:
            name = at(path, "name")
            c.fail(name, f'"{name}" "{shape}" is not in the shape catalogue')
        c.color(el, "fill", path)
        c.color(el, "stroke", path)
        c.number(el, "strokeWidth", path, lo=0)
        c.number(el, "borderRadius", path, lo=0)
    elif kind in VISUAL_TYPES:
        _check_media_element(c, el, path, kind)


# §6.6 lists showBullet, bulletSize and bulletFillColor as "subtitle styles only", the same
# kind of statement as futureWords being only for fade and blur, which is refused too.
_BULLET_KEYS = ("showBullet", "bulletSize", "bulletFillColor")


def _check_no_bullets(c: Checker, style: dict[str, Any], path: str) -> None:
    for key in _BULLET_KEYS:
        if present(style, key):
            name = at(path, key)
            c.fail(name, f'"{name}" is for subtitle styles only, not text elements')


def _check_media_element(c: Checker, el: dict[str, Any], path: str, kind: str) -> None:
    if _one_of(c, el, _ELEMENT_SOURCES, path, "takes exactly one of") == 0:
        c.fail(path, f'"{path}" needs one of: {", ".join(_ELEMENT_SOURCES)}')
    c.string(el, "visualUrl", path, url=True)
    sf = c.obj(el, "searchFilter", path)
    if sf is not None:
        check_search_filter(c, sf, at(path, "searchFilter"), element=True)
    ai = c.obj(el, "aiVisual", path)
    if ai is not None:
        check_ai_visual(c, ai, at(path, "aiVisual"), kind)
    check_color_overlay(c, el, path)
    settings = c.obj(el, "settings", path)
    if settings is not None:
        if kind != "video":
            name = at(path, "settings")
            c.fail(name, f'"{name}" (loop, mute) is only allowed on video elements')
        c.boolean(settings, "loop", at(path, "settings"))
        c.boolean(settings, "mute", at(path, "settings"))
