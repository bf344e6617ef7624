"""Property-based tests: arguments drawn from each tool's input schema, mixed with junk (wrong
types, huge and unicode strings, nested objects, unknown keys), never cause a protocol error
or an unexplained crash; every refusal is a clear, traceback-free tool error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client

from pictory_mcp.server.app import build_server
from pictory_mcp.server.inventory import all_tools
from pictory_mcp.server.schemas import compact_schema
from tests._helpers import make_settings, text_of

TOOL_NAMES = [spec.name for spec in all_tools()]
CALL_LIMIT = 60.0  # seconds; a wait-style tool is bounded well below this

json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30)
)
json_value = st.recursive(
    json_leaf,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)
huge_text = st.integers(min_value=2_001, max_value=40_000).flatmap(
    lambda n: st.sampled_from(["x" * n, "é" * n, "\U0001f600" * n, "\x00" * n])
)
junk = st.one_of(json_value, huge_text, st.text(max_size=200), st.floats(allow_nan=True))


def valid_value(prop: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A value the schema allows (or a close approximation for free-form objects)."""
    if "enum" in prop:
        return st.sampled_from(prop["enum"])
    kind = prop.get("type")
    if kind == "string":
        if "pattern" in prop:
            return st.from_regex(prop["pattern"], fullmatch=True)
        high = min(int(prop.get("maxLength", 200)), 200)
        low = min(int(prop.get("minLength", 0)), high)
        return st.one_of(
            st.text(min_size=low, max_size=high),
            st.just("https://example.com/talk.mp4"),
            st.sampled_from(["Joanna", "Brian", "en", "quota", "music"]),
        )
    if kind == "integer":
        return st.integers(prop.get("minimum"), prop.get("maximum"))
    if kind == "number":
        return st.floats(prop.get("minimum"), prop.get("maximum"), allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "object":
        return st.dictionaries(st.text(max_size=20), json_value, max_size=4)
    return json_value


def arguments(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    props: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))

    def build(mixed: bool) -> st.SearchStrategy[dict[str, Any]]:
        def value(p: dict[str, Any]) -> st.SearchStrategy[Any]:
            return valid_value(p) | junk if mixed else valid_value(p)

        return st.fixed_dictionaries(
            {k: value(p) for k, p in props.items() if k in required},
            optional={k: value(p) for k, p in props.items() if k not in required},
        )

    unknown = st.dictionaries(st.text(min_size=1, max_size=20), junk, min_size=1, max_size=2)
    return st.one_of(
        build(mixed=False),
        build(mixed=True),
        st.tuples(build(mixed=False), unknown).map(lambda pair: {**pair[1], **pair[0]}),
        st.dictionaries(st.text(max_size=15), junk, max_size=4),
    )


class Harness:
    """One in-process client kept open in a portal's event loop for every example."""

    def __init__(self, portal: BlockingPortal, client: Client, schemas: dict[str, Any]) -> None:
        self.portal = portal
        self.client = client
        self.schemas = schemas

    def call(self, tool: str, args: dict[str, Any]) -> Any:
        async def go() -> Any:
            with anyio.fail_after(CALL_LIMIT):
                return await self.client.call_tool(tool, args)

        return self.portal.call(go)


@pytest.fixture(scope="module")
def harness(_sandbox_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    tmp: Path = tmp_path_factory.mktemp("properties")
    config = make_settings(_sandbox_server.api_base_url, tmp)
    server = build_server(config)
    schemas = {t.name: compact_schema(t.parameters) for t in server._tool_manager.list_tools()}
    with (
        start_blocking_portal("asyncio") as portal,
        portal.wrap_async_context_manager(Client(server)) as client,
    ):
        yield Harness(portal, client, schemas)


def assert_clear(tool: str, args: dict[str, Any], result: Any) -> None:
    if not result.is_error:
        assert isinstance(result.structured_content, dict), (tool, args)
        return
    message = text_of(result).strip()
    assert message, (tool, args)
    assert "Traceback" not in message, (tool, args, message)
    assert "errors.pydantic.dev" not in message, (tool, args, message)
    # The SDK's wording for an unexpected exception, with the reason hidden.
    assert message != f"Error executing tool {tool}", (tool, args)
    assert not message.endswith(f"Error executing tool {tool}:"), (tool, args)


@pytest.mark.parametrize("tool", TOOL_NAMES)
def test_any_arguments_give_a_result_or_a_clear_tool_error(harness: Harness, tool: str) -> None:
    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(args=arguments(harness.schemas[tool]))
    def check(args: dict[str, Any]) -> None:
        result = harness.call(tool, args)  # an MCPError (protocol error) fails the test here
        assert_clear(tool, args, result)

    check()
