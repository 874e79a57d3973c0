import os

import pytest
from django.db import OperationalError
from django.urls import reverse


def test_healthy_without_redis(client, db, settings):
    settings.REDIS_URL = None
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_unreachable_redis_answers_503(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["redis"] == "down"


def test_unreachable_database_answers_503(client, db, monkeypatch, settings):
    settings.REDIS_URL = None

    class Unreachable:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr("config.health.connection", Unreachable())
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}


# CI always sets REDIS_URL (and never skips this); a bare development machine may have no Redis.
@pytest.mark.skipif(
    not os.environ.get("REDIS_URL") and not os.environ.get("CI"), reason="no Redis configured"
)
def test_configured_redis_is_checked(client, db, settings):
    settings.REDIS_URL = os.environ["REDIS_URL"]
    assert client.get(reverse("healthz")).json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_health_is_get_only(client, db):
    assert client.post(reverse("healthz")).status_code == 405
