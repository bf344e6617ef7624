"""The field checker every sandbox rule is written with: typed reads that record violations.

A JSON `null` counts as "absent" (tolerant reading: serialisers that emit nulls for unset
optional fields must not be punished). Messages name the full dotted path in quotes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from typing import Any
from urllib.parse import urlsplit

Fields = list[dict[str, str]]

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_RGB = re.compile(r"rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)", re.IGNORECASE)
_RGBA = re.compile(
    r"rgba\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d*\.?\d+)\s*\)", re.IGNORECASE
)
_PERCENT = re.compile(r"(\d{1,3})%")


def at(path: str, key: str) -> str:
    """Join a dotted path and a key (the root path is the empty string)."""
    return f"{path}.{key}" if path else key


def present(obj: dict[str, Any], key: str) -> bool:
    """A key counts as given when it exists and is not JSON null."""
    return obj.get(key) is not None


def is_color(value: str) -> bool:
    """`rgb(r,g,b)`, `rgba(r,g,b,a)` (a in 0..1) or hex `#RGB`, `#RRGGBB`, `#RRGGBBAA` (§6.10)."""
    if _HEX.fullmatch(value):
        return True
    m = _RGB.fullmatch(value)
    if m:
        return all(int(c) <= 255 for c in m.groups())
    m = _RGBA.fullmatch(value)
    if m:
        return all(int(c) <= 255 for c in m.groups()[:3]) and 0.0 <= float(m.group(4)) <= 1.0
    return False


def is_percent(value: str) -> bool:
    """An integer percentage string from "0%" to "100%" (decimals are rejected, §6.5)."""
    m = _PERCENT.fullmatch(value)
    return m is not None and int(m.group(1)) <= 100


def is_http_url(value: str) -> bool:
    """An absolute http(s) URL with a host."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


