import datetime
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.db import OperationalError
from django.template.loader import render_to_string
from django.utils import timezone, translation

from plans import rendering
from plans.models import Notification, Plan, PlanRender

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=5)
def plan_render_task(self, render_id: int) -> str:
    """Renders one queued PDF. Idempotent: the row is claimed with a conditional UPDATE, so a render runs
    once however often the message is delivered; a superseded one is dropped.

    A failure marks the render failed with its reason (the page offers to try again); the plan itself is
    never touched. Only a lost database connection is retried.
    """
    won = PlanRender.objects.filter(pk=render_id, status=PlanRender.Status.QUEUED).update(
        status=PlanRender.Status.RENDERING, claimed_at=timezone.now()
    )
    if not won:
        return "not queued"  # ready already, rendering elsewhere, or superseded
    render = PlanRender.objects.get(pk=render_id)
    plan = Plan.objects.select_related("organization", "organization__parent").get(pk=render.plan_id)
    try:
        if plan.content_hash() != render.content_hash:
            render.delete()  # the plan changed while this waited; the page asks for the new state
            return "superseded"
        data, pages = rendering.render_pdf_with_pages(plan)
        if plan.content_hash() != render.content_hash:
            render.delete()  # changed during the render: this PDF is of no state the plan is in
            return "superseded"
        render.pdf.save(f"{render.content_hash[:16]}.pdf", ContentFile(data), save=False)
    except OperationalError as exc:
        PlanRender.objects.filter(pk=render_id).update(status=PlanRender.Status.QUEUED, claimed_at=None)
        if self.request.retries >= self.max_retries:
            return _fail(render_id, exc)
        raise self.retry(exc=exc, countdown=10 * 2**self.request.retries) from exc
    except (Exception, SoftTimeLimitExceeded) as exc:
        logger.exception("Rendering plan %s failed", plan.pk)
        return _fail(render_id, exc)
    render.status, render.page_count, render.finished_at = PlanRender.Status.READY, pages, timezone.now()
    render.save(update_fields=["pdf", "status", "page_count", "finished_at"])
    return "ready"


def _fail(render_id: int, exc: BaseException) -> str:
    PlanRender.objects.filter(pk=render_id).update(
        status=PlanRender.Status.FAILED,
        error=f"{type(exc).__name__}: {exc}"[:1000],
        finished_at=timezone.now(),
    )
    return "failed"


@shared_task(bind=True, acks_late=True, max_retries=5)
def notification_email_task(self, user_id: int) -> int:
    """Sends a person's pending notices as one email (a digest when several). Claims them first with a
    conditional UPDATE, so two runs never send one notice twice; returns how many were sent."""
    now = timezone.now()
    stuck = now - datetime.timedelta(hours=1)  # a worker died while sending: send again
    Notification.objects.filter(
        user_id=user_id, email_status=Notification.Email.SENDING, email_claimed_at__lt=stuck
    ).update(email_status=Notification.Email.PENDING)
    if not Notification.objects.filter(user_id=user_id, email_status=Notification.Email.PENDING).update(
        email_status=Notification.Email.SENDING, email_claimed_at=now
    ):
        return 0
    claimed = Notification.objects.filter(
        user_id=user_id, email_status=Notification.Email.SENDING, email_claimed_at=now
    ).select_related("plan", "plan__organization")
    notices = list(claimed.order_by("created_at", "pk"))
    user = get_user_model().objects.get(pk=user_id)
    if not user.email:
        claimed.update(email_status=Notification.Email.NONE)
        return 0
    context = {"user": user, "notices": notices, "site_url": settings.SITE_URL}
    with translation.override("vi"):
        subject = " ".join(render_to_string("emails/notification.subject.txt", context).split())
        text = render_to_string("emails/notification.txt", context)
        html = render_to_string("emails/notification.html", context)
    message = EmailMultiAlternatives(subject, text, to=[user.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except BaseException as exc:
        if not isinstance(exc, OSError):  # not a transient SMTP error: release the notices, then fail loudly
            claimed.update(email_status=Notification.Email.PENDING)
            raise  # SMTP errors are OSErrors: the notices wait for the retry
        logger.warning("Sending notices to user %s failed: %s", user_id, exc)
        if self.request.retries >= self.max_retries:
            claimed.update(email_status=Notification.Email.FAILED)
            return 0
        if self.request.is_eager:  # in process (no worker): never break the request that caused it
            claimed.update(email_status=Notification.Email.PENDING)
            return 0
        claimed.update(email_status=Notification.Email.PENDING)
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc
    claimed.update(email_status=Notification.Email.SENT, email_sent_at=timezone.now())
    return len(notices)


@shared_task(acks_late=True)
def notification_sweep_task() -> int:
    """Run by beat: notices whose email was lost (a worker died mid-send, a failed in-process send) are sent
    again. Returns how many people were queued."""
    now = timezone.now()
    Notification.objects.filter(
        email_status=Notification.Email.SENDING, email_claimed_at__lt=now - datetime.timedelta(hours=1)
    ).update(email_status=Notification.Email.PENDING)
    waiting = now - datetime.timedelta(seconds=settings.NOTIFICATION_EMAIL_DELAY * 2 + 60)
    users = set(
        Notification.objects.filter(
            email_status=Notification.Email.PENDING, created_at__lt=waiting
        ).values_list("user_id", flat=True)
    )
    for user_id in sorted(users):
        notification_email_task.delay(user_id)
    return len(users)
