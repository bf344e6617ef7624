"""Catalogue look-ups for the create_* tools: a style, brand, layout, voice or connection named
by the agent, found in the account's catalogue before anything is submitted, or a refusal that
lists the valid choices."""

from __future__ import annotations

from typing import Any, Literal

from pictory_mcp.errors import InputError, NotFoundError
from pictory_mcp.server.state import AppState
from pictory_mcp.server.voice_names import find_voice, unknown_voice_message


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
    """A voice by track id, provider voice id or name (any case when only one voice fits)."""
    for voice in catalog:
        if str(getattr(voice, "id", "")) == speaker or getattr(voice, "voice", None) == speaker:
            return voice
    try:
        return find_voice(catalog, speaker)
    except InputError:
        raise InputError(unknown_voice_message(catalog, speaker)) from None


async def check_connection(
    state: AppState, kind: Literal["aws", "vimeo"], wanted: str, arg: str
) -> Any:
    """The connection with id `wanted`, enabled; else an error naming `arg` (the argument
    path the agent gave it at) and listing the valid ids."""
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
    problem = "is disabled" if found is not None else "is not a connection on this account"
    return_hint = ", ".join(usable) or f"none: create a {kind} connection in Pictory first"
    raise InputError(f"{arg} '{wanted}' {problem}. Enabled {kind} connections: {return_hint}.")
