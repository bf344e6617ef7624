"""Where the create tools' options may be given: every option name is accepted top-level, in
`options` or in `options.extras`, and moved to the one place the tool reads it from; an unknown
name is refused with the path where the closest name is accepted, and a refusal about a moved
option names the path the agent used."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from mcp.server.mcpserver.exceptions import ToolError

__all__ = ["OptionNames", "fold_options", "speak_paths"]

# Pictory's field names (or near names) an agent may copy from elsewhere, and this server's
# option for each; other names are matched by spelling alone.
_PICTORY_NAMES = {
    "videoname": "video_name",
    "aspectratio": "aspect_ratio",
    "speaker": "voice",
    "voices": "voice",
    "aivoices": "voice",
    "speed": "voice_speed",
    "amplificationlevel": "voice_volume",
    "volume": "music_volume",
    "premiumvoicesettings": "premium_voice",
    "backgroundmusic": "music_url",
    "musicurl": "music_url",
    "audiourl": "music_url",
    "music": "music_url",
    "subtitlestyle": "subtitle_custom",
    "subtitlestyleid": "subtitle_style",
    "subtitlestylename": "subtitle_style",
    "brandid": "brand",
    "brandname": "brand",
    "logo": "logo_url",
    "smartlayoutid": "smart_layout",
    "smartlayoutname": "smart_layout",
    "vimeoconnectionid": "vimeo_connection_id",
    "destinations": "vimeo_connection_id",
    "awsconnectionid": "aws_connection_id",
}


@dataclass(frozen=True)
class OptionNames:
    """The create tools' option names: those of `options` and those of `options.extras`."""

    shared: frozenset[str] = field(default_factory=frozenset)
    extras: frozenset[str] = field(default_factory=frozenset)

    def place(self, name: str, top_level: Collection[str]) -> str | None:
        """The path `name` belongs at for a tool with these top-level arguments, or None."""
        if name in top_level:
            return name
        if name in self.shared:
            return f"options.{name}"
        if name in self.extras:
            return f"options.extras.{name}"
        return None


def _fold(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.casefold())


def _closest(name: str, candidates: Collection[str]) -> str | None:
    folded = {_fold(c): c for c in candidates}
    key = _fold(name)
    if key in folded:
        return folded[key]
    alias = _PICTORY_NAMES.get(key)
    if alias in candidates:
        return alias
    starts = sorted(c for c in candidates if c.startswith(name) or name.startswith(c))
    close = difflib.get_close_matches(name, sorted(candidates), n=1)
    return close[0] if close else (starts[0] if starts else None)


def unknown_name(
    tool: str, name: str, where: str, top_level: Collection[str], names: OptionNames
) -> str:
    """The refusal of an argument name the tool does not take anywhere."""
    given = f"{where}.{name}" if where else name
    candidates = set(top_level) | names.shared | names.extras
    close = _closest(name, candidates)
    hint = ""
    if close:
        path = names.place(close, top_level)
        hint = f" Did you mean '{close}'" + (f" (at {path})?" if path != close else "?")
    top = ", ".join(sorted(n for n in top_level if n != "options"))
    return (
        f"Unknown argument '{given}' for {tool}.{hint} Arguments: {top}; "
        f"options.<name>: {', '.join(sorted(names.shared))}; "
        f"options.extras.<name>: {', '.join(sorted(names.extras))}."
    )


def _given(arguments: Mapping[str, Any], known: Collection[str]) -> list[tuple[str, Any, str]]:
    """(name, value, path used) of everything given, `options` and `extras` opened up."""
    found: list[tuple[str, Any, str]] = []
    for key, value in arguments.items():
        if key == "options" or (key == "extras" and key not in known):
            if value is None:
                continue
            if not isinstance(value, dict):
                raise ToolError(f"{key} must be an object of option names and values.")
            for inner, inner_value in value.items():
                if key == "options" and inner == "extras":
                    if inner_value is None:
                        continue
                    if not isinstance(inner_value, dict):
                        raise ToolError(
                            "options.extras must be an object of option names and values."
                        )
                    found.extend((n, v, f"options.extras.{n}") for n, v in inner_value.items())
                else:
                    found.append((inner, inner_value, f"{key}.{inner}"))
        else:
            found.append((key, value, key))
    return found


def fold_options(
    tool: str, arguments: dict[str, Any], known: Collection[str], names: OptionNames
) -> tuple[dict[str, Any], dict[str, str]]:
    """`arguments` with every option at its own place, and {path it belongs at: path used} for
    each option that was moved. Tools without `options` are left alone."""
    if "options" not in known:
        return arguments, {}
    top_level = set(known)
    placed: dict[str, tuple[Any, str]] = {}
    for name, value, used in _given(arguments, top_level):
        if used != name and name in top_level and name not in names.shared | names.extras:
            raise ToolError(
                f"{used} is not an option: give {name} as a top-level argument of {tool}."
            )
        if names.place(name, top_level) is None:
            raise ToolError(unknown_name(tool, name, used.rpartition(".")[0], top_level, names))
        if name in placed and placed[name][0] != value:
            raise ToolError(
                f"{tool}: give {name} once; it is given as {placed[name][1]} and as {used} "
                "with different values."
            )
        placed.setdefault(name, (value, used))
    folded: dict[str, Any] = {}
    options: dict[str, Any] = {}
    extras: dict[str, Any] = {}
    moved: dict[str, str] = {}
    for name, (value, used) in placed.items():
        path = names.place(name, top_level) or name
        if path != used:
            moved[path] = used
        if path == name:
            folded[name] = value
        elif path.startswith("options.extras."):
            extras[name] = value
        else:
            options[name] = value
    if extras:
        options["extras"] = extras
    if options:
        folded["options"] = options
    return folded, moved


def speak_paths(message: str, moved: Mapping[str, str]) -> str:
    """`message` with each moved option's own path (and the paths under it) written as the
    path the agent used; when the agent put all its options of one object in the same place,
    other options of that object are named there too. Only dotted paths are rewritten: a bare
    name reads the same anywhere."""
    for path, used in sorted(moved.items(), key=lambda item: -len(item[0])):
        if "." in path:
            message = re.sub(rf"(?<![\w.]){re.escape(path)}(?![\w])", used, message)
    for container, pattern in _CONTAINERS:  # e.g. options.extras.logo_url -> extras.logo_url
        homes = {
            used.rpartition(".")[0]
            for path, used in moved.items()
            if path.rpartition(".")[0] == container
        }
        if len(homes) == 1:
            prefix = f"{homes.pop()}.".lstrip(".")
            message = pattern.sub(prefix + r"\1", message)
    return message


_CONTAINERS = (
    ("options.extras", re.compile(r"(?<![\w.])options\.extras\.(\w+)")),
    ("options", re.compile(r"(?<![\w.])options\.(?!extras\.)(\w+)")),
)
