"""Voice look-ups before money is spent: names (any case when unambiguous), the language a
voice speaks, default narrators, and close matches when a name is wrong."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from pictory_mcp.errors import InputError
from pictory_mcp.server.phrasing import one_of

# Documented per-language default narrators (hi and ru fall back to Martin).
DEFAULT_VOICES = {
    "en": "Martin",
    "nl": "Tim",
    "fr": "Gabriel",
    "de": "Wilbur",
    "it": "Marco",
    "pt": "Aurelio",
    "es": "Hugo",
    "hi": "Martin",
    "ru": "Martin",
}
# ElevenLabs models that speak many languages; eleven_monolingual_v1, eleven_turbo_v2 and
# eleven_flash_v2 are English-only.
MULTILINGUAL_MODELS = frozenset(
    {"eleven_v3", "eleven_multilingual_v2", "eleven_multilingual_v1", "eleven_turbo_v2_5",
     "eleven_flash_v2_5"}
)  # fmt: skip


def _names(catalog: Sequence[Any]) -> list[str]:
    return [str(v.name) for v in catalog if getattr(v, "name", None)]


def suggestions(catalog: Sequence[Any], wanted: str, limit: int = 3) -> list[str]:
    """Closest voice names to `wanted`: a case-insensitive match first, then fuzzy ones."""
    names = _names(catalog)
    lowered = {n.lower(): n for n in names}
    out: list[str] = []
    if wanted.lower() in lowered:
        return [lowered[wanted.lower()]]  # only the case is wrong: one clear answer
    for match in difflib.get_close_matches(wanted.lower(), list(lowered), n=limit, cutoff=0.6):
        if lowered[match] not in out:
            out.append(lowered[match])
    return out[:limit]


def unknown_voice_message(catalog: Sequence[Any], wanted: str) -> str:
    close = suggestions(catalog, wanted)
    hint = f" Did you mean {one_of(close)}?" if close else ""
    return f"Unknown voice '{wanted}'.{hint} Call list_voices to see the voices."


def find_voice(catalog: Sequence[Any], wanted: str) -> Any:
    """The catalogue entry named `wanted`: exactly, else by numeric track id, else the one
    voice whose name matches ignoring case (Pictory's guides match names that way; two
    names differing only in case are refused rather than guessed between)."""
    for voice in catalog:
        if getattr(voice, "name", None) == wanted:
            return voice
    if wanted.isdigit():
        for voice in catalog:
            if str(getattr(voice, "id", "")) == wanted:
                return voice
    folded = [v for v in catalog if str(getattr(v, "name", "")).casefold() == wanted.casefold()]
    if len(folded) == 1:
        return folded[0]
    if folded:
        raise InputError(
            f"Voice '{wanted}' matches {one_of(_names(folded))} when case is ignored; "
            "give the exact name."
        )
    raise InputError(unknown_voice_message(catalog, wanted))


def _primary(code: str) -> str:
    return code.strip().replace("_", "-").partition("-")[0].lower()


def speaks(voice: Any, language: str) -> bool:
    """True when the voice's locale ('es-ES') is of the script language `language` ('es')."""
    return _primary(str(getattr(voice, "language", "") or "")) == _primary(language)


def multilingual(voice: Any, model: str | None = None) -> bool:
    """True for an ElevenLabs voice on a multilingual model (the voice's own, or `model` when
    premium settings choose one): it reads text of any script language."""
    if str(getattr(voice, "service", "") or "").lower() != "elevenlabs":
        return False
    return (model or str(getattr(voice, "engine", "") or "")) in MULTILINGUAL_MODELS


def check_speaks(
    catalog: Sequence[Any], chosen: Sequence[Any], language: str, model: str | None = None
) -> list[str]:
    """Refuse a voice that does not speak `language`, naming voices that do; returns the
    names of multilingual voices whose own locale is another language (allowed)."""
    allowed: list[str] = []
    for voice in chosen:
        if speaks(voice, language):
            continue
        if multilingual(voice, model):
            allowed.append(str(voice.name))
            continue
        fitting = [str(v.name) for v in catalog if speaks(v, language)][:3]
        instead = (
            f"use a voice that speaks it, such as {one_of(fitting)} (list_voices(language="
            f"'{language}') lists them), or leave voice out for its default voice"
            if fitting
            else "no voice here speaks it, so use a multilingual ElevenLabs voice "
            "(list_voices(service='elevenlabs'))"
        )
        raise InputError(
            f"voice '{voice.name}' speaks {voice.language}, not language '{language}': {instead}."
        )
    return allowed


def default_voice(catalog: Sequence[Any], language: str) -> Any:
    """The documented default narrator for `language` when it speaks that language (hi and ru
    are documented to fall back to the English Martin, which would read them with an English
    voice), else the first voice speaking it, else the documented default."""
    preferred = [v for v in catalog if getattr(v, "name", None) == DEFAULT_VOICES.get(language)]
    fitting = [v for v in catalog if speaks(v, language)]
    candidates = [v for v in preferred if speaks(v, language)] + fitting + preferred
    if candidates:
        return candidates[0]
    raise InputError(
        f"No voice found for language '{language}'. Call list_voices(language='{language}') "
        "or pass a voice name explicitly."
    )


def matches(
    voice: Any, *, language: str | None, gender: str | None, service: str | None, query: str | None
) -> bool:
    """The list_voices filter: language by prefix, gender/service exact, query in name or accent."""

    def text(attr: str) -> str:
        return str(getattr(voice, attr, "") or "").lower()

    if language and not text("language").startswith(language.strip().replace("_", "-").lower()):
        return False
    if gender and text("gender") != gender.lower():
        return False
    if service and text("service") != service.lower():
        return False
    if query:
        q = query.lower()
        haystack = " ".join(text(a) for a in ("name", "accent", "language", "voice"))
        if q not in haystack:
            return False
    return True
