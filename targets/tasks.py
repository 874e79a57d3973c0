"""Background work of the targets app: the daily reminder sweep (started by beat: CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from targets.reminders import reminder_sweep


@shared_task(bind=True, acks_late=True, max_retries=5)
def reminder_sweep_task(self, day: str | None = None) -> dict:
    """Sends the reminders due on `day` (an ISO date; default today in Asia/Ho_Chi_Minh). Safe to run twice or
    on two workers: each reminder row is claimed once. Rows an SMTP error left to retry are retried with
    backoff for the same day (in process, the next day's sweep picks them up)."""
    on = datetime.date.fromisoformat(day) if day else timezone.localdate()
    result = reminder_sweep(on)
    if result.retry and not self.request.is_eager and self.request.retries < self.max_retries:
        raise self.retry(args=[on.isoformat()], countdown=60 * 2**self.request.retries)
    return result.as_json()
