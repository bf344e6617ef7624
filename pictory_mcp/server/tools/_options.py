"""The options every create_* tool shares (voice, music, style, brand, extras), checked against
the account's catalogue before anything is submitted, and the submit/validate helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from pictory_mcp.errors import InputError, NotFoundError
from pictory_mcp.server.state import AppState
from pictory_mcp.server.tools._submit import MAX_URL, check_url
from pictory_mcp.server.voices import default_voice, find_voice, unknown_voice_message

AspectRatio = Literal["16:9", "9:16", "1:1", "4:5"]
LANGUAGES = (
    "en", "ar", "zh", "nl", "fr", "de", "hi", "id", "it", "ja",
    "ko", "mr", "pl", "pt", "ru", "es", "ta", "tr", "ur", "vi",
)  # fmt: skip
GridPosition = Literal[
    "top-left", "top-center", "top-right", "center-left", "center-center", "center-right",
    "bottom-left", "bottom-center", "bottom-right",
]  # fmt: skip
ElevenLabsModel = Literal[
    "eleven_v3", "eleven_multilingual_v2", "eleven_flash_v2_5", "eleven_turbo_v2_5",
    "eleven_turbo_v2", "eleven_flash_v2", "eleven_multilingual_v1", "eleven_monolingual_v1",
]  # fmt: skip
VimeoPrivacy = Literal["anybody", "unlisted", "nobody", "disable"]
MAX_VOICES = 5

# --- the arguments, declared once and used by every create_* tool ----------------------


VoiceArg = Annotated[
    str | None,
    Field(
        max_length=500,
        description="From list_voices; several (comma-separated) rotate by scene",
    ),
]
AspectArg = AspectRatio
LanguageArg = Annotated[str, Field(pattern="^[a-z]{2}$", description="Code, e.g. es")]
VideoNameArg = Annotated[str | None, Field(max_length=150)]
MusicArg = Annotated[float, Field(ge=0, le=1, description="0 = no music")]
StyleArg = Annotated[str | None, Field(max_length=100, description="Name or id")]
BrandArg = Annotated[str | None, Field(max_length=100, description="Name or id")]
PreviewArg = bool  # the tool descriptions say what preview=true does
UrlArg = Annotated[str, Field(max_length=MAX_URL, description="Public http(s) URL")]


class PremiumVoice(BaseModel):
    model_config = ConfigDict(extra="forbid")
    model: ElevenLabsModel | None = None
    stability: int | None = Field(None, ge=0, le=100, description="Percent")
    similarity: int | None = Field(None, ge=0, le=100, description="Percent")
    style: int | None = Field(None, ge=0, le=100, description="Percent")
    speaker_boost: bool | None = None


class SubtitleCustom(BaseModel):
    model_config = ConfigDict(extra="forbid")
    font: str | None = Field(None, max_length=100, description="Built-in font, e.g. Montserrat")
    size: int | None = Field(None, ge=1, le=500, description="Canvas pixels")
    color: str | None = Field(None, max_length=40, description="rgb(), rgba() or #hex")
    position: GridPosition | None = None


class VideoExtras(BaseModel):
    """Advanced options of the create_video_* tools (all optional)."""

    model_config = ConfigDict(extra="forbid")
    voice_speed: int | None = Field(None, ge=50, le=200, description="Percent, default 100")
    voice_volume: float | None = Field(None, ge=-1, le=1, description="Amplification, default 0")
    premium_voice: PremiumVoice | None = Field(None, description="ElevenLabs voices only")
    music_url: str | None = Field(
        None, max_length=MAX_URL, description="A track's audioUrl from music search"
    )
    subtitle_custom: SubtitleCustom | None = Field(None, description="Not with subtitle_style")
    logo_url: str | None = Field(None, max_length=MAX_URL, description="Public image URL")
    logo_position: GridPosition | None = None
    logo_width: int | None = Field(None, ge=1, le=100, description="Percent of the width")
    smart_layout: str | None = Field(None, max_length=100, description="Name or id")
    vimeo_connection_id: str | None = Field(None, max_length=100, description="Upload to Vimeo")
    vimeo_folder_uri: str | None = Field(None, max_length=300, description='E.g. "/videos/123"')
    vimeo_privacy: VimeoPrivacy | None = None
    aws_connection_id: str | None = Field(
        None, max_length=100, description="Lets Pictory read private S3 media"
    )


# Sent to the agent instead of the generated schema: the same keys in a tenth of the bytes.
EXTRAS_DESCRIPTION = (
    "extras (voice_speed, premium_voice, music_url, logo_*, vimeo_*, ...: pictory://schema/extras)"
)


class SharedOptions(BaseModel):
    """create_video_from_text's options, as one object for the other create_* tools."""

    model_config = ConfigDict(extra="forbid")

    voice: Annotated[str | None, Field(max_length=500)] = None
    aspect_ratio: AspectRatio | None = None
    language: Annotated[str | None, Field(pattern="^[a-z]{2}$")] = None
    video_name: VideoNameArg = None
    music_volume: Annotated[float | None, Field(ge=0, le=1)] = None
    subtitle_style: StyleArg = None
    brand: BrandArg = None
    extras: VideoExtras | None = None

    def to_video_options(self, *, keep_template: bool = False) -> VideoOptions:
        """Unset values take text-to-video's defaults, or stay unset to keep a template's own."""
        if keep_template:
            return VideoOptions(
                self.voice, self.aspect_ratio, self.language, self.music_volume,
                self.subtitle_style, self.brand, self.extras, False,
            )  # fmt: skip
        return VideoOptions(
            self.voice,
            self.aspect_ratio or "16:9",
            check_language(self.language or "en"),
            0.1 if self.music_volume is None else self.music_volume,
            self.subtitle_style,
            self.brand,
            self.extras,
        )


