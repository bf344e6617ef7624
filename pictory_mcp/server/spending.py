"""Spend nothing by surprise: the checks every call that spends credits passes before anything
is written or sent (`approve`), in this order:

1. The account's quota: the video's estimated minutes (`server/estimates.py`) against the
   account's video minutes left (`GET /v1/quota`, read fresh for every such call, less the
   minutes of this history's renders still running, which the quota does not show yet). A
   video that cannot fit is refused with the numbers. An unreadable quota does not block the
   call; the answer says the check could not be made.
2. The daily cap (`PICTORY_MCP_DAILY_MINUTES`, per user when hosted), counted from the job
   history; the claim itself is made with the job's record (`jobs/_spend.py`), so the count
   holds across processes and replicas and two calls near the cap never both pass.
3. The user's yes (`PICTORY_MCP_CONFIRM_SPEND`): asked through the client when it can
   (`server/confirm.py`), before any placeholder is written, so a "no" leaves nothing behind.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import anyio

from pictory_mcp.errors import PictoryMCPError, SpendRefusedError
from pictory_mcp.jobs import OverDailyCap, SpendClaim, check_claim
from pictory_mcp.server import confirm
from pictory_mcp.server.bounds import GRACE, remaining
from pictory_mcp.server.estimates import WORDS_PER_SECOND, Length
from pictory_mcp.server.failures import describe

if TYPE_CHECKING:
    from pictory_mcp.server.state import AppState

__all__ = ["CALLER", "Approval", "Caller", "Spend", "approve", "claiming", "over_cap"]

logger = logging.getLogger("pictory_mcp.server.spending")

# How long the quota may take to read before the call goes on without the check (at most a
# third of what is left of the call).
QUOTA_BOUND = 5.0
# What a handshake client's question leaves of the call's time for the submission itself.
SUBMIT_RESERVE = 5.0
PLAN_URL = "https://app.pictory.ai"


@dataclass(frozen=True)
class Caller:
    """The call being served: which tool, and its request context (for asking the user)."""

    tool: str
    ctx: Any = None


# Set where every tool call passes (`PictoryServer`); None outside a tool call.
CALLER: ContextVar[Caller | None] = ContextVar("pictory_mcp_caller", default=None)


@dataclass(frozen=True)
class Spend:
    """What a call is about to make: the video's estimated length, and what the user is shown
    of it (name, aspect ratio, voice); `shorter` says what to do when it does not fit (by
    default: shorten the script, or make a preview first)."""

    length: Length
    video_name: str | None = None
    aspect_ratio: str | None = None
    voice: str | None = None
    shorter: str | None = None


@dataclass(frozen=True)
class Approval:
    """A call cleared to spend: the claim its record carries, what its answer shows
    (`details.spend`) and any sentence that leads its next step."""

    claim: SpendClaim
    detail: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Quota:
    used: float
    limit: float
    running: float  # minutes of this history's renders still running

    @property
    def left(self) -> float:
        return self.limit - self.used - self.running


def _n(minutes: float) -> str:
    """Minutes as people read them: 0.27, 1.5, 14,302."""
    return f"{minutes:,.2f}".rstrip("0").rstrip(".")


def _day_start(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


async def _read_quota(state: AppState) -> tuple[_Quota | None, str]:
    """The account's video minutes (None with the reason when they cannot be read)."""
    client = state.require_client()
    bound = min(QUOTA_BOUND, remaining() / 3)  # the rest of the call is for the submission
    try:
        with anyio.fail_after(bound):
            quota = await client.get_quota()
    except TimeoutError:
        return None, f"Pictory did not answer within {bound:.1f} s"
    except PictoryMCPError as exc:
        return None, describe(exc).split(". ")[0]
    usage = quota.video_minutes
    if usage is None or usage.limit is None or usage.used is None:
        return None, "Pictory's answer has no video minutes"
    since = _stamp(datetime.now(timezone.utc) - timedelta(days=1))
    running = await anyio.to_thread.run_sync(state.store.spending_in_flight, since)
    return _Quota(used=float(usage.used), limit=float(usage.limit), running=running), ""


def _quota_refusal(spend: Spend, quota: _Quota) -> str | None:
    minutes = spend.length.minutes
    held = f", {_n(quota.running)} held by renders still running" if quota.running else ""
    account = (
        f"the Pictory account has {_n(max(quota.left, 0.0))} of its {_n(quota.limit)} video "
        f"minutes left ({_n(quota.used)} used{held})"
    )
    if minutes is None:
        if quota.left > 0:
            return None
        return (
            f"Nothing was submitted: {account}. Wait for running renders to finish, or check "
            f"the plan at {PLAN_URL}."
        )
    if minutes <= quota.left:
        return None
    if spend.shorter is None:
        fit = max(0, math.floor(max(quota.left, 0.0) * 60 * WORDS_PER_SECOND))
        instead = (
            f"Shorten the script (about {fit} words of narration fit), make a preview first "
            "(preview=true) to see its exact length"
        )
    else:
        instead = spend.shorter
    return (
        f"Nothing was submitted: this video needs about {_n(minutes)} video minutes, but "
        f"{account}. {instead}, or check the plan at {PLAN_URL}."
    )


