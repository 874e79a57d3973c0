import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from plans import rendering
from plans.models import Plan, PlanRender

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=10)
def render_plan_pdf(self, render_id: int) -> str:
    """Renders one queued PDF. Idempotent: a ready render is left alone, a superseded one is dropped.

    A failure marks the render failed with its reason; the plan itself is never touched. A render row
    not visible yet (asked for inside a transaction that has not committed) is waited for.
    """
    with transaction.atomic():
        render = PlanRender.objects.select_for_update().filter(pk=render_id).first()
        if render is None:
            if self.request.is_eager:
                return "gone"
            raise self.retry(countdown=1)
        if render.status == PlanRender.Status.READY:
            return "ready"
        plan = Plan.objects.select_related("organization", "organization__parent").get(pk=render.plan_id)
        if plan.content_hash() != render.content_hash:
            render.delete()  # the plan changed while this waited in the queue; the page asks again
            return "superseded"
        render.status = PlanRender.Status.RENDERING
        render.save(update_fields=["status"])
    try:
        data, pages = rendering.render_pdf_with_pages(plan)
    except Exception as exc:
        logger.exception("Rendering plan %s failed", plan.pk)
        PlanRender.objects.filter(pk=render.pk).update(
            status=PlanRender.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:1000],
            finished_at=timezone.now(),
        )
        return "failed"
    render.pdf.save(f"{render.content_hash[:16]}.pdf", ContentFile(data), save=False)
    render.status, render.page_count, render.finished_at = PlanRender.Status.READY, pages, timezone.now()
    render.save(update_fields=["pdf", "status", "page_count", "finished_at"])
    return "ready"
