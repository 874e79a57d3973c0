"""`/healthz`: 200 when the database (and Redis, when configured) answer; 503 otherwise."""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("health check: database unreachable")
        return False


def _redis_ok() -> bool | None:
    if not settings.REDIS_URL:
        return None
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        logger.exception("health check: redis unreachable")
        return False


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database_ok()}
    redis_ok = _redis_ok()
    if redis_ok is not None:
        checks["redis"] = redis_ok
    healthy = all(checks.values())
    payload = {
        "status": "ok" if healthy else "unavailable",
        **{k: "ok" if v else "down" for k, v in checks.items()},
    }
    return JsonResponse(payload, status=200 if healthy else 503)
