"""A hosted replica on a read-only root filesystem, as the Kubernetes Deployment runs it: every
mount read-only (root included, which ignores file modes but not a read-only mount), HOME and
the working folder read-only, and only TMPDIR writable (a tmpfs, as the pod's /tmp emptyDir).

The replica runs in a mount namespace of its own (`unshare`), so nothing outside it changes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest

from tests._helpers import free_port, posts, structured, until_found
from tests.hosted.idp import IdP
from tests.hosted.replica_process import HostedProcess, hosted_env
from tests.hosted.team import Team, settings_for

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

SCRIPT = "Coffee grows on hills. Farmers pick the cherries by hand. Then they dry the beans."

# Remount every mount of the new namespace read-only, put a tmpfs on TMPDIR, then run the
# command. `mount --make-rprivate /` first, so nothing propagates back to the machine.
_READ_ONLY = (
    "mount --make-rprivate / && "
    'for m in $(cut -d " " -f 2 /proc/self/mounts); do '
    'mount -o remount,bind,ro "$m" 2>/dev/null || true; done && '
    'mount -t tmpfs -o size=64m,mode=1777 tmpfs "$TMPDIR" && exec "$@"'
)


def read_only_launcher() -> list[str]:
    """Words that run a command with the whole filesystem read-only but TMPDIR."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("util-linux's unshare is not installed")
    probe = subprocess.run(
        [unshare, "--mount", "true"], capture_output=True, text=True, timeout=30, check=False
    )
    if probe.returncode != 0:
        pytest.skip(f"this machine refuses new mount namespaces: {probe.stderr.strip()}")
    return [unshare, "--mount", "sh", "-c", _READ_ONLY, "sh"]


@pytest.fixture
def folders(tmp_path: Path) -> dict[str, Path]:
    found = {name: tmp_path / name for name in ("home", "work", "tmp")}
    for path in found.values():
        path.mkdir()
    return found


def test_the_launcher_leaves_only_tmpdir_writable_even_for_root(folders: dict[str, Path]) -> None:
    """The control: without this, a server that writes to HOME could pass the test below."""
    targets = [folders["home"], folders["work"], Path(sys.prefix), Path("/tmp")]
    check = (
        "import os, sys, tempfile\n"
        "for folder in sys.argv[1:]:\n"
        "    try:\n"
        "        open(os.path.join(folder, 'probe'), 'w').close()\n"
        "        print('writable', folder)\n"
        "    except OSError as exc:\n"
        "        print('refused', exc.errno, folder)\n"
        "with tempfile.NamedTemporaryFile() as f:\n"
        "    print('tmp', os.path.dirname(f.name))\n"
    )
    done = subprocess.run(
        [*read_only_launcher(), sys.executable, "-c", check, *map(str, targets)],
        env={"TMPDIR": str(folders["tmp"]), "HOME": str(folders["home"]), "PATH": "/usr/bin:/bin"},
        cwd=folders["work"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:-1] == [f"refused 30 {target}" for target in targets]  # EROFS
    assert lines[-1] == f"tmp {folders['tmp']}"
    assert not (folders["home"] / "probe").exists()  # and outside, nothing changed


@pytest.fixture
def replica(
    idp: IdP, sandbox: Any, postgres_url: str, tmp_path: Path, folders: dict[str, Path]
) -> Iterator[tuple[Team, HostedProcess]]:
    port = free_port()
    team = Team(settings_for(idp, sandbox, postgres_url, port=port), idp)
    env = hosted_env(
        issuer=idp.issuer,
        resource_url=team.url,
        db=postgres_url,
        base_url=sandbox.api_base_url,
        ports=[port],
        PICTORY_MCP_POLL_INTERVAL="1",
        # Webhooks on, as in the Deployment: the render's end arrives by webhook.
        PICTORY_MCP_PUBLIC_URL=team.origin,
        HOME=str(folders["home"]),
        TMPDIR=str(folders["tmp"]),
        PYTHONDONTWRITEBYTECODE="1",
    )
    assert team.settings.secret_keys is not None
    env["PICTORY_MCP_SECRET_KEYS"] = team.settings.secret_keys.get_secret_value()
    server = HostedProcess(
        port, env, tmp_path / "replica.log", launcher=read_only_launcher(), cwd=folders["work"]
    )
    try:
        server.start()
        yield team, server
    finally:
        server.stop()


async def test_a_hosted_replica_serves_a_render_with_only_tmpdir_writable(
    replica: tuple[Team, HostedProcess], sandbox: Any
) -> None:
    team, server = replica
    # The probes as the kubelet sends them: to the pod's address, not the public host name.
    for path in ("/healthz", "/readyz"):
        answer = await team.get(team.origin + path, headers={"Host": "10.1.2.3:8000"})
        assert answer.status_code == 200, (path, answer.text)
    await team.connected("alice")  # the key is checked with Pictory and stored
    async with team.client("alice") as alice:
        created = structured(await alice.call_tool("create_video_from_text", {"script": SCRIPT}))
        with anyio.fail_after(90):
            done = structured(
                await alice.call_tool(
                    "wait_for_job", {"job_id": created["job_id"], "timeout_seconds": 60}
                )
            )
    assert done["status"] == "completed", done
    assert len(posts(sandbox, "/v2/video/storyboard/render")) == 1
    deliveries = await until_found(sandbox.control.webhooks)
    assert [(d["job_id"], d["outcome"]) for d in deliveries] == [(done["job_id"], "delivered")]
    log = server.stderr()
    assert "Read-only file system" not in log and "Traceback" not in log, log
