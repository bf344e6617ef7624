"""The Dockerfile lints clean, runs the console script as a non-root user, and ships only source.

Docker cannot run here, so these checks read the file; hadolint covers the rest.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest itself depends on tomli before 3.11
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    out: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, rest = (pending + line).partition(" ")
        out.append((keyword.upper(), rest.strip()))
        pending = ""
    assert not pending, "the Dockerfile ends inside a continued line"
    return out


def arguments(keyword: str) -> list[str]:
    return [rest for kw, rest in instructions() if kw == keyword]


def ignore_patterns() -> list[str]:
    text = (ROOT / ".dockerignore").read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@pytest.mark.slow
def test_hadolint_reports_nothing_for_the_dockerfile() -> None:
    hadolint = Path(sys.executable).parent / "hadolint"
    assert hadolint.is_file(), f"hadolint is missing next to {sys.executable}; install '.[dev]'"
    result = subprocess.run(
        [str(hadolint), str(DOCKERFILE)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_entrypoint_is_the_console_script_in_exec_form() -> None:
    (entrypoint,) = arguments("ENTRYPOINT")
    scripts = PYPROJECT["project"]["scripts"]
    assert json.loads(entrypoint) == ["pictory-mcp"]
    assert scripts["pictory-mcp"] == "pictory_mcp.cli:main"
    # No CMD: with none, `docker run image` is the stdio server and extra words are its flags.
    assert arguments("CMD") == []


def test_the_image_runs_as_a_non_root_user() -> None:
    users = arguments("USER")
    assert users, "no USER instruction: the server would run as root"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    assert not user.isdigit() or int(user) >= 1000
    # Nothing after the last USER switches back.
    kinds = [kw for kw, _ in instructions()]
    assert kinds.index("ENTRYPOINT") > len(kinds) - 1 - kinds[::-1].index("USER")


def test_the_base_image_is_a_slim_python_pinned_to_a_supported_minor_version() -> None:
    (base,) = arguments("FROM")
    match = re.fullmatch(r"python:3\.(\d+)-slim", base)
    assert match, base
    floor = re.fullmatch(r">=3\.(\d+)", PYPROJECT["project"]["requires-python"])
    assert floor
    assert int(match.group(1)) >= int(floor.group(1))


def test_the_package_is_installed_from_the_source_tree_without_a_pip_cache() -> None:
    installs = [run for run in arguments("RUN") if "pip install" in run]
    assert len(installs) == 1
    assert "--no-cache-dir" in installs[0]
    assert "apt-get" not in " ".join(arguments("RUN"))


def installed_extras() -> set[str]:
    (install,) = [run for run in arguments("RUN") if "pip install" in run]
    found = re.search(r'"/src\[([a-z,]+)\]"', install)
    assert found, install
    return set(found.group(1).split(","))


def test_the_image_can_serve_a_team_since_it_installs_the_hosted_extra() -> None:
    assert "hosted" in installed_extras()
    assert "hosted" in PYPROJECT["project"]["optional-dependencies"]


def test_the_image_measures_text_with_font_metrics_since_it_installs_the_layout_extra() -> None:
    assert "layout" in installed_extras()
    assert "layout" in PYPROJECT["project"]["optional-dependencies"]


def test_python_output_is_unbuffered_so_stdio_messages_leave_at_once() -> None:
    env = " ".join(arguments("ENV"))
    assert re.search(r"\bPYTHONUNBUFFERED=1\b", env)


def test_the_image_labels_carry_the_pyproject_version_and_license() -> None:
    (version_arg,) = arguments("ARG")
    assert version_arg == f"VERSION={PYPROJECT['project']['version']}"
    labels = " ".join(arguments("LABEL"))
    assert 'org.opencontainers.image.version="${VERSION}"' in labels
    assert f'org.opencontainers.image.licenses="{PYPROJECT["project"]["license"]}"' in labels
    assert 'org.opencontainers.image.title="pictory-mcp"' in labels


def test_the_stdio_default_declares_no_health_check() -> None:
    assert arguments("HEALTHCHECK") == ["NONE"]


def test_every_copied_path_exists_and_is_not_excluded_by_dockerignore() -> None:
    ignored = set(ignore_patterns())
    copied: list[str] = []
    for rest in arguments("COPY"):
        *sources, _dest = rest.split()
        copied.extend(sources)
    assert copied
    for source in copied:
        assert (ROOT / source).exists(), source
        assert source not in ignored, source
    # hatchling needs the readme pyproject.toml names to build the wheel.
    assert PYPROJECT["project"]["readme"] in copied


def test_dockerignore_keeps_local_environments_caches_and_git_out_of_the_context() -> None:
    ignored = set(ignore_patterns())
    for entry in (".git", ".venv", ".tools", ".pytest_cache", ".mypy_cache", ".ruff_cache"):
        assert entry in ignored, entry