def is_number(value: object) -> bool:
    """A finite JSON number (booleans are not numbers here, unlike in Python)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return math.isfinite(value)


def is_integer(value: object) -> bool:
    """A JSON integer; `3.0` counts, as it does for a JavaScript validator."""
    return is_number(value) and float(value).is_integer()  # type: ignore[arg-type]


def _fmt(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else str(n)


class Checker:
    """Collects `{"name", "errors"}` entries while typed getters read a JSON object."""

    def __init__(self) -> None:
        self.fields: Fields = []

    def fail(self, name: str, message: str) -> None:
        self.fields.append({"name": name, "errors": message})

    def _missing(self, obj: dict[str, Any], key: str, name: str, required: bool) -> bool:
        if present(obj, key):
            return False
        if required:
            self.fail(name, f'"{name}" is required')
        return True

    def string(
        self,
        obj: dict[str, Any],
        key: str,
        path: str,
        *,
        required: bool = False,
        min_len: int = 0,
        max_len: int | None = None,
        choices: Collection[str] | None = None,
        url: bool = False,
    ) -> str | None:
        name = at(path, key)
        if self._missing(obj, key, name, required):
            return None
        value = obj[key]
        if not isinstance(value, str):
            self.fail(name, f'"{name}" must be a string')
            return None
        if len(value) < min_len:
            what = "must not be empty" if min_len == 1 else f"needs at least {min_len} characters"
            self.fail(name, f'"{name}" {what}')
            return None
        if max_len is not None and len(value) > max_len:
            self.fail(name, f'"{name}" must be at most {max_len} characters long')
            return None
        if choices is not None and value not in choices:
            allowed = ", ".join(sorted(choices))
            self.fail(name, f'"{name}" must be one of: {allowed} (got "{value}")')
            return None
        if url and not is_http_url(value):
            self.fail(name, f'"{name}" must be an absolute http(s) URL')
            return None
        return value

    def boolean(
        self, obj: dict[str, Any], key: str, path: str, *, required: bool = False
    ) -> bool | None:
        name = at(path, key)
        if self._missing(obj, key, name, required):
            return None
        value = obj[key]
        if not isinstance(value, bool):
            self.fail(name, f'"{name}" must be a boolean (true or false)')
            return None
        return value

    def number(
        self,
        obj: dict[str, Any],
        key: str,
        path: str,
        *,
        required: bool = False,
        lo: float | None = None,
        hi: float | None = None,
        integer: bool = False,
        above: float | None = None,
    ) -> float | None:
        """A number within [lo, hi] (inclusive) and strictly greater than `above`."""
        name = at(path, key)
        if self._missing(obj, key, name, required):
            return None
        value = obj[key]
        kind = "an integer" if integer else "a number"
        if not (is_integer(value) if integer else is_number(value)):
            self.fail(name, f'"{name}" must be {kind}')
            return None
        number = float(value)
        if lo is not None and hi is not None and not lo <= number <= hi:
            self.fail(name, f'"{name}" must be between {_fmt(lo)} and {_fmt(hi)}')
        elif lo is not None and number < lo:
            self.fail(name, f'"{name}" must be greater than or equal to {_fmt(lo)}')
        elif hi is not None and number > hi:
            self.fail(name, f'"{name}" must be less than or equal to {_fmt(hi)}')
        elif above is not None and number <= above:
            self.fail(name, f'"{name}" must be greater than {_fmt(above)}')
        else:
            return number
        return None

    def obj(
        self, obj: dict[str, Any], key: str, path: str, *, required: bool = False
    ) -> dict[str, Any] | None:
        name = at(path, key)
        if self._missing(obj, key, name, required):
            return None
        value = obj[key]
        if not isinstance(value, dict):
            self.fail(name, f'"{name}" must be an object')
            return None
        return value

    def array(
        self,
        obj: dict[str, Any],
        key: str,
        path: str,
        *,
        required: bool = False,
        min_items: int | None = None,
        max_items: int | None = None,
    ) -> list[Any] | None:
        name = at(path, key)
        if self._missing(obj, key, name, required):
            return None
        value = obj[key]
        if not isinstance(value, list):
            self.fail(name, f'"{name}" must be an array')
            return None
        if min_items is not None and len(value) < min_items:
            self.fail(name, f'"{name}" must contain at least {min_items} items')
            return None
        if max_items is not None and len(value) > max_items:
            self.fail(name, f'"{name}" must contain at most {max_items} items')
            return None
        return value

    def item_obj(self, value: object, name: str) -> dict[str, Any] | None:
        """An array item that must be an object."""
        if not isinstance(value, dict):
            self.fail(name, f'"{name}" must be an object')
            return None
        return value

    def color(self, obj: dict[str, Any], key: str, path: str, *, required: bool = False) -> None:
        value = self.string(obj, key, path, required=required)
        if value is not None and not is_color(value):
            name = at(path, key)
            self.fail(
                name,
                f'"{name}" must be a colour: rgb(r,g,b), rgba(r,g,b,a) or #RGB/#RRGGBB/#RRGGBBAA',
            )

    def percent(self, obj: dict[str, Any], key: str, path: str) -> None:
        value = self.string(obj, key, path)
        if value is not None and not is_percent(value):
            name = at(path, key)
            self.fail(name, f'"{name}" must be an integer percentage from "0%" to "100%"')

    def exclusive(self, obj: dict[str, Any], first: str, second: str, path: str) -> bool:
        """Both of a mutually exclusive pair given: reported on the second field."""
        if present(obj, first) and present(obj, second):
            name = at(path, second)
            self.fail(
                name, f'"{at(path, first)}" and "{name}" are mutually exclusive; send only one'
            )
            return True
        return False

    def clips(self, obj: dict[str, Any], key: str, path: str, *, max_items: int = 10) -> None:
        """`[{start, end}]` trims in seconds, at most `max_items` (§6.3, §6.8)."""
        items = self.array(obj, key, path, max_items=max_items)
        for i, raw in enumerate(items or []):
            self.span(raw, f"{at(path, key)}[{i}]")

    def span(self, raw: object, name: str) -> None:
        """A `{start, end}` pair of non-negative seconds with end after start."""
        clip = self.item_obj(raw, name)
        if clip is None:
            return
        start = self.number(clip, "start", name, lo=0)
        end = self.number(clip, "end", name, lo=0)
        if start is not None and end is not None and end <= start:
            self.fail(at(name, "end"), f'"{at(name, "end")}" must be greater than "start"')
