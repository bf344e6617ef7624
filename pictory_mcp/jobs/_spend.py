"""Video minutes spent, counted from the job history: each spending job (a render, a workflow)
carries the minutes it claimed, its estimate until Pictory reports the video's duration, which
then replaces it; a failed job counts nothing. A claim against a daily cap is checked and
written in the one transaction that writes the job's record, with this owner's claims taken
one at a time, so two claims near the cap never both pass, across processes and replicas."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pictory_mcp.jobs._base import Conn, StoreBase
from pictory_mcp.jobs.records import UNFINISHED_STATUSES, OverDailyCap, SpendClaim

__all__ = ["SpendRecords", "check_claim", "settled_minutes"]

# Claims of one owner are taken one at a time under this name (see `Database.exclusive`).
_SPEND_LOCK = "spend:"
# A claim's sum may differ from the cap by rounding alone.
_EPSILON = 1e-9


class SpendRecords(StoreBase):
    """The owner's spent minutes, and the claim a new spending job's record is written with."""

    def spent_since(self, since: str) -> float:
        """Minutes this owner's spending jobs created at or after `since` (ISO-8601 UTC) count:
        unfinished and finished alike, failed ones excepted."""
        with self._reading("count the video minutes spent") as conn:
            return _spent(conn, self._owner, since)

    def spending_in_flight(self, since: str) -> float:
        """Minutes claimed by this owner's spending jobs still running (created at or after
        `since`): what an account's quota does not show yet."""
        marks = ", ".join("?" for _ in ("submitting", *UNFINISHED_STATUSES))
        with self._reading("count the video minutes of running jobs") as conn:
            row = conn.execute(
                "SELECT COALESCE(SUM(spend_minutes), 0) FROM jobs WHERE owner = ? "  # noqa: S608
                f"AND spend_minutes IS NOT NULL AND created_at >= ? AND status IN ({marks})",
                (self._owner, since, "submitting", *UNFINISHED_STATUSES),
            ).fetchone()
        return float(row[0] or 0.0)

    def _spend_check(self, conn: Conn, claim: SpendClaim | None) -> float | None:
        """Inside a write, before the record is inserted: take this owner's claims lock and
        return the minutes counted so far when `claim` has a cap (else None). The caller
        inserts, then calls `_spend_verdict`, so a repeated request is recognised first."""
        if claim is None or claim.cap is None:
            return None
        self._db.exclusive(conn, _SPEND_LOCK + self._owner)
        return _spent(conn, self._owner, claim.since)

    @staticmethod
    def _spend_verdict(claim: SpendClaim | None, spent: float | None) -> None:
        """After the insert: raise OverDailyCap (rolling the write back) unless it fits."""
        if claim is not None and spent is not None:
            check_claim(claim, spent)


def check_claim(claim: SpendClaim, spent: float) -> None:
    """Raise OverDailyCap unless `claim` fits its cap with `spent` minutes already counted: a
    known length must fit whole, an unknown one needs the count under the cap."""
    if claim.cap is None:
        return
    over = spent + claim.minutes > claim.cap + _EPSILON if claim.known else spent >= claim.cap
    if over:
        raise OverDailyCap(spent, claim.cap)


def _spent(conn: Conn, owner: str, since: str) -> float:
    row = conn.execute(
        "SELECT COALESCE(SUM(spend_minutes), 0) FROM jobs WHERE owner = ? "
        "AND spend_minutes IS NOT NULL AND created_at >= ? AND status <> 'failed'",
        (owner, since),
    ).fetchone()
    return float(row[0] or 0.0)


def settled_minutes(claimed: float | None, result: Mapping[str, Any] | None) -> float | None:
    """The minutes a completed spending job counts: its video's duration when the result
    reports one, else None (keep the claim). Jobs that claimed nothing stay out of the count."""
    if claimed is None or not result:
        return None
    duration = result.get("duration_seconds")
    if isinstance(duration, int | float) and not isinstance(duration, bool) and duration >= 0:
        return round(float(duration) / 60.0, 4)
    return None
