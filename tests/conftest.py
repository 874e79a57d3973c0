"""Personas shared by every test: a federation (province) with an upper-grassroots union above
union A, and another upper union above union B.

    province ── ward ── union_a (chair, treasurer, vice chair)     reviewer and leader: ward
             └─ other_ward ── union_b (other_chair)
"""

import pytest
from django.core.cache import cache

from config.celery import app as celery_app
from members.models import Officer, Organization
from tests.factories import OfficerFactory, OrganizationFactory, UnionGroupFactory, UserFactory
from tests.finance.fixtures_books import *  # noqa: F403
from tests.finance.fixtures_budget import *  # noqa: F403
from tests.members.fixtures_people import *  # noqa: F403
from tests.members.fixtures_reports import *  # noqa: F403
from tests.members.fixtures_welfare import *  # noqa: F403
from tests.targets.fixtures import *  # noqa: F403
from tests.targets.fixtures_calendar import *  # noqa: F403
from tests.targets.fixtures_dashboard import *  # noqa: F403
from tests.targets.fixtures_editor import *  # noqa: F403
from tests.targets.fixtures_reports import *  # noqa: F403

L = Organization.Level
R = Officer.Role


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Tasks run in process during tests (the worker is tested on its own), files go to a temp dir."""
    celery_app.conf.task_always_eager = True
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def province(db):
    return OrganizationFactory(name="Liên đoàn Lao động tỉnh Thử", symbol="LĐLĐ", level=L.PROVINCE)


@pytest.fixture
def ward(province):
    return OrganizationFactory(
        name="Công đoàn phường Một", symbol="CĐP1", level=L.UPPER_GRASSROOTS, parent=province
    )


@pytest.fixture
def other_ward(province):
    return OrganizationFactory(
        name="Công đoàn phường Hai", symbol="CĐP2", level=L.UPPER_GRASSROOTS, parent=province
    )


@pytest.fixture
def union_a(ward):
    org = OrganizationFactory(name="Công đoàn cơ sở Trường Mầm non A", symbol="CĐMNA", parent=ward)
    UnionGroupFactory(organization=org, name="Tổ Nhà trẻ")
    return org


@pytest.fixture
def union_b(other_ward):
    return OrganizationFactory(name="Công đoàn cơ sở Công ty B", symbol="CĐCTB", parent=other_ward)


def _officer(username, organization, role, **names):
    user = UserFactory(username=username, **names)
    OfficerFactory(user=user, organization=organization, role=role)
    return user


@pytest.fixture
def chair(union_a):
    return _officer("chair", union_a, R.CHAIR, full_name="Nguyễn Thị Hoa")  # the signer printed on its plans


@pytest.fixture
def treasurer(union_a):
    return _officer("treasurer", union_a, R.TREASURER)


@pytest.fixture
def reviewer(ward):
    return _officer("reviewer", ward, R.REVIEWER)


@pytest.fixture
def leader(province):
    return _officer("leader", province, R.LEADER)


@pytest.fixture
def other_chair(union_b):
    return _officer("other_chair", union_b, R.CHAIR)


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="nobody")


@pytest.fixture
def draft_plan(union_a, chair):
    from tests.factories import PlanFactory

    return PlanFactory(organization=union_a, created_by=chair)


@pytest.fixture
def returned_plan(draft_plan):
    """A plan the upper union sent back for revision: its chair edits it, the reviewer may only look."""
    from plans.models import Plan

    draft_plan.status = Plan.Status.RETURNED
    draft_plan.save(update_fields=["status"])
    return draft_plan


@pytest.fixture
def returned_section(returned_plan):
    from plans.models import Section

    return Section.objects.create(
        plan=returned_plan, position=1, heading="Mục đích, yêu cầu", body="Nội dung."
    )


@pytest.fixture
def written_plan(draft_plan):
    """A draft with everything a PDF needs."""
    from plans.models import Section

    Section.objects.create(plan=draft_plan, position=1, heading="Mục đích, yêu cầu", body="Nội dung.")
    return draft_plan


@pytest.fixture
def pending_import(union_a, chair):
    """A pasted plan waiting for its chair's review."""
    from plans.importing.source import read_text
    from plans.models import PlanImport

    text = "KẾ HOẠCH\nHoạt động năm 2026\nI. Mục đích\nNội dung.\nTM. BAN CHẤP HÀNH\nCHỦ TỊCH\nNguyễn Thị Hoa"
    lines = [line.as_dict() for line in read_text(text)]
    return PlanImport.objects.create(organization=union_a, created_by=chair, lines=lines)


@pytest.fixture
def revisable_plan(returned_section):
    """A returned plan with a section, ready to be sent again."""
    return returned_section.plan


@pytest.fixture
def submitted_plan(written_plan, chair, reviewer):
    from plans import lifecycle

    lifecycle.plan_submit(plan=written_plan, by=chair)
    written_plan.refresh_from_db()
    return written_plan


@pytest.fixture
def approved_plan(submitted_plan, reviewer):
    from plans import lifecycle

    lifecycle.plan_approve(plan=submitted_plan, by=reviewer)
    submitted_plan.refresh_from_db()
    return submitted_plan


@pytest.fixture
def issued_plan(approved_plan, chair):
    from plans import lifecycle

    return lifecycle.plan_issue(plan=approved_plan, by=chair)


@pytest.fixture
def review_comment(submitted_plan, reviewer):
    from plans import lifecycle

    section = submitted_plan.sections.get()
    return lifecycle.comment_add(
        plan=submitted_plan, by=reviewer, body="Bổ sung chỉ tiêu cụ thể.", section=section
    )
