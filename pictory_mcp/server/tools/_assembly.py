"""The shared options applied: `VideoOptions` becomes the storyboard's voiceOver, music,
styling and delivery fields, every name and id checked against the account first."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from pictory_mcp.errors import InputError
from pictory_mcp.server.state import AppState
from pictory_mcp.server.tools._lookups import check_connection, match_named
from pictory_mcp.server.tools._options import (
    DEFAULT_LANGUAGE,
    DEFAULT_MUSIC_VOLUME,
    PremiumVoice,
    VideoExtras,
    VideoOptions,
    check_language,
)
from pictory_mcp.server.tools._submit import check_url
from pictory_mcp.server.voice_names import check_speaks, default_voice, find_voice

MAX_VOICES = 5


@dataclass
class Applied:
    """The storyboard fields the options make, the summary the agent is shown of them, and a note
    for each value the server chose because the caller gave none."""

    payload: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _premium(settings: PremiumVoice) -> dict[str, Any]:
    values = {
        "modelId": settings.model,
        "stability": settings.stability,
        "similarityBoost": settings.similarity,
        "style": settings.style,
        "useSpeakerBoost": settings.speaker_boost,
    }
    return {
        k: (f"{v}%" if isinstance(v, int) and not isinstance(v, bool) else v)
        for k, v in values.items()
        if v is not None
    }


async def _voices(state: AppState, opts: VideoOptions, out: Applied) -> None:
    extras = opts.extras or VideoExtras()
    tuned = (extras.voice_speed, extras.voice_volume, extras.premium_voice)
    if not opts.voice and not opts.default_voice:
        if any(v is not None for v in tuned):
            raise InputError(
                f"{opts.path('voice_speed')}, {opts.path('voice_volume')} and "
                f"{opts.path('premium_voice')} need {opts.path('voice')}: name one."
            )
        return
    names = [n.strip() for n in (opts.voice or "").split(",") if n.strip()]
    if opts.voice and not names:
        # Blank or only commas: silently taking the default voice would not be what was asked.
        raise InputError(
            f"{opts.path('voice')} {opts.voice[:40]!r} names no voice. Give a name from "
            "list_voices, or leave voice out for the language's default voice."
        )
    catalog = await state.voice_catalog()
    if len(names) > MAX_VOICES:
        raise InputError(
            f"{opts.path('voice')} lists {len(names)} voices; give at most {MAX_VOICES}."
        )
    chosen = (
        [find_voice(catalog, n) for n in names]
        if names
        else [default_voice(catalog, opts.language or DEFAULT_LANGUAGE)]
    )
    others: list[str] = []
    if names and opts.language:
        model = extras.premium_voice.model if extras.premium_voice else None
        others = check_speaks(catalog, chosen, opts.language, model)
    if extras.premium_voice is not None:
        plain = [str(v.name) for v in chosen if str(v.service or "").lower() != "elevenlabs"]
        if plain:
            raise InputError(
                f"{opts.path('premium_voice')} works only with elevenlabs voices; "
                f"{', '.join(plain)} is not. Pick one from list_voices(service='elevenlabs') "
                "or drop premium_voice."
            )
    voices = []
    for voice in chosen:
        entry: dict[str, Any] = {"speaker": voice.name}
        if extras.voice_speed is not None:
            entry["speed"] = extras.voice_speed
        if extras.voice_volume is not None:
            entry["amplificationLevel"] = extras.voice_volume
        if extras.premium_voice is not None:
            entry["premiumVoiceSettings"] = _premium(extras.premium_voice)
        voices.append(entry)
    out.payload["voiceOver"] = {"enabled": True, "aiVoices": voices}
    if not names:
        language = opts.language or DEFAULT_LANGUAGE
        out.notes.append(
            f"No voice was given, so '{chosen[0].name}' (the default for '{language}') narrates; "
            "pass voice from list_voices to choose another."
        )
    out.summary["voice"] = ", ".join(str(v.name) for v in chosen)
    tuning = extras.model_dump(include={"voice_speed", "voice_volume", "premium_voice"})
    out.summary.update({k: v for k, v in tuning.items() if v is not None})
    if others:
        # Said in the answer, so an allowed mismatch is never a silent one.
        out.summary["voice_language"] = (
            f"{', '.join(others)}: multilingual ElevenLabs, reads '{opts.language}' text"
        )


def _music(opts: VideoOptions, out: Applied) -> None:
    url = opts.extras.music_url if opts.extras else None
    volume = opts.music_volume
    if url is not None:
        url = check_url(url, opts.path("music_url"))
        if volume == 0:
            raise InputError(
                f"{opts.path('music_url')} needs {opts.path('music_volume')} above 0 "
                "(0.08-0.15 under a voice)."
            )
    if volume is None and url is None:
        return
    # Pictory plays music at full volume when volume is left out: always send it.
    level = DEFAULT_MUSIC_VOLUME if volume is None else volume
    if level == 0:
        out.payload["backgroundMusic"] = {"enabled": False}
    elif url is not None:
        out.payload["backgroundMusic"] = {"enabled": True, "musicUrl": url, "volume": level}
    else:
        out.payload["backgroundMusic"] = {"enabled": True, "autoMusic": True, "volume": level}
    out.summary["music_volume"] = level
    if url is not None:
        out.summary["music_url"] = url


async def _styling(state: AppState, opts: VideoOptions, out: Applied) -> None:
    client = state.require_client()
    extras = opts.extras or VideoExtras()
    if opts.subtitle_style and extras.subtitle_custom:
        raise InputError(
            f"Give {opts.path('subtitle_style')} or {opts.path('subtitle_custom')}, not both."
        )
    if opts.subtitle_style:
        style = await match_named(
            state,
            "text_styles",
            opts.subtitle_style,
            client.list_text_styles,
            opts.path("subtitle_style"),
        )
        out.payload["subtitleStyleId"] = str(style.id)
        out.summary["subtitle_style"] = style.name
    if extras.subtitle_custom:
        custom = extras.subtitle_custom
        font = {
            "fontFamily": custom.font,
            "fontSize": custom.size,
            "color": custom.color,
            "backgroundColor": custom.background_color,
            "keywordColor": custom.keyword_color,
            "decorations": custom.decorations,
            "case": custom.case,
            "alignment": custom.alignment,
            "position": custom.position,
        }
        out.payload["subtitleStyle"] = {k: v for k, v in font.items() if v is not None}
        out.summary["subtitle_custom"] = custom.model_dump(exclude_none=True)
    if opts.brand:
        brand = await match_named(
            state, "brands", opts.brand, client.list_brands, opts.path("brand")
        )
        out.payload["brandId"] = str(brand.id)
        out.summary["brand"] = brand.name
    if extras.smart_layout:
        layout = await match_named(
            state,
            "smart_layouts",
            extras.smart_layout,
            client.list_smart_layouts,
            opts.path("smart_layout"),
            id_attr="template_id",
            name_attr="template_name",
        )
        out.payload["smartLayoutId"] = str(layout.template_id)
        out.summary["smart_layout"] = layout.template_name
    if extras.logo_url:
        logo = {
            "url": check_url(extras.logo_url, opts.path("logo_url")),
            "position": extras.logo_position,
            "width": f"{extras.logo_width}%" if extras.logo_width else None,
        }
        out.payload["logo"] = {k: v for k, v in logo.items() if v is not None}
        shown = ("logo_url", "logo_position", "logo_width")
        out.summary.update({k: getattr(extras, k) for k in shown if getattr(extras, k)})
    elif extras.logo_position or extras.logo_width:
        raise InputError(
            f"{opts.path('logo_position')} and {opts.path('logo_width')} need "
            f"{opts.path('logo_url')}: add the logo's URL."
        )


async def _delivery(state: AppState, opts: VideoOptions, out: Applied) -> None:
    extras = opts.extras or VideoExtras()
    if extras.aws_connection_id:
        aws = await check_connection(
            state, "aws", extras.aws_connection_id, opts.path("aws_connection_id")
        )
        out.payload["awsConnectionId"] = extras.aws_connection_id
        out.summary["aws_connection"] = aws.name or extras.aws_connection_id
    if extras.vimeo_connection_id:
        found = await check_connection(
            state, "vimeo", extras.vimeo_connection_id, opts.path("vimeo_connection_id")
        )
        destination: dict[str, Any] = {"type": "vimeo"}
        if extras.vimeo_folder_uri:
            destination["folder_uri"] = extras.vimeo_folder_uri
        if extras.vimeo_privacy:
            destination["privacy"] = {"view": extras.vimeo_privacy}
        out.payload["vimeoConnectionId"] = extras.vimeo_connection_id
        out.payload["destinations"] = [destination]
        out.summary["vimeo"] = found.name
        if extras.vimeo_folder_uri:
            out.summary["vimeo_folder_uri"] = extras.vimeo_folder_uri
        if extras.vimeo_privacy:
            out.summary["vimeo_privacy"] = extras.vimeo_privacy
    elif extras.vimeo_folder_uri or extras.vimeo_privacy:
        raise InputError(
            f"{opts.path('vimeo_folder_uri')} and {opts.path('vimeo_privacy')} need "
            f"{opts.path('vimeo_connection_id')}."
        )


async def apply_options(state: AppState, opts: VideoOptions) -> Applied:
    """The storyboard fields for `opts`; every name and id is checked before submission."""
    out = Applied()
    if opts.language is not None:
        opts = replace(opts, language=check_language(opts.language))  # 'es-ES' -> 'es'
        out.payload["language"] = opts.language
        out.summary["language"] = opts.language
    if opts.aspect_ratio is not None:
        out.payload["aspectRatio"] = opts.aspect_ratio
        out.summary["aspect_ratio"] = opts.aspect_ratio
    await _voices(state, opts, out)
    _music(opts, out)
    await _styling(state, opts, out)
    await _delivery(state, opts, out)
    return out