# Option names an agent may also pass at the top level; the server folds them into `options`.
SHARED_OPTION_KEYS = frozenset(SharedOptions.model_fields)
OptionsArg = Annotated[
    SharedOptions | None,
    WithJsonSchema(
        {
            "type": "object",
            "description": "create_video_from_text's options (voice, aspect_ratio, language, "
            "music_volume, ...); also top-level",
        }
    ),
]


TextOptionsArg = Annotated[
    SharedOptions | None,
    WithJsonSchema(
        {
            "type": "object",
            "description": "video_name, subtitle_style, brand, "
            + EXTRAS_DESCRIPTION
            + "; also accepted top-level",
        }
    ),
]


def extras_json_schema() -> dict[str, Any]:
    return VideoExtras.model_json_schema()


@dataclass
class VideoOptions:
    """The shared options as one value; None means 'leave Pictory's / the template's own'."""

    voice: str | None = None
    aspect_ratio: str | None = "16:9"
    language: str | None = "en"
    music_volume: float | None = 0.1
    subtitle_style: str | None = None
    brand: str | None = None
    extras: VideoExtras | None = None
    default_voice: bool = True


@dataclass
class Applied:
    payload: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)


# --- plain checks ----------------------------------------------------------------------


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise InputError(
            f"language '{language}' is not supported; use one of {', '.join(LANGUAGES)}."
        )
    return language


# --- catalogue look-ups ----------------------------------------------------------------


async def match_named(
    state: AppState,
    kind: str,
    wanted: str,
    fetch: Any,
    arg: str,
    *,
    id_attr: str = "id",
    name_attr: str = "name",
) -> Any:
    """Find a catalogue item by exact id or case-insensitive name, or list the choices."""
    items = await state.lookup(kind, fetch)
    for item in items:
        if str(getattr(item, id_attr, "")) == wanted:
            return item
    for item in items:
        if str(getattr(item, name_attr, "")).lower() == wanted.strip().lower():
            return item
    names = [str(getattr(i, name_attr, "")) for i in items][:10]
    choices = ", ".join(f"'{n}'" for n in names) or "none on this account"
    raise InputError(f"Unknown {arg} '{wanted}'. Choose one of: {choices}.")


def resolve_speaker(catalog: list[Any], speaker: str) -> Any:
    """A voice by exact name, numeric track id or provider voice id (Pictory's order)."""
    for voice in catalog:
        if str(getattr(voice, "id", "")) == speaker or getattr(voice, "voice", None) == speaker:
            return voice
    try:
        return find_voice(catalog, speaker)
    except InputError:
        raise InputError(unknown_voice_message(catalog, speaker)) from None


async def check_connection(state: AppState, kind: Literal["aws", "vimeo"], wanted: str) -> Any:
    """The connection with id `wanted`, enabled; else an error listing the valid ids."""
    client = state.require_client()
    try:
        found = await (
            client.get_aws_connection(wanted)
            if kind == "aws"
            else client.get_vimeo_connection(wanted)
        )
    except NotFoundError:
        found = None
    if found is not None and found.enabled is not False:
        return found
    listed = (
        await client.list_aws_connections()
        if kind == "aws"
        else (await client.list_vimeo_connections()).items
    )
    usable = [f"{c.connection_id} ({c.name})" for c in listed if c.enabled is not False][:10]
    arg = f"{kind}_connection_id"
    problem = "is disabled" if found is not None else "is not a connection on this account"
    return_hint = ", ".join(usable) or f"none: create a {kind} connection in Pictory first"
    raise InputError(f"{arg} '{wanted}' {problem}. Enabled {kind} connections: {return_hint}.")


