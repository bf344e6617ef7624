"""Prompts: step-by-step recipes an agent (or user) can pick from the client's menu."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer

from pictory_mcp.server.phrasing import NO_CANCEL, RENDER_TIME

POLL = (
    f"Call wait_for_job(job_id) until status is completed or failed ({RENDER_TIME}); "
    "report progress."
)
DELIVER = "When completed, give the user video_url and details.share_url. If failed, follow error.fix and resubmit."


def _steps(*lines: str) -> str:
    return "\n".join(f"{n}. {line}" for n, line in enumerate(lines, 1))


def register_prompts(server: MCPServer[Any]) -> None:
    @server.prompt(
        name="text_to_video",
        title="Text to video",
        description="Script → voice → preview or render → wait → share.",
    )
    def text_to_video(topic: str, aspect_ratio: str = "16:9", voice_hint: str = "") -> str:
        voice_step = (
            f"Call list_voices with query='{voice_hint}' and pick the best match."
            if voice_hint
            else "Call list_voices (filter by language) and pick a voice that fits the tone."
        )
        return f"Make a Pictory video about: {topic}\n" + _steps(
            "Write a narration script (about 150 words per minute of video; short sentences).",
            f"{voice_step} Use its exact name.",
            f"Ask the user whether to preview first. A preview costs no render; rendering spends credits and {NO_CANCEL}.",
            f"Call create_video_from_text(script, voice, aspect_ratio='{aspect_ratio}', preview=...).",
            POLL,
            "For a preview: show details.preview_url; if the user approves, call render_preview(job_id) and poll again.",
            DELIVER,
        )

    @server.prompt(
        name="blog_to_video",
        title="Blog to video",
        description="Article URL → video with voice and music.",
    )
    def blog_to_video(url: str, aspect_ratio: str = "16:9") -> str:
        return f"Turn the article at {url} into a video.\n" + _steps(
            "The page must be public and not paywalled; if unsure, ask the user.",
            "Call list_voices and pick a voice; optionally list_catalog(kind='brands') to apply a brand.",
            f"Call create_video_from_article(url='{url}', voice, aspect_ratio='{aspect_ratio}').",
            POLL,
            DELIVER,
        )

    @server.prompt(
        name="powerpoint_to_video",
        title="PowerPoint to video",
        description="Public .pptx URL → narrated video.",
    )
    def powerpoint_to_video(ppt_url: str, use_speaker_notes: str = "true") -> str:
        return f"Turn the presentation at {ppt_url} into a video.\n" + _steps(
            "The .pptx must be reachable at a public URL.",
            "Call list_voices and pick a narrator.",
            f"Call create_video_from_presentation(ppt_url='{ppt_url}', use_speaker_notes={use_speaker_notes}, voice).",
            POLL,
            DELIVER,
        )

    @server.prompt(
        name="highlights_from_video",
        title="Highlights from a long video",
        description="Long video/audio URL → short highlight clip.",
    )
    def highlights_from_video(media_url: str, duration_seconds: str = "60") -> str:
        return f"Make a {duration_seconds}-second highlight clip of {media_url}.\n" + _steps(
            f"Call create_video_highlights(media_url='{media_url}', duration_seconds={duration_seconds}).",
            "The server runs transcription → highlights → render as one workflow; its job_id is the workflow's.",
            POLL,
            DELIVER,
        )

    @server.prompt(
        name="preview_then_render",
        title="Preview, then render",
        description="Review the storyboard before spending render credits.",
    )
    def preview_then_render(topic: str) -> str:
        return f"Make a video about {topic}, reviewed before rendering.\n" + _steps(
            "Write the script; call create_video_from_text(script, voice, preview=true).",
            POLL,
            "Call get_preview(job_id) and show the user the scenes (text, visuals, durations).",
            "Apply requested changes with update_preview_scene(job_id, ...); show the result.",
            "When the user approves, call render_preview(job_id) (spends render credits).",
            POLL,
            DELIVER,
        )
