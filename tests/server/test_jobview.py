"""check_job's normalization tolerates every documented shape of a job answer."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pictory_mcp.server.jobview import build_view, normalized_status

VOICES = [SimpleNamespace(name=n) for n in ("Brian", "Joanna", "Martin")]


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"status": "in-progress"}, "in-progress"),
        ({"status": "completed", "videoURL": "u"}, "completed"),
        ({"status": "complete", "videoURL": "u"}, "completed"),  # the docs' prose word
        ({"renderParams": {"output": {}}, "preview": "p"}, "completed"),  # legacy preview
        ({"videoURL": "u", "shareVideoURL": "s"}, "completed"),  # legacy render
        ({"error_code": "TEXT_TO_VIDEO_FAILED", "error_message": "x"}, "failed"),
        ({"status": "cleaned"}, "cleaned"),
        ({}, "in-progress"),
    ],
)
def test_status_is_read_from_status_or_inferred_from_results(
    data: dict[str, object], status: str
) -> None:
    assert normalized_status(data) == status


def test_the_legacy_share_key_is_used_when_the_current_one_is_missing() -> None:
    view = build_view(
        "j",
        {"status": "completed", "videoURL": "v.mp4", "shareVideoURL": "share"},
        kind=None,
        poll_interval=10,
    )
    assert view.details is not None and view.details["share_url"] == "share"
    assert view.video_url == "v.mp4"


def test_render_progress_appears_only_once_rendering_started() -> None:
    queued = build_view("j", {"status": "in-progress"}, kind="render", poll_interval=10)
    assert queued.progress is None and "wait_for_job(job_id)" in queued.next_step
    running = build_view(
        "j",
        {
            "status": "in-progress",
            "renderProgress": 42,
            "renderProgressMessage": "Generating video",
        },
        kind="render",
        poll_interval=10,
    )
    assert (
        running.progress == 42
        and (running.details or {})["message"] == "Generating video"
        and "42%" in running.next_step
    )


def test_a_cleaned_job_points_to_the_local_history() -> None:
    view = build_view("abc", {"status": "cleaned"}, kind="render", poll_interval=10)
    assert "pictory://jobs/abc" in view.next_step


def test_a_numeric_error_code_is_kept_as_text() -> None:
    view = build_view(
        "j",
        {"status": "failed", "error_code": 5000, "error_message": "JOB_NOT_FOUND"},
        kind=None,
        poll_interval=10,
    )
    assert view.error is not None and view.error.code == "5000"


def test_an_invalid_speaker_failure_suggests_close_voices() -> None:
    view = build_view(
        "j",
        {
            "status": "failed",
            "error_code": "TEXT_TO_VIDEO_FAILED",
            "error_message": "The AI voice speaker [Bryan] is invalid",
        },
        kind="render",
        poll_interval=10,
        voices=VOICES,
    )
    assert view.error is not None and "Brian" in view.error.fix


def test_the_tools_enumerations_match_the_storyboard_models() -> None:
    from typing import get_args

    from pictory_mcp.api.models import AspectRatio as ModelAspect
    from pictory_mcp.api.models import AudioLanguage as ModelAudio
    from pictory_mcp.facts import AUDIO_LANGUAGES  # what create_video_highlights accepts
    from pictory_mcp.server.tools._arguments import AspectArg as AspectRatio

    assert set(AUDIO_LANGUAGES) == set(get_args(ModelAudio))
    assert set(get_args(AspectRatio)) == set(get_args(ModelAspect))


def test_starting_the_server_imports_no_http_client_or_storyboard_models() -> None:
    import subprocess
    import sys

    # The `pictory_mcp.api` package itself only names where things live (it loads them on
    # first use); the client, the models and httpx are all in modules below it or outside.
    code = (
        "import sys; from pictory_mcp.server.app import build_server; "
        "from pictory_mcp.config import Settings; build_server(Settings.from_env({})); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'httpx' or m.startswith('pictory_mcp.api.'))); "
        "api = sys.modules.get('pictory_mcp.api'); "
        "print(sorted(n for n in api.__all__ if n in vars(api)) if api else [])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded, api_names = out.stdout.strip().splitlines()
    assert loaded == "[]"
    assert api_names == "[]"  # no client or model name was resolved either
