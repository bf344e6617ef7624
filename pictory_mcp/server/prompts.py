"""Prompts: step-by-step recipes an agent (or user) can pick from the client's menu."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer


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
        return "\n".join(
            [
                f"Make a Pictory video about: {topic}",
                "1. Write a narration script (about 150 words per minute of video; short sentences).",
                f"2. {voice_step} Use its exact name.",
                "3. Ask the user whether to preview first. A preview costs no render; rendering spends credits.",
                f"4. Call create_video_from_text(script, voice, aspect_ratio='{aspect_ratio}', preview=...).",
                "5. Call check_job(job_id) every 10-30 s until status is completed or failed; report progress.",
                "6. For a preview: show details.preview_url; if the user approves, call render_preview(job_id) and poll again.",
                "7. When completed, give the user video_url and details.share_url. If failed, follow error.fix and resubmit.",
            ]
        )