# --- the shared options, applied ---------------------------------------------------------


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
            raise InputError("voice_speed, voice_volume and premium_voice need voice: name one.")
        return
    names = [n.strip() for n in (opts.voice or "").split(",") if n.strip()]
    if opts.voice and not names:
        # Blank or only commas: silently taking the default voice would not be what was asked.
        raise InputError(
            f"voice {opts.voice[:40]!r} names no voice. Give a name from list_voices, or leave "
            "voice out for the language's default voice."
        )
    catalog = await state.voice_catalog()
    if len(names) > MAX_VOICES:
        raise InputError(f"voice lists {len(names)} voices; give at most {MAX_VOICES}.")
    chosen = (
        [find_voice(catalog, n) for n in names]
        if names
        else [default_voice(catalog, opts.language or "en")]
    )
    if extras.premium_voice is not None:
        plain = [str(v.name) for v in chosen if str(v.service or "").lower() != "elevenlabs"]
        if plain:
            raise InputError(
                f"premium_voice works only with elevenlabs voices; {', '.join(plain)} is not. "
                "Pick one from list_voices(service='elevenlabs') or drop premium_voice."
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
    out.summary["voice"] = ", ".join(str(v.name) for v in chosen)


def _music(opts: VideoOptions, out: Applied) -> None:
    url = opts.extras.music_url if opts.extras else None
    volume = opts.music_volume
    if url is not None:
        url = check_url(url, "music_url")
        if volume == 0:
            raise InputError("music_url needs music_volume above 0 (0.08-0.15 under a voice).")
    if volume is None and url is None:
        return
    # Pictory plays music at full volume when volume is left out: always send it.
    level = 0.1 if volume is None else volume
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
        raise InputError("Give subtitle_style or extras.subtitle_custom, not both.")
    if opts.subtitle_style:
        style = await match_named(
            state, "text_styles", opts.subtitle_style, client.list_text_styles, "subtitle_style"
        )
        out.payload["subtitleStyleId"] = str(style.id)
        out.summary["subtitle_style"] = style.name
    if extras.subtitle_custom:
        custom = extras.subtitle_custom
        font = {
            "fontFamily": custom.font,
            "fontSize": custom.size,
            "color": custom.color,
            "position": custom.position,
        }
        out.payload["subtitleStyle"] = {k: v for k, v in font.items() if v is not None}
    if opts.brand:
        brand = await match_named(state, "brands", opts.brand, client.list_brands, "brand")
        out.payload["brandId"] = str(brand.id)
        out.summary["brand"] = brand.name
    if extras.smart_layout:
        layout = await match_named(
            state,
            "smart_layouts",
            extras.smart_layout,
            client.list_smart_layouts,
            "smart_layout",
            id_attr="template_id",
            name_attr="template_name",
        )
        out.payload["smartLayoutId"] = str(layout.template_id)
        out.summary["smart_layout"] = layout.template_name
    if extras.logo_url:
        logo = {
            "url": check_url(extras.logo_url, "logo_url"),
            "position": extras.logo_position,
            "width": f"{extras.logo_width}%" if extras.logo_width else None,
        }
        out.payload["logo"] = {k: v for k, v in logo.items() if v is not None}
    elif extras.logo_position or extras.logo_width:
        raise InputError("logo_position and logo_width need logo_url: add the logo's URL.")


async def _delivery(state: AppState, extras: VideoExtras, out: Applied) -> None:
    if extras.aws_connection_id:
        await check_connection(state, "aws", extras.aws_connection_id)
        out.payload["awsConnectionId"] = extras.aws_connection_id
    if extras.vimeo_connection_id:
        found = await check_connection(state, "vimeo", extras.vimeo_connection_id)
        destination: dict[str, Any] = {"type": "vimeo"}
        if extras.vimeo_folder_uri:
            destination["folder_uri"] = extras.vimeo_folder_uri
        if extras.vimeo_privacy:
            destination["privacy"] = {"view": extras.vimeo_privacy}
        out.payload["vimeoConnectionId"] = extras.vimeo_connection_id
        out.payload["destinations"] = [destination]
        out.summary["vimeo"] = found.name
    elif extras.vimeo_folder_uri or extras.vimeo_privacy:
        raise InputError("vimeo_folder_uri and vimeo_privacy need vimeo_connection_id.")


async def apply_options(state: AppState, opts: VideoOptions) -> Applied:
    """The storyboard fields for `opts`; every name and id is checked before submission."""
    out = Applied()
    if opts.language is not None:
        out.payload["language"] = check_language(opts.language)
        out.summary["language"] = opts.language
    if opts.aspect_ratio is not None:
        out.payload["aspectRatio"] = opts.aspect_ratio
        out.summary["aspect_ratio"] = opts.aspect_ratio
    await _voices(state, opts, out)
    _music(opts, out)
    await _styling(state, opts, out)
    await _delivery(state, opts.extras or VideoExtras(), out)
    return out
