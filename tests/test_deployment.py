"""docker-compose.yml is for users (no Docker engine here): parse it, check that every command it runs
exists in the project, and run those same commands as real processes against this machine's services."""

import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL") and not os.environ.get("CI"),
    reason="no Redis configured (CI always has it)",
)


def command_of(service: str) -> list[str]:
    command = SERVICES[service]["command"]
    return command if isinstance(command, list) else shlex.split(command)


def test_stack_has_the_five_services_with_health_checks_and_volumes():
    assert set(SERVICES) == {"db", "redis", "web", "worker", "beat"}
    for name, service in SERVICES.items():
        assert "healthcheck" in service, name
    assert {"pgdata", "media"} <= set(COMPOSE["volumes"])
    for name in ("web", "worker", "beat"):
        assert SERVICES[name]["environment"]["REDIS_URL"].startswith("redis://redis:")
        assert SERVICES[name]["environment"]["DATABASE_URL"].startswith("postgres://")
        assert SERVICES[name]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "/healthz" in " ".join(SERVICES["web"]["healthcheck"]["test"])


def test_every_command_the_stack_runs_exists_in_the_project():
    web = " ".join(command_of("web"))
    for part in web.split("&&"):
        words = shlex.split(part.replace("sh -c", ""))
        if words[:2] == ["python", "manage.py"]:
            assert words[2] in get_commands(), words
        elif words[0] == "gunicorn":
            module, _, attr = words[1].partition(":")
            __import__(module)
            assert hasattr(sys.modules[module], attr or "application")
    for service in ("worker", "beat"):
        words = command_of(service)
        assert words[:3] == ["celery", "-A", "config"]
        from config.celery import app

        assert app.main == "congdoan"
    for tool in ("gunicorn", "celery"):
        assert (BIN / tool).exists(), f"{tool} is not installed by requirements"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "requirements.lock" in dockerfile and "--require-hashes" in dockerfile


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def process_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(
        DEBUG="true", DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}", PYTHONUNBUFFERED="1", **extra
    )
    return env


def wait_until(done, process, seconds: int, what: str) -> None:
    """Poll `done()` until it holds; fail with the process's output if it dies or time runs out."""
    deadline = time.monotonic() + seconds
    while not done():
        assert process.poll() is None, process.stdout.read().decode()
        assert time.monotonic() < deadline, f"{what} in {seconds} s"
        time.sleep(0.3)


def local(words: list[str]) -> list[str]:
    return [str(BIN / words[0]), *words[1:]] if (BIN / words[0]).exists() else words


def test_web_command_serves_healthz(tmp_path):
    words = command_of("web")
    gunicorn = shlex.split(" ".join(words).split("&&")[1].rstrip('"'))
    port = free_port()
    gunicorn[gunicorn.index("--bind") + 1] = f"127.0.0.1:{port}"
    gunicorn[gunicorn.index("--workers") + 1] = "1"
    env = process_env(tmp_path)
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        local(gunicorn), cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    try:
        wait_until(healthy, server, 30, "gunicorn did not answer /healthz")
    finally:
        server.terminate()
        server.wait(10)


@needs_redis
def test_worker_command_consumes_tasks_from_redis(tmp_path):
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    env = process_env(tmp_path, REDIS_URL=redis_url)
    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = subprocess.Popen(
        local(command_of("worker"))
        + ["--pool=solo", "-Q", queue, "-n", f"{queue}@%h", "--without-mingle", "--without-gossip"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    key = f"heartbeat-{uuid.uuid4().hex}"
    try:
        import redis

        from config.celery import app

        app.conf.broker_url = redis_url
        app.conf.task_always_eager = False
        app.send_task("members.tasks.heartbeat_task", args=[key], queue=queue)
        client = redis.Redis.from_url(redis_url)
        wait_until(
            lambda: any(client.scan_iter(match=f"*{key}")), worker, 60, "the worker did not run the task"
        )
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        worker.wait(20)


@needs_redis
def test_beat_command_starts(tmp_path):
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    words = [
        w.replace("/tmp/celerybeat-schedule", str(tmp_path / "beat-schedule")) for w in command_of("beat")
    ]
    beat = subprocess.Popen(
        local(words),
        cwd=ROOT,
        env=process_env(tmp_path, REDIS_URL=redis_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(lambda: list(tmp_path.glob("beat-schedule*")), beat, 30, "beat wrote no schedule")
    finally:
        beat.terminate()
        beat.wait(20)
