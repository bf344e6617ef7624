"""What a job-creating call answers: the job Pictory named, or the tracking id ("sub-…") of a
request still being sent, or the job of an identical request made moments before."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pictory_mcp.jobs import JobRecord
from pictory_mcp.server.jobview import build_view
from pictory_mcp.server.outputs import JobView

if TYPE_CHECKING:
    from pictory_mcp.server.state import AppState

__all__ = ["TRACKING_PREFIX", "Submitted", "is_tracking_id", "repeated", "submitted_view"]

TRACKING_PREFIX = "sub-"


def is_tracking_id(job_id: str) -> bool:
    """True for ids this server gave to a job-creating request (never a Pictory job id)."""
    return job_id.startswith(TRACKING_PREFIX)


@dataclass(frozen=True)
class Submitted:
    """What a create call knows when it answers: always the tracking id; the job id once
    Pictory named it; a warning when the job is accepted but not yet in the history."""

    tracking_id: str
    job_id: str | None = None
    adopted: bool = False
    warning: str | None = None


def repeated(record: JobRecord) -> Submitted:
    """The answer to a call that repeats an earlier identical request: that request's job."""
    warning = (
        "An identical request was submitted moments ago, so this call returns that job "
        "instead of rendering (and paying) again. To make a second video on purpose, change "
        "something in the request."
    )
    if is_tracking_id(record.job_id):  # the first request is still being sent
        return Submitted(record.job_id, warning=warning)
    return Submitted(record.job_id, record.job_id, warning=warning)


def submitted_view(
    state: AppState,
    done: Submitted,
    kind: str,
    summary: dict[str, Any],
    *,
    notes: Sequence[str] = (),
) -> JobView:
    """The answer of a create call: the job just submitted, or the request still being sent;
    `notes` (values the caller did not choose) lead its next step."""
    if done.job_id is None:
        view = JobView(
            job_id=done.tracking_id,
            status="submitting",
            kind=kind,
            next_step=(
                "Pictory has not confirmed the request yet; the server is still sending it and "
                "will record the job. Do not submit again (that could pay twice): call "
                f"wait_for_job('{done.tracking_id}'), which answers with the video's job_id once "
                "Pictory confirms."
            ),
        )
        view.detail(submitted=summary)
    else:
        view = build_view(
            done.job_id,
            {"status": "in-progress"},
            kind=kind,
            poll_interval=state.settings.poll_interval,
        )
        view.detail(submitted=summary, adopted=done.adopted or None, warning=done.warning)
        if done.warning:
            view.next_step = f"{done.warning} {view.next_step}"
    if notes:
        view.next_step = " ".join([*notes, view.next_step])
    return view
