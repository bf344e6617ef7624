"""Make what the agent reads every turn smaller without changing what it may send.

pydantic's schemas carry a `title` on every property and spell an optional field as
`anyOf: [X, {"type": "null"}]` with `default: null`. Agents need neither: optional
fields are simply not `required`, and results leave out fields that have no value.
"""

from __future__ import annotations

import json
from typing import Any

from mcp.types import CallToolResult, TextContent


def inline_refs(schema: Any) -> Any:
    """Replace local `$ref`s by their `$defs` entry (our result models are never recursive)."""
    if not isinstance(schema, dict) or "$defs" not in schema:
        return schema
    defs = schema["$defs"]

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(n) for n in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return walk(
                {
                    **defs[ref.removeprefix("#/$defs/")],
                    **{k: v for k, v in node.items() if k != "$ref"},
                }
            )
        return {k: walk(v) for k, v in node.items() if k != "$defs"}

    return walk(schema)


def compact_schema(node: Any) -> Any:
    """A copy of a JSON schema without titles, null branches or null defaults."""
    return _compact(inline_refs(node))


def _compact(node: Any) -> Any:
    if isinstance(node, list):
        return [_compact(n) for n in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "title" and isinstance(value, str):
            continue
        if key == "default" and (value is None or value is False or value == 0):
            continue  # null, false and 0 are what an absent optional argument means anyway
        if key == "additionalProperties" and value is True:
            continue  # the JSON Schema default
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: _compact(spec) for name, spec in value.items()}
            continue
        out[key] = _compact(value)
    branches = out.get("anyOf")
    if isinstance(branches, list) and {"type": "null"} in branches:
        rest = [b for b in branches if b != {"type": "null"}]
        if len(rest) == 1 and isinstance(rest[0], dict):
            del out["anyOf"]
            out = {**rest[0], **out}
        else:
            out["anyOf"] = rest
    return out


def shallow_output_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """An output schema that types the top-level fields only; nested objects stay `object`.

    Still a truthful (looser) description of the result, at a fraction of the bytes: results
    are validated against the full pydantic model on the way out either way.
    """
    compact: dict[str, Any] = compact_schema(schema)
    compact.pop("required", None)  # results always carry their main fields; saves every turn
    props = compact.get("properties", {})
    for name, spec in props.items():
        props[name] = _shallow(spec)
    return compact


def _shallow(spec: Any) -> Any:
    if not isinstance(spec, dict):
        return spec
    if spec.get("type") == "object":
        return {
            k: v
            for k, v in spec.items()
            if k not in ("properties", "required", "additionalProperties")
        }
    if spec.get("type") == "array" and isinstance(spec.get("items"), dict):
        return {**spec, "items": _shallow(spec["items"])}
    return spec


def drop_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    return value


def text_block(structured: dict[str, Any]) -> TextContent:
    """Structured content as one compact JSON text block."""
    text = json.dumps(structured, separators=(",", ":"), ensure_ascii=False)
    return TextContent(type="text", text=text)


def compact_result(result: CallToolResult) -> CallToolResult:
    """Structured content without nulls, and one compact JSON text block mirroring it."""
    if result.is_error or not isinstance(result.structured_content, dict):
        return result
    structured = drop_nulls(result.structured_content)
    # Other blocks (a download's resource link) stay; the text block mirrors the structure.
    kept = [block for block in result.content if not isinstance(block, TextContent)]
    return CallToolResult(content=[text_block(structured), *kept], structured_content=structured)
