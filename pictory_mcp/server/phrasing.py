"""Wording shared by refusals: the values a near-miss probably meant, and a list read aloud."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

__all__ = ["close_values", "one_of"]


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
