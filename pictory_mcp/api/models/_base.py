"""Shared base for request models: casing, strictness, value formats (§6.10) and helpers
for the cross-field rules of REFERENCE §6.13."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, PlainSerializer, WithJsonSchema
from pydantic.alias_generators import to_camel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema


class RequestModel(BaseModel):
    """Base of every request body model.

    Unknown fields are rejected (Pictory silently strips them, so a typo would otherwise
    vanish); Python uses snake_case, the wire uses Pictory's camelCase.
    """

    model_config = ConfigDict(
        extra="forbid",
        alias_generator=to_camel,
        populate_by_name=True,
        serialize_by_alias=True,
    )

    def to_payload(self) -> dict[str, Any]:
        """The JSON-ready body to send: Pictory's field names, unset fields left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    def _alias(self, name: str) -> str:
        alias = type(self).model_fields[name].alias
        return alias or name

    def _given(self, *names: str) -> list[str]:
        """The wire names of those `names` that hold a value."""
        return [self._alias(n) for n in names if getattr(self, n) is not None]

    def _exclusive(self, *names: str, prefix: str = "") -> None:
        """Refuse more than one of `names` (mutually exclusive fields)."""
        given = self._given(*names)
        if len(given) > 1:
            listed = " and ".join(f"{prefix}{g}" for g in given)
            raise ValueError(f"{listed} are mutually exclusive: send only one")


# --- numbers -------------------------------------------------------------------------


def _plain_number(value: float) -> int | float:
    # Keep 9 as 9 on the wire: payloads round-trip unchanged and read naturally.
    return int(value) if value.is_integer() else value


Number = Annotated[float, PlainSerializer(_plain_number)]
"""A JSON number that serialises integral values without a trailing `.0`."""


# --- percentages ---------------------------------------------------------------------

_PERCENT = re.compile(r"^(\d{1,3})%$")


def _check_percent(value: str) -> str:
    match = _PERCENT.match(value.strip())
    if match is None or int(match.group(1)) > 100:
        raise ValueError(
            'must be an integer percentage string from "0%" to "100%", e.g. "10%"'
            ' (decimals such as "10.5%" are rejected by Pictory)'
        )
    return value.strip()


Percent = Annotated[
    str,
    AfterValidator(_check_percent),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,3}%$"}),
]
"""An integer percentage string, "0%" to "100%" (§6.10)."""


# --- colours -------------------------------------------------------------------------

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_FUNC = re.compile(r"^(rgba?)\(\s*([^)]*)\)$")
_COLOR_HELP = (
    "colour must be rgb(r,g,b), rgba(r,g,b,a) or hex #RGB/#RRGGBB/#RRGGBBAA,"
    ' e.g. "rgb(255,255,255)" or "rgba(0,0,0,0.5)"'
)


def _channels_ok(parts: list[str], with_alpha: bool) -> bool:
    try:
        rgb = [int(p) for p in parts[:3]]
        alpha = float(parts[3]) if with_alpha else 1.0
    except ValueError:
        return False
    return all(0 <= c <= 255 for c in rgb) and 0.0 <= alpha <= 1.0


def _check_color(value: str) -> str:
    text = value.strip()
    if _HEX.match(text):
        return text
    match = _FUNC.match(text)
    if match:
        func, inner = match.groups()
        parts = [p.strip() for p in inner.split(",")]
        with_alpha = func == "rgba"
        if len(parts) == (4 if with_alpha else 3) and _channels_ok(parts, with_alpha):
            return text
    raise ValueError(_COLOR_HELP)


Color = Annotated[str, AfterValidator(_check_color), WithJsonSchema({"type": "string"})]
"""A colour as rgb(), rgba() or hex (§6.10)."""


# --- compact JSON schema -------------------------------------------------------------


class CompactJsonSchema(GenerateJsonSchema):
    """JSON schema without per-field titles, `null` branches or `default: null`.

    The schema is read by agents on every turn; optional means "leave it out", so
    the `null` alternatives add bytes and no information.
    """

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        if schema.get("default", ...) is None:
            return self.generate_inner(schema["schema"])
        return super().default_schema(schema)
