"""Wording shared by refusals and next steps: the values a near-miss probably meant, a list read
aloud, and the one way to wait for a job, said the same everywhere."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

__all__ = ["KEEP_WAITING", "NO_CANCEL", "RENDER_TIME", "close_values", "one_of"]

RENDER_TIME = "renders take 3-15 minutes"
"""How long a job takes (Pictory's guides say 3-10 and 5-15 minutes), said the same in every
description, prompt and next step."""

KEEP_WAITING = f"Call wait_for_job(job_id) until it finishes ({RENDER_TIME})."
"""The next step of every job that is still running, whichever tool reports it."""

WEBHOOK_WAITING = (
    "Pictory will tell this server when the job finishes: call wait_for_job(job_id), which "
    f"returns the moment it does ({RENDER_TIME})."
)
"""The next step of a running job that a webhook will report."""

NO_CANCEL = "a submitted render cannot be cancelled"
"""Pictory has no cancel call; said wherever an agent could look for one (tool descriptions,
literal and paid for on every turn, say "no cancel")."""


def close_values(allowed: Iterable[str], wanted: str, limit: int = 3) -> list[str]:
    """Values a near-miss probably meant: a case-only match, then substrings, then fuzzy ones."""
    values = list(allowed)
    folded = wanted.strip().casefold()
    exact = [v for v in values if v.casefold() == folded]
    if exact:
        return exact[:1]
    out = [v for v in values if folded and folded in v.casefold()]
    by_fold = {v.casefold(): v for v in values}
    for hit in difflib.get_close_matches(folded, list(by_fold), n=limit, cutoff=0.5):
        if by_fold[hit] not in out:
            out.append(by_fold[hit])
    return out[:limit]


def one_of(values: Sequence[str]) -> str:
    """'a', 'a' or 'b', 'a', 'b' or 'c'."""
    quoted = [f"'{v}'" for v in values]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
