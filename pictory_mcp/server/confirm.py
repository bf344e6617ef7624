"""Asking the user a yes/no question through the client (form elicitation), in either
protocol era, before a call spends credits.

- 2025 handshake clients are asked in the middle of the call (`elicitation/create` on the
  connection's back-channel), within the call's time bound: no answer in time reads as
  `timeout`. A stateless HTTP connection has no back-channel, so nothing can be asked there.
- 2026-07-28 clients are asked between two rounds of the call: the first answers with an
  `InputRequiredResult` holding the question (raised here as `NeedsAnswer`, returned by
  `PictoryServer`), the client asks the user and calls again with the answer. The question's
  key carries a digest of its text, so an answer counts only for the very question the user
  saw: if the numbers changed in between, the user is asked again. No call is held open while
  the user decides, so the time bound does not run then.

The SDK's own `Resolve(...)` parameters would ask before the tool's body runs; the question
here needs what the body works out first (the storyboard, its length, the quota), so the body
asks, through the same wire messages.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any, Literal

import anyio
from mcp.server.elicitation import render_elicitation_schema
from mcp.server.mcpserver.exceptions import ToolError
from mcp.shared.exceptions import MCPError, NoBackChannelError
from mcp.types import ElicitRequest, ElicitRequestFormParams, ElicitResult, InputRequiredResult
from mcp_types.version import is_version_at_least
from pydantic import BaseModel, Field, ValidationError

__all__ = ["Answer", "ConfirmSpend", "NeedsAnswer", "ask", "can_ask", "question_key"]

logger = logging.getLogger("pictory_mcp.server.confirm")

Answer = Literal["yes", "no", "cancel", "timeout", "failed"]

# The first protocol revision that carries questions in the call's result (SEP-2322).
_INPUT_REQUIRED_VERSION = "2026-07-28"
_KEY_PREFIX = "pictory-mcp/confirm-spend:"


class ConfirmSpend(BaseModel):
    """The form the user fills in: one yes/no, nothing else (never a secret)."""

    render: bool = Field(
        default=False,
        title="Go ahead and spend the minutes",
        description="Tick to submit; leave unticked or decline to submit nothing.",
    )


class NeedsAnswer(ToolError):
    """The call's answer for a 2026-07-28 client: the question, in an `InputRequiredResult`."""

    def __init__(self, result: InputRequiredResult) -> None:
        super().__init__("The user's confirmation is needed before anything is submitted.")
        self.result = result


def _modern(ctx: Any) -> bool:
    version = getattr(ctx, "protocol_version", None)
    return isinstance(version, str) and is_version_at_least(version, _INPUT_REQUIRED_VERSION)


def can_ask(ctx: Any) -> bool:
    """True when this call's client can show the user a form: it declared form elicitation
    (or elicitation before modes existed) and, on a handshake connection, the connection can
    carry a request to it."""
    if ctx is None:
        return False
    try:
        capabilities = ctx.client_capabilities
    except (AttributeError, LookupError, ValueError):
        return False
    elicitation = capabilities.elicitation if capabilities is not None else None
    if elicitation is None or (elicitation.form is None and elicitation.url is not None):
        return False
    if _modern(ctx):
        return True
    return bool(getattr(ctx.session, "can_send_request", False))


def question_key(message: str) -> str:
    """The key of the question in `inputRequests`, pinned to its exact text."""
    return _KEY_PREFIX + hashlib.sha256(message.encode()).hexdigest()[:24]


def _verdict(action: str, content: Any) -> Answer:
    if action == "accept":
        try:
            return "yes" if ConfirmSpend.model_validate(content or {}).render else "no"
        except ValidationError:
            return "failed"
    return "no" if action == "decline" else "cancel"


async def ask(ctx: Any, message: str, window: float) -> Answer:
    """Ask `message` as a yes/no form (`can_ask(ctx)` must hold); a handshake client has
    `window` seconds to answer. A 2026-07-28 client without the answer yet gets the question
    (NeedsAnswer is raised)."""
    if _modern(ctx):
        key = question_key(message)
        answer = (ctx.input_responses or {}).get(key)
        if answer is None:
            schema = render_elicitation_schema(ConfirmSpend)
            request = ElicitRequest(
                params=ElicitRequestFormParams(message=message, requested_schema=schema)
            )
            raise NeedsAnswer(InputRequiredResult(input_requests={key: request}))
        if not isinstance(answer, ElicitResult):
            try:
                answer = ElicitResult.model_validate(answer.model_dump(by_alias=True))
            except ValidationError:
                return "failed"
        return _verdict(answer.action, answer.content)
    if window <= 0:
        return "timeout"
    try:
        with anyio.move_on_after(window):
            outcome = await ctx.elicit(message, ConfirmSpend)
            if outcome.action == "accept":
                return "yes" if outcome.data.render else "no"
            return "no" if outcome.action == "decline" else "cancel"
    except NoBackChannelError:
        return "failed"
    except (MCPError, ValueError) as exc:
        logger.info("the client could not show the spending confirmation: %s", exc)
        return "failed"
    return "timeout"