def _resets(now: datetime) -> str:
    midnight = _day_start(now) + timedelta(days=1)
    left = int((midnight - now).total_seconds() // 60)
    return f"The count resets at 00:00 UTC (in {left // 60} h {left % 60} min)."


def over_cap(exc: OverDailyCap, claim: SpendClaim, *, hosted: bool = False) -> str:
    """The refusal of a call past the daily cap: the numbers, and when the count resets."""
    whose = "your" if hosted else "this server's"
    needs = (
        f"this video needs about {_n(claim.minutes)} more"
        if claim.known
        else "this video's length cannot be known before rendering"
    )
    return (
        f"Nothing was submitted: {_n(exc.spent)} of {whose} {_n(exc.cap)} video minutes a day "
        f"(PICTORY_MCP_DAILY_MINUTES) are spent today, and {needs}. "
        f"{_resets(datetime.now(timezone.utc))} Until then only a shorter video fits, if any; "
        "or ask whoever runs this server to raise the cap."
    )


@contextmanager
def claiming(state: AppState, claim: SpendClaim | None) -> Iterator[None]:
    """Turn a claim the job history refused (the cap was reached meanwhile) into the answer."""
    try:
        yield
    except OverDailyCap as exc:
        if claim is None:
            raise
        raise SpendRefusedError(over_cap(exc, claim, hosted=bool(state.user))) from None


async def _daily_check(state: AppState, spend: Spend, now: datetime) -> tuple[SpendClaim, str]:
    """The claim the record will carry, and the sentence on today's count for the question;
    refuses now a call that already cannot fit (the claim checks again, atomically)."""
    minutes = spend.length.minutes
    cap = state.settings.daily_minutes
    since = _stamp(_day_start(now))
    claim = SpendClaim(minutes=minutes or 0.0, known=minutes is not None, cap=cap, since=since)
    if cap is None:
        return claim, ""
    spent = await anyio.to_thread.run_sync(state.store.spent_since, since)
    try:
        check_claim(claim, spent)
    except OverDailyCap as exc:
        raise SpendRefusedError(over_cap(exc, claim, hosted=bool(state.user))) from None
    whose = "you have" if state.user else "this server has"
    return claim, f"Today {whose} used {_n(spent)} of {_n(cap)} daily video minutes."


def _question(tool: str, spend: Spend, quota: _Quota | None, today: str) -> str:
    shape = ", ".join(
        part
        for part in (spend.aspect_ratio, f"voice {spend.voice}" if spend.voice else None)
        if part
    )
    what = f"'{spend.video_name}'" if spend.video_name else "this video"
    length = (
        f"It is about {_n(spend.length.minutes)} video minutes long"
        if spend.length.minutes is not None
        else f"Its length is not known yet: {spend.length.why_unknown}"
    )
    account = (
        f"the Pictory account has {_n(max(quota.left, 0.0))} of its {_n(quota.limit)} "
        "video minutes left"
        if quota is not None
        else "the account's remaining minutes could not be read"
    )
    return " ".join(
        part
        for part in (
            f"Render {what}{f' ({shape})' if shape else ''} with {tool}?",
            f"{length}; {account}.",
            today,
            "Pictory cannot cancel a render once it starts.",
        )
        if part
    )


async def _confirmed(state: AppState, tool: str, ctx: Any, question: str) -> bool:
    """Ask the user per the policy; True when they said yes, False when they were not asked.
    Anything but a yes submits nothing."""
    policy = state.settings.confirm_spend
    if policy == "never":
        return False
    if not confirm.can_ask(ctx):
        if policy == "always":
            raise SpendRefusedError(
                "Nothing was submitted: this server asks the user before every call that "
                "spends credits (PICTORY_MCP_CONFIRM_SPEND=always), and this client cannot "
                "show the question. Render from the video's inline player, use a client that "
                "supports elicitation, or set PICTORY_MCP_CONFIRM_SPEND=auto."
            )
        logger.info("%s: not confirmed by the user (the client cannot be asked)", tool)
        return False
    window = remaining(GRACE)
    window -= min(SUBMIT_RESERVE, window / 3)
    answer = await confirm.ask(ctx, question, window)
    if answer == "yes":
        return True
    reason = {
        "no": "The user declined",
        "cancel": "The user dismissed the question without answering",
        "timeout": f"The user did not answer within {window:.0f} s",
        "failed": "The client could not show the question",
    }[answer]
    after = {
        "no": "Do not call it again unless the user asks; offer changes or a preview first.",
        "failed": "Ask the user whether to go ahead, then call again (if the client keeps "
        "failing to show it, the server's PICTORY_MCP_CONFIRM_SPEND=never stops asking).",
    }.get(answer, "Ask the user whether to go ahead, then call again.")
    raise SpendRefusedError(
        f"{reason}, so nothing was submitted and no credits were spent. {after}"
    )


async def approve(state: AppState, spend: Spend) -> Approval:
    """Clear a call to spend, or raise SpendRefusedError (or, for a 2026-07-28 client that
    has not answered yet, `confirm.NeedsAnswer` with the question). Nothing is written."""
    caller = CALLER.get() or Caller(tool="this tool")
    now = datetime.now(timezone.utc)
    quota, problem = await _read_quota(state)
    if quota is not None:
        refusal = _quota_refusal(spend, quota)
        if refusal is not None:
            raise SpendRefusedError(refusal)
    claim, today = await _daily_check(state, spend, now)
    question = _question(caller.tool, spend, quota, today)
    confirmed = await _confirmed(state, caller.tool, caller.ctx, question)
    detail: dict[str, Any] = {
        "estimated_minutes": spend.length.minutes,
        "quota_minutes_left": round(quota.left, 2) if quota is not None else None,
        "confirmed_by_user": confirmed,
    }
    if spend.length.minutes is None:
        detail["length"] = f"unknown: {spend.length.why_unknown}"
    notes: tuple[str, ...] = ()
    if quota is None:
        notes = (
            f"The account's remaining video minutes could not be read ({problem}), so this "
            "render was not checked against the quota.",
        )
    return Approval(
        claim=claim, detail={k: v for k, v in detail.items() if v is not None}, notes=notes
    )
