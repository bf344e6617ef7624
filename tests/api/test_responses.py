"""Response models read every documented body in examples.json and its known variations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from pictory_mcp.api.models.responses import (
    AvatarPage,
    AwsConnection,
    Brand,
    JobListPage,
    JobStart,
    JobStatus,
    MediaResult,
    MusicTrack,
    Quota,
    SmartLayout,
    TemplateDetail,
    TextStyle,
    VimeoConnectionPage,
    Voice,
)

EXAMPLES_PATH = Path(__file__).resolve().parents[1] / "data" / "pictory-examples.json"


@pytest.fixture(scope="module")
def examples() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLES_PATH.read_text())
    return data


def body(examples: dict[str, Any], name: str) -> Any:
    return examples[name]["response"]["body"]


@pytest.mark.parametrize(
    "name",
    ["render_from_text", "create_preview", "render_from_preview", "transcription_start"],
)
def test_every_job_start_example_yields_its_job_id(examples: dict[str, Any], name: str) -> None:
    start = JobStart.model_validate(body(examples, name))
    assert start.job_id == body(examples, name)["data"]["jobId"]
    assert start.success is True


@pytest.mark.parametrize(
    "shape",
    [
        {"jobId": "abc"},
        {"success": True, "data": {"job_id": "abc"}},
        {"job_id": "abc"},
    ],
)
def test_legacy_job_start_shapes_are_understood(shape: dict[str, Any]) -> None:
    assert JobStart.model_validate(shape).job_id == "abc"


def test_a_job_start_without_any_job_id_is_rejected() -> None:
    with pytest.raises(ValidationError):
        JobStart.model_validate({"success": True, "data": {}})


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("poll_in_progress_queued", "in-progress"),
        ("poll_in_progress_rendering", "in-progress"),
        ("poll_completed_render", "completed"),
        ("poll_completed_preview", "completed"),
        ("poll_completed_transcription", "completed"),
        ("poll_failed", "failed"),
        ("poll_failed_no_visual", "failed"),
    ],
)
def test_each_job_example_has_the_expected_normalized_status(
    examples: dict[str, Any], name: str, status: str
) -> None:
    job = JobStatus.model_validate(body(examples, name))
    assert job.normalized_status == status
    assert job.job_id == body(examples, name)["job_id"]


def test_a_completed_render_exposes_its_urls_and_duration(examples: dict[str, Any]) -> None:
    job = JobStatus.model_validate(body(examples, "poll_completed_render"))
    assert job.data.video_url is not None
    assert job.data.video_url.endswith(".mp4")
    assert job.data.share_url == job.data.video_share_url
    assert job.data.video_duration == pytest.approx(65.6)
    assert job.progress_percent == 100.0
    assert job.is_finished


def test_render_progress_is_read_while_rendering(examples: dict[str, Any]) -> None:
    job = JobStatus.model_validate(body(examples, "poll_in_progress_rendering"))
    assert job.progress_percent == 42.0
    assert job.data.render_state == "RUNNING"
    assert not job.is_finished


def test_a_failed_job_keeps_its_error_code_and_message(examples: dict[str, Any]) -> None:
    job = JobStatus.model_validate(body(examples, "poll_failed"))
    assert job.data.error_code == "TEXT_TO_VIDEO_FAILED"
    assert "Timm" in (job.data.error_message or "")
    assert not job.is_not_found


def test_a_completed_preview_keeps_render_params_and_preview_url(examples: dict[str, Any]) -> None:
    job = JobStatus.model_validate(body(examples, "poll_completed_preview"))
    assert job.data.render_params is not None
    assert job.data.render_params["elements"][0]["id"] == "voiceOver"
    assert job.data.preview is not None
    assert job.data.project_id is not None


def test_a_legacy_preview_without_status_counts_as_completed() -> None:
    job = JobStatus.model_validate({"data": {"renderParams": {"output": {}}, "preview": "x"}})
    assert job.normalized_status == "completed"


def test_a_video_url_without_status_counts_as_completed() -> None:
    job = JobStatus.model_validate({"success": True, "data": {"videoURL": "https://v/x.mp4"}})
    assert job.normalized_status == "completed"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("complete", "completed"), ("In-Progress", "in-progress"), ("cleaned", "cleaned")],
)
def test_status_spellings_are_normalized(raw: str, expected: str) -> None:
    assert JobStatus.model_validate({"data": {"status": raw}}).normalized_status == expected


def test_a_legacy_error_envelope_reads_as_a_failed_job(examples: dict[str, Any]) -> None:
    job = JobStatus.model_validate(body(examples, "legacy_error_envelope"))
    assert job.normalized_status == "failed"
    assert job.data.error_code == "890"


def test_the_job_not_found_answer_is_recognised(examples: dict[str, Any]) -> None:
    job = JobStatus.model_validate(body(examples, "poll_job_not_found"))
    assert job.is_not_found


def test_a_job_without_data_is_still_in_progress() -> None:
    job = JobStatus.model_validate({"job_id": "x", "success": True, "data": None})
    assert job.normalized_status == "in-progress"


def test_unknown_fields_are_kept_not_dropped() -> None:
    job = JobStatus.model_validate({"data": {"status": "completed", "newThing": 1}})
    assert job.data.model_extra == {"newThing": 1}


def test_the_jobs_list_reads_items_and_their_ids(examples: dict[str, Any]) -> None:
    page = JobListPage.model_validate(body(examples, "list_jobs"))
    assert [job.job_id for job in page.items] == [
        "265a7c1a-4985-4058-9208-68114f131a2b",
        "6830fe00-872b-4e96-86b5-e4b527f0295b",
    ]
    assert [job.normalized_status for job in page.items] == ["completed", "in-progress"]
    assert page.next_page_key is None


@pytest.mark.parametrize(
    "shape",
    [
        [{"data": {"jobId": "a"}}],
        {"Items": [{"data": {"jobId": "a"}}], "nextPageKey": "k"},
        {"data": {"items": [{"data": {"jobId": "a"}}], "nextPageKey": "k"}},
    ],
)
def test_a_page_tolerates_bare_arrays_and_wrappers(shape: Any) -> None:
    page = JobListPage.model_validate(shape)
    assert page.items[0].job_id == "a"


def test_voices_keep_numeric_ids_as_text(examples: dict[str, Any]) -> None:
    voices = [Voice.model_validate(v) for v in body(examples, "list_voices")]
    assert voices[0].id == "1001"
    assert voices[0].name == "Joanna"
    assert voices[-1].id == "1776425060651"
    assert voices[1].ssml_support_category == "C"


def test_music_tracks_media_results_and_catalog_items_parse(examples: dict[str, Any]) -> None:
    track = MusicTrack.model_validate(body(examples, "music_search")["items"][0])
    assert track.audio_url is not None
    assert "Calm / Serene" in track.moods
    result = MediaResult.model_validate(body(examples, "media_search")["data"]["searchResults"][0])
    assert result.asset_id == "347545181"
    assert result.preview is not None
    assert result.preview.jpg is not None
    assert Brand.model_validate(body(examples, "list_brands")[1]).name == "Corporate Blue"
    assert TextStyle.model_validate(body(examples, "list_text_styles")[2]).name == "Headliner"
    layout = SmartLayout.model_validate(body(examples, "list_smart_layouts")["items"][0])
    assert layout.template_name == "Wanderlust"


def test_the_quota_reads_each_counter(examples: dict[str, Any]) -> None:
    quota = Quota.model_validate(body(examples, "quota"))
    assert quota.ai_credits is not None
    assert quota.ai_credits.limit == 2000
    assert quota.eleven_labs_voice_over_minutes is not None


def test_a_template_reads_the_misspelled_deprecated_flag() -> None:
    template = TemplateDetail.model_validate(
        {"templateId": "t1", "name": "Promo", "depricated": True, "variables": {"Name": "NAME"}}
    )
    assert template.deprecated is True
    assert template.variables == {"Name": "NAME"}


def test_connections_and_avatar_pages_accept_their_casing() -> None:
    vimeo = VimeoConnectionPage.model_validate(
        {"Items": [{"connectionId": "c1", "type": "VIMEO", "version": 1}], "nextPageKey": None}
    )
    assert vimeo.items[0].connection_id == "c1"
    aws = AwsConnection.model_validate({"connectionId": 20241207, "awsAccountId": 123456789012})
    assert aws.connection_id == "20241207"
    assert aws.aws_account_id == "123456789012"
    avatars = AvatarPage.model_validate(
        {"items": [{"id": "g", "name": "Annie", "looks": [{"id": "Annie_x", "previewImage": "p"}]}]}
    )
    assert avatars.items[0].looks[0].preview_image == "p"
