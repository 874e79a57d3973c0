from celery import shared_task
from django.core.cache import cache


@shared_task(acks_late=True)
def heartbeat_task(key: str) -> str:
    """Proves a worker is consuming: writes `key` to the shared cache (Redis when configured)."""
    cache.set(key, "alive", timeout=300)
    return key
