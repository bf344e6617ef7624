"""Voice names matched as Pictory's guides describe: exact, then by track id, then ignoring
case when exactly one voice fits; never a guess between two."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pictory_mcp.errors import InputError
from pictory_mcp.server.voice_names import find_voice

CATALOG = [
    SimpleNamespace(id=1008, name="Brian"),
    SimpleNamespace(id=2001, name="Sam"),
    SimpleNamespace(id=2002, name="SAM"),
]


def test_one_voice_matching_when_case_is_ignored_is_taken() -> None:
    assert find_voice(CATALOG, "BRIAN").name == "Brian"


def test_an_exact_name_wins_over_one_that_differs_only_in_case() -> None:
    assert find_voice(CATALOG, "SAM").id == 2002


def test_two_voices_matching_when_case_is_ignored_are_refused_with_both_names() -> None:
    with pytest.raises(InputError) as refused:
        find_voice(CATALOG, "sam")
    assert str(refused.value) == (
        "Voice 'sam' matches 'Sam' or 'SAM' when case is ignored; give the exact name."
    )
