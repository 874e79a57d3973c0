"""Notices to people about a plan: one in-app row per (user, plan, event, version), and its email.

Emails go out after commit through `notification_email_task`, which claims every pending notice of one
person with a conditional UPDATE and sends them as one message (a digest when there are several): a task
run twice, or two tasks for the same person, never send a notice twice.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from plans.models import Notification, Plan


def _message(plan: Plan, kind: str, version: int, by) -> str:
    text = {
        Plan.Status.SUBMITTED: _(
            "%(organization)s submitted the plan “%(title)s” (version %(version)s) for review."
        ),
        Plan.Status.RETURNED: _("The plan “%(title)s” was returned for revision by %(by)s."),
        Plan.Status.APPROVED: _("The plan “%(title)s” was approved by %(by)s."),
        Plan.Status.ISSUED: _("The plan “%(title)s” was issued."),
    }[kind]
    return text % {
        "organization": plan.organization.display_name,
        "title": plan.title[:200],
        "version": version,
        "by": by.get_full_name() if by else "",
    }


def notify(plan: Plan, kind: str, user_ids, *, version: int, by=None) -> list[Notification]:
    """Creates the notices (once each) and queues their emails after commit."""
    from plans.tasks import notification_email_task

    created = []
    for user_id in sorted(set(user_ids)):
        notice, new = Notification.objects.get_or_create(
            user_id=user_id,
            plan=plan,
            kind=kind,
            version_number=version,
            defaults={"message": _message(plan, kind, version, by)[:500]},
        )
        if new:
            created.append(notice)
            # a short wait lets a day's notices to one reviewer go out as one digest
            notification_email_task.apply_async_on_commit(
                (user_id,), countdown=settings.NOTIFICATION_EMAIL_DELAY
            )
    return created
