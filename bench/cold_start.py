"""Benchmark 1: stdio cold start, spawn → `tools/list` answered, against the bare server.

Speaks raw JSON-RPC lines (the 2025-11-25 handshake desktop clients use) so that no client
library time is counted; the three servers are started in turn, round after round.
"""

from __future__ import annotations

import json
import subprocess
import time
from typing import IO, Any

from common import BARE_CMD, ROOT, SERVER_CMD, free_port, median, server_env, temp_dir

HANDSHAKE = "2025-11-25"


def _send(pipe: IO[bytes], message: dict[str, Any]) -> None:
    pipe.write(json.dumps(message).encode() + b"\n")
    pipe.flush()


def _answer(pipe: IO[bytes], request_id: int) -> dict[str, Any]:
    while True:
        line = pipe.readline()
        if not line:
            raise RuntimeError("the server closed stdout before answering")
        message: dict[str, Any] = json.loads(line)
        if message.get("id") == request_id:
            return message


def time_to_tools(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Seconds from spawn to the `tools/list` answer, and how many tools it listed."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        env=env,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        _send(
            proc.stdin,
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {
                    "protocolVersion": HANDSHAKE,
                    "capabilities": {},
                    "clientInfo": {"name": "bench", "version": "0"},
                },
            },
        )
        _answer(proc.stdout, 1)
        _send(proc.stdin, {"jsonrpc": "2.0", "method": "notifications/initialized"})
        _send(proc.stdin, {"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
        tools = _answer(proc.stdout, 2)["result"]["tools"]
        elapsed = time.perf_counter() - start
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return elapsed, len(tools)


def run(quick: bool) -> dict[str, Any]:
    rounds = 5 if quick else 15
    with temp_dir() as tmp:
        dead = f"http://127.0.0.1:{free_port()}/pictoryapis"  # nothing listens there
        variants: dict[str, tuple[list[str], dict[str, str]]] = {
            "bare": (BARE_CMD, server_env(tmp)),
            "pictory_no_key": (SERVER_CMD, server_env(tmp)),
            "pictory_key_unreachable": (
                SERVER_CMD,
                server_env(tmp, api_key="pictai_bench_key", base_url=dead),
            ),
        }
        times: dict[str, list[float]] = {name: [] for name in variants}
        tools: dict[str, int] = {}
        for cmd, env in variants.values():  # warm the page cache and .pyc files once
            time_to_tools(cmd, env)
        for _ in range(rounds):
            for name, (cmd, env) in variants.items():
                elapsed, count = time_to_tools(cmd, env)
                times[name].append(elapsed)
                tools[name] = count
    medians = {name: median(values) for name, values in times.items()}
    base = medians["bare"]
    return {
        "rounds": rounds,
        "median_s": medians,
        "min_s": {name: min(values) for name, values in times.items()},
        "tools_listed": tools,
        "ratio_no_key": medians["pictory_no_key"] / base,
        "ratio_key_unreachable": medians["pictory_key_unreachable"] / base,
        "target": "ratio <= 1.15",
        "ok": max(medians["pictory_no_key"], medians["pictory_key_unreachable"]) / base <= 1.15,
    }


def summary(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    m = r["median_s"]
    return [
        (
            "1 cold start (no key)",
            f"{m['pictory_no_key'] * 1000:.0f} ms vs {m['bare'] * 1000:.0f} ms",
            f"{r['ratio_no_key']:.2f}x",
            "<= 1.15x",
        ),
        (
            "1 cold start (key, unreachable URL)",
            f"{m['pictory_key_unreachable'] * 1000:.0f} ms vs {m['bare'] * 1000:.0f} ms",
            f"{r['ratio_key_unreachable']:.2f}x",
            "<= 1.15x",
        ),
    ]


if __name__ == "__main__":
    print(json.dumps(run(quick=True), indent=2))
