"""Voice look-ups: exact names before money is spent, close matches when a name is wrong."""

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
    return f"Unknown voice '{wanted}'.{hint} Call list_voices to see the voices (names are case-sensitive)."


def find_voice(catalog: Sequence[Any], wanted: str) -> Any:
    """The catalogue entry named exactly `wanted` (or with that numeric track id)."""
    for voice in catalog:
        if getattr(voice, "name", None) == wanted:
            return voice
    if wanted.isdigit():
        for voice in catalog:
            if str(getattr(voice, "id", "")) == wanted:
                return voice
    raise InputError(unknown_voice_message(catalog, wanted))


def default_voice(catalog: Sequence[Any], language: str) -> Any:
    """The documented default narrator for `language`, else the first voice in that language."""
    preferred = DEFAULT_VOICES.get(language)
    if preferred:
        for voice in catalog:
            if getattr(voice, "name", None) == preferred:
                return voice
    for voice in catalog:
        if str(getattr(voice, "language", "") or "").lower().startswith(language.lower()):
            return voice
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

    if language and not text("language").startswith(language.lower()):
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
