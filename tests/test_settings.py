import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import Reader

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "congdoan.example",
    "CSRF_TRUSTED_ORIGINS": "https://congdoan.example",
}


def manage(*args, env):
    """Run manage.py in a clean environment (no .env is read when the variables are already set)."""
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )


def test_production_settings_pass_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_without_secret_key_refuses_to_start():
    result = manage("check", env={**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
        ("DATABASE_URL", "mysql://x@localhost/db", "only postgres:// and sqlite://"),
        ("REDIS_URL", "http://localhost:6379", "is not a redis:// or rediss:// URL"),
        ("CSRF_TRUSTED_ORIGINS", "congdoan.example", "must look like https://example.org"),
        ("EMAIL_URL", "pigeon://coop", "not a valid email URL"),
    ],
)
def test_invalid_value_stops_start_up_with_a_clear_message(name, value, message):
    result = manage("check", env={**PRODUCTION, name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_reader_parses_the_usual_forms():
    env = Reader(
        {
            "ON": "Yes",
            "OFF": "0",
            "HOSTS": " a.example , b.example ,",
            "DB": "postgres://u:p@db:5432/congdoan",
            "REDIS": "redis://redis:6379/1",
        }
    )
    assert env.bool("ON") is True
    assert env.bool("OFF") is False
    assert env.bool("UNSET", default=True) is True
    assert env.list("HOSTS") == ["a.example", "b.example"]
    assert env.database("DB", default="sqlite:///x")["NAME"] == "congdoan"
    assert env.database("UNSET", default="sqlite:////tmp/x.sqlite3")["ENGINE"] == "django.db.backends.sqlite3"
    assert env.redis("REDIS") == "redis://redis:6379/1"
    assert env.redis("UNSET") is None
    assert env.email("UNSET", default="consolemail://")["EMAIL_BACKEND"].endswith("console.EmailBackend")


def test_reader_rejects_bad_numbers_and_ports():
    env = Reader({"N": "ten", "REDIS": "redis://localhost:port/0"})
    with pytest.raises(ImproperlyConfigured, match="N='ten' is not a whole number"):
        env.int("N", default=1)
    with pytest.raises(ImproperlyConfigured, match="invalid port"):
        env.redis("REDIS")


def test_env_example_lists_every_variable_the_settings_read():
    source = (ROOT / "config" / "settings.py").read_text()
    import re

    read = set(re.findall(r'env\.\w+\("([A-Z_]+)"', source))
    listed = {
        line.split("=", 1)[0].lstrip("# ").strip()
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line
    }
    assert read - listed == set()
